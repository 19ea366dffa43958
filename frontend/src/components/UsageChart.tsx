// Cost per day as bars (uPlot), in the page's colours, redrawn to the width it is given.
import { createEffect, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatCost } from "../util/format.js";

const HEIGHT = 220;

/** A CSS custom property of the page (so the chart follows light and dark mode). */
const cssVar = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export function UsageChart(props: { x: number[]; costUsd: number[]; label: string }) {
  let box: HTMLDivElement | undefined;
  let plot: uPlot | null = null;

  const options = (width: number): uPlot.Options => {
    const text = cssVar("--muted", "#666");
    const grid = cssVar("--border", "#ddd");
    const accent = cssVar("--accent", "#4b5bd6");
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    return {
      width,
      height: HEIGHT,
      // Days are UTC days, like the monthly budget: the axis must not shift them to local time.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      series: [
        {},
        {
          label: "Cost",
          stroke: accent,
          fill: accent,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({ size: [0.7, 48], align: 0 }),
        },
      ],
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: 64, values: (_u, ticks) => ticks.map((v) => formatCost(v)) },
      ],
    };
  };

  const draw = () => {
    if (!box) return;
    plot?.destroy();
    const width = Math.max(240, box.clientWidth);
    plot = new uPlot(options(width), [props.x, props.costUsd], box);
  };

  onMount(() => {
    const resize = new ResizeObserver(() => {
      if (plot && box && Math.abs(plot.width - box.clientWidth) > 2) {
        plot.setSize({ width: Math.max(240, box.clientWidth), height: HEIGHT });
      }
    });
    if (box) resize.observe(box);
    // Light/dark switches change the colours: draw again with the new ones.
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    dark.addEventListener("change", draw);
    onCleanup(() => {
      resize.disconnect();
      dark.removeEventListener("change", draw);
      plot?.destroy();
    });
  });
  createEffect(draw);

  return (
    <figure class="usage-chart">
      <div ref={(el) => (box = el)} class="usage-chart-plot" role="img" aria-label={props.label} />
    </figure>
  );
}
