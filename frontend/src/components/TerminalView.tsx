// One terminal: xterm.js in the page, a shell on the target through the terminal socket.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { createEffect, createSignal, onCleanup, onMount, Show } from "solid-js";
import { mirrorInlineStyles } from "./xterm-csp.js";
import {
  makeTerminalSocket,
  terminalUrl,
  type TerminalSocket,
} from "../socket/make-terminal-socket.js";

export interface TerminalHandle {
  /** Ends the shell and everything it started. */
  end(): void;
}

export function TerminalView(props: {
  ideaId: string;
  reattachId: string | null;
  visible: boolean;
  label: string;
  onId: (id: string) => void;
  ref?: (handle: TerminalHandle) => void;
}) {
  let host: HTMLDivElement | undefined;
  let conn: TerminalSocket | null = null;
  const [state, setState] = createSignal<"connecting" | "open" | "ended" | "lost" | "refused">(
    "connecting",
  );
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, "SF Mono", "Cascadia Code", Menlo, Consolas, monospace',
    fontSize: 13,
    scrollback: 5000,
    theme: {
      background: "#1b1c20",
      foreground: "#e8e8e6",
      cursor: "#e8e8e6",
      selectionBackground: "#3f51b580",
    },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  let terminalId = props.reattachId;

  const connect = () => {
    setState("connecting");
    conn = makeTerminalSocket({
      url: terminalUrl(props.ideaId, { cols: term.cols, rows: term.rows }, terminalId),
      onFrame(f) {
        if (f.type === "ready") {
          setState("open");
          // A new shell (the old one had ended): what the screen showed belonged to that one.
          if (!f.reattached && terminalId !== null) term.reset();
          if (f.reattached) term.reset();
          terminalId = f.terminalId;
          props.onId(f.terminalId);
        } else if (f.type === "output") term.write(f.data);
        else if (f.type === "exit") {
          setState("ended");
          term.write(
            `\r\n\x1b[2m[the shell ended${f.code !== null ? ` with code ${f.code}` : ""}]\x1b[0m\r\n`,
          );
        }
      },
      onClose(_code, opened) {
        setState((s) => (s === "ended" ? s : opened ? "lost" : "refused"));
      },
    });
  };

  // Copy and paste: Ctrl+Shift+C / Ctrl+Shift+V as in desktop terminals, and Ctrl+C copies when
  // text is selected (else it is the shell's interrupt). Cmd+C/V work natively on a Mac.
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== "keydown" || !e.ctrlKey) return true;
    const key = e.key.toLowerCase();
    if (key === "c" && (e.shiftKey || term.hasSelection())) {
      void navigator.clipboard?.writeText(term.getSelection());
      term.clearSelection();
      return false;
    }
    if (key === "v" && e.shiftKey) {
      void navigator.clipboard?.readText().then((t) => term.paste(t));
      return false;
    }
    return true;
  });
  term.onData((data) => conn?.send({ type: "input", data }));
  term.onResize(({ cols, rows }) => conn?.send({ type: "resize", cols, rows }));

  const refit = () => {
    if (!props.visible || !host || host.clientWidth === 0) return;
    try {
      fit.fit();
    } catch {
      // Not laid out yet: the next resize fits it.
    }
  };

  onMount(() => {
    if (!host) return;
    onCleanup(mirrorInlineStyles(host));
    term.open(host);
    refit();
    connect();
    const ro = new ResizeObserver(() => refit());
    ro.observe(host);
    onCleanup(() => ro.disconnect());
    props.ref?.({
      end() {
        setState("ended");
        conn?.close(true);
      },
    });
  });
  createEffect(() => {
    if (props.visible) {
      queueMicrotask(() => {
        refit();
        term.focus();
      });
    }
  });
  onCleanup(() => {
    // Leaving the idea or the page: the shell stays a minute, for a reload to reattach.
    if (state() !== "ended") conn?.close(false);
    term.dispose();
  });

  return (
    <div class="terminal-view">
      <Show when={state() === "lost" || state() === "refused"}>
        <div class="terminal-note" role="alert">
          {state() === "lost"
            ? "The connection to the terminal was lost."
            : "The terminal could not be opened: the machine may be unreachable, or as many terminals are open as the server allows (8)."}{" "}
          <button type="button" class="btn small" onClick={() => connect()}>
            Reconnect
          </button>
        </div>
      </Show>
      <div class="terminal-host" ref={(el) => (host = el)} aria-label={props.label} />
    </div>
  );
}
