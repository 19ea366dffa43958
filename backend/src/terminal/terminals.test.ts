import { describe, expect, it } from "vitest";
import { silentLogger } from "../deps.js";
import { AppError } from "../http/app-error.js";
import { FakeExecutor, ManualClock } from "../runs/fakes.test-helpers.js";
import { createTerminals, type TerminalSink } from "./terminals.js";

function setup(max = 2) {
  const executor = new FakeExecutor();
  const clock = new ManualClock();
  const terminals = createTerminals(
    { target: { executor, remoteRoot: "~/catalyst" }, clock, logger: silentLogger },
    { max, graceMs: 60_000, backlogChars: 10 },
  );
  return { executor, clock, terminals };
}

function sink() {
  const out: string[] = [];
  const closed: string[] = [];
  const s: TerminalSink & { out: string[]; closed: string[] } = {
    out,
    closed,
    output: (d) => (out.push(d), true),
    exit: () => {},
    close: (r) => closed.push(r),
  };
  return s;
}

const size = { cols: 80, rows: 24 };
const [A, B, C] = ["a", "b", "c"].map((x) => x.repeat(21)) as [string, string, string];

describe("terminals", () => {
  it("starts a login shell in the idea's project folder on a PTY of the asked size", async () => {
    const { executor, terminals } = setup();
    await terminals.open(A, size, null);
    const pty = executor.ptys[0];
    expect(pty?.script).toContain(`/'ideas/${A}/project'`);
    // The account's login shell: $SHELL, else its passwd entry (a server started without $SHELL).
    expect(pty?.script).toContain('s=${SHELL:-$(getent passwd "$(id -un)"');
    expect(pty?.script).toMatch(/exec "\$\{s:-\/bin\/sh\}" -l$/);
    expect(pty?.opts).toEqual(size);
  });

  it("refuses one more than the limit with 429, and counts a closed one out", async () => {
    const { terminals } = setup(2);
    const { terminal } = await terminals.open(A, size, null);
    await terminals.open(B, size, null);
    const refused = await terminals.open(C, size, null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(429);
    await terminal.close();
    await terminals.open(C, size, null);
    expect(terminals.count()).toBe(2);
  });

  it("keeps a terminal without a socket for the grace period, then ends it", async () => {
    const { executor, clock, terminals } = setup();
    const { terminal } = await terminals.open(A, size, null);
    const s = sink();
    terminal.attach(s);
    terminal.detach(s);
    clock.advance(59_000);
    expect(executor.ptys[0]?.stopped).toBe(false);
    const again = await terminals.open(A, size, terminal.id);
    expect(again).toMatchObject({ reattached: true });
    terminal.attach(sink());
    clock.advance(120_000);
    expect(executor.ptys[0]?.stopped).toBe(false);
    terminal.detach(s); // the old socket's late close changes nothing
    const current = sink();
    terminal.attach(current);
    terminal.detach(current);
    clock.advance(60_000);
    expect(executor.ptys[0]?.stopped).toBe(true);
    expect(terminals.count()).toBe(0);
  });

  it("replays the last output to a reattaching socket, and never reattaches another idea's terminal", async () => {
    const { executor, terminals } = setup();
    const { terminal } = await terminals.open(A, size, null);
    executor.ptys[0]?.output.write(Buffer.from("0123456789abcdef"));
    const s = sink();
    terminal.attach(s);
    expect(s.out).toEqual(["6789abcdef"]);
    const other = await terminals.open(B, size, terminal.id);
    expect(other.reattached).toBe(false);
  });

  it("joins a UTF-8 character split across two reads", async () => {
    const { executor, terminals } = setup();
    const { terminal } = await terminals.open(A, size, null);
    const s = sink();
    terminal.attach(s);
    const bytes = Buffer.from("🚀");
    executor.ptys[0]?.output.write(bytes.subarray(0, 2));
    executor.ptys[0]?.output.write(bytes.subarray(2));
    await new Promise((r) => setImmediate(r));
    expect(s.out.join("")).toBe("🚀");
  });
  it("ends a terminal that no socket ever took (an upgrade refused after it started) after the grace period", async () => {
    const { executor, clock, terminals } = setup();
    await terminals.open(A, size, null);
    clock.advance(59_000);
    expect(executor.ptys[0]?.stopped).toBe(false);
    clock.advance(1_000);
    expect(executor.ptys[0]?.stopped).toBe(true);
    expect(terminals.count()).toBe(0);
  });

  it("after closeAll (shutdown) a terminal still starting is ended, and no new one opens", async () => {
    const { executor, terminals } = setup();
    const opening = terminals.open(A, size, null);
    await terminals.closeAll();
    expect(await opening.catch((e: unknown) => e)).toBeInstanceOf(AppError);
    expect(executor.ptys[0]?.stopped).toBe(true);
    expect(await terminals.open(B, size, null).catch((e: unknown) => e)).toBeInstanceOf(AppError);
    expect(executor.ptys).toHaveLength(1);
    expect(terminals.count()).toBe(0);
  });
});
