// The Usage page: what runs cost and used over a range of days (UTC), per day and per idea, and the budgets.
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { UsageFigures, UsageLimits } from "@catalyst/shared";
import { usagePath } from "../api/client.js";
import { describeError } from "../api/messages.js";
import { useApp } from "../context.js";
import { formatCost, formatTokens } from "../util/format.js";
import { costPerDay, presetRange, type RangePreset } from "../util/usage-range.js";
import { UsageChart } from "./UsageChart.js";

const PRESETS: { id: RangePreset; label: string }[] = [
  { id: "month", label: "This month" },
  { id: "30d", label: "Last 30 days" },
  { id: "all", label: "All time" },
];

export function UsagePage(props: { onBack: () => void }) {
  const { api } = useApp();
  const initial = presetRange("month", Date.now());
  const [from, setFrom] = createSignal<string | null>(initial.from);
  const [to, setTo] = createSignal<string | null>(initial.to);
  const range = () => ({ from: from(), to: to() });
  // A typed date skips the inputs' min/max: a start after the end is said here, not asked for.
  const backwards = () => {
    const f = from();
    const t = to();
    return f !== null && t !== null && f > t;
  };
  // A failure is a value the page shows (a thrown one would escape as an uncaught error).
  const fetchBy = (groupBy: "day" | "idea") => (r: ReturnType<typeof range>) =>
    api.usage({ groupBy, ...r });
  const [dayResult] = createResource(() => !backwards() && range(), fetchBy("day"));
  const [ideaResult] = createResource(() => !backwards() && range(), fetchBy("idea"));
  const shown = (r: typeof dayResult) => {
    const res = r.latest;
    return !backwards() && res?.ok ? res.value : undefined;
  };
  const byDay = { latest: () => shown(dayResult) };
  const byIdea = { latest: () => shown(ideaResult) };
  const failure = () => {
    if (backwards()) return "From is after To: choose a start on or before the end.";
    for (const r of [dayResult.latest, ideaResult.latest]) {
      if (r && !r.ok) return `Could not load the usage: ${describeError(r.error)}`;
    }
    return null;
  };
  const choose = (preset: RangePreset) => {
    const r = presetRange(preset, Date.now());
    setFrom(r.from);
    setTo(r.to);
  };
  const days = createMemo(() => {
    const d = byDay.latest();
    return d ? costPerDay(d.groups, from(), to()) : { x: [], costUsd: [] };
  });
  const rangeText = () =>
    from() && to()
      ? `${from()} to ${to()}`
      : from()
        ? `from ${from()}`
        : to()
          ? `up to ${to()}`
          : "all time";

  return (
    <section class="usage" aria-labelledby="usage-title">
      <header class="usage-head">
        <button
          type="button"
          class="btn icon back"
          aria-label="Back to ideas"
          onClick={() => props.onBack()}
        >
          ←
        </button>
        <h1 id="usage-title">Usage</h1>
        <span class="muted">Days are UTC days; a run counts on the day it ended.</span>
      </header>

      <div class="usage-range" role="group" aria-label="Range">
        <For each={PRESETS}>
          {(p) => (
            <button
              type="button"
              class="btn small"
              aria-pressed={
                JSON.stringify(presetRange(p.id, Date.now())) === JSON.stringify(range())
              }
              onClick={() => choose(p.id)}
            >
              {p.label}
            </button>
          )}
        </For>
        <label>
          From
          <input
            type="date"
            value={from() ?? ""}
            max={to() ?? undefined}
            onChange={(e) => setFrom(e.currentTarget.value || null)}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={to() ?? ""}
            min={from() ?? undefined}
            onChange={(e) => setTo(e.currentTarget.value || null)}
          />
        </label>
      </div>

      <Show when={failure()}>
        {(text) => (
          <p class="notice error" role="alert">
            {text()}
          </p>
        )}
      </Show>

      <Show when={byDay.latest()}>
        {(d) => (
          <>
            <Totals totals={d().totals} />
            <Limits limits={d().limits} />
            <h2 class="usage-h2">Cost per day</h2>
            <Show
              when={d().totals.runs > 0}
              fallback={<p class="muted">No runs ended in this range ({rangeText()}).</p>}
            >
              <UsageChart
                x={days().x}
                costUsd={days().costUsd}
                label={`Cost per day, ${rangeText()}: ${formatCost(d().totals.costUsd)} in all over ${d().totals.runs} runs.`}
              />
            </Show>
          </>
        )}
      </Show>

      <Show when={byIdea.latest()}>
        {(d) => (
          <>
            <div class="usage-table-head">
              <h2 class="usage-h2">Per idea</h2>
              <span class="spacer" />
              <a
                class="btn small"
                href={usagePath({ groupBy: "idea", ...range(), format: "csv" })}
                download=""
              >
                CSV per idea
              </a>
              <a
                class="btn small"
                href={usagePath({ groupBy: "day", ...range(), format: "csv" })}
                download=""
              >
                CSV per day
              </a>
            </div>
            <div class="usage-table-wrap">
              <table class="usage-table">
                <thead>
                  <tr>
                    <th scope="col">Idea</th>
                    {/* Beside the name: on a phone the table scrolls, and the cost stays in view. */}
                    <th scope="col">Cost</th>
                    <th scope="col">Runs</th>
                    <th scope="col">Turns</th>
                    <th scope="col">Tokens in</th>
                    <th scope="col">Tokens out</th>
                    <th scope="col">Cache read</th>
                    <th scope="col">Cache written</th>
                  </tr>
                </thead>
                <tbody>
                  <For
                    each={d().groups}
                    fallback={
                      <tr>
                        <td colSpan={8} class="muted usage-empty">
                          No runs in this range.
                        </td>
                      </tr>
                    }
                  >
                    {(g) => (
                      <tr>
                        <th scope="row">
                          <Show
                            when={g.label !== "(deleted idea)"}
                            fallback={<span class="muted">{g.label}</span>}
                          >
                            <a href={`#/idea/${g.key}`}>{g.label}</a>
                          </Show>
                        </th>
                        <td>{formatCost(g.costUsd)}</td>
                        <td>{g.runs}</td>
                        <td>{g.turns}</td>
                        <td>{formatTokens(g.inputTokens)}</td>
                        <td>{formatTokens(g.outputTokens)}</td>
                        <td>{formatTokens(g.cacheReadTokens)}</td>
                        <td>{formatTokens(g.cacheWriteTokens)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function Totals(props: { totals: UsageFigures }) {
  const cells = () => [
    ["Cost", formatCost(props.totals.costUsd)],
    ["Runs", String(props.totals.runs)],
    ["Turns", String(props.totals.turns)],
    ["Tokens in", formatTokens(props.totals.inputTokens)],
    ["Tokens out", formatTokens(props.totals.outputTokens)],
    ["Cache read", formatTokens(props.totals.cacheReadTokens)],
    ["Cache written", formatTokens(props.totals.cacheWriteTokens)],
  ];
  return (
    <dl class="usage-totals">
      <For each={cells()}>
        {([label, value]) => (
          <div class="usage-total">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        )}
      </For>
    </dl>
  );
}

function Limits(props: { limits: UsageLimits }) {
  const month = () => {
    const [y, m] = props.limits.month.split("-").map(Number);
    return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1)).toLocaleString("en-US", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    });
  };
  return (
    <p class="usage-limits">
      <Show
        when={props.limits.monthlyBudgetUsd}
        fallback={
          <>
            This month ({month()}, UTC): {formatCost(props.limits.monthSpentUsd)}; no monthly
            budget.
          </>
        }
      >
        {(cap) => (
          <>
            Monthly budget: {formatCost(props.limits.monthSpentUsd)} of {formatCost(cap())} used in{" "}
            {month()} (UTC).
          </>
        )}
      </Show>{" "}
      {props.limits.runBudgetUsd !== null
        ? `Each run may cost at most ${formatCost(props.limits.runBudgetUsd)}.`
        : "No per-run limit."}
    </p>
  );
}
