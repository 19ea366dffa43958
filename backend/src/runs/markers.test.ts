import { describe, expect, it } from "vitest";
import { createPreludeFilter } from "./markers.js";

function filter() {
  const seen = { pid: null as number | null, noCli: false };
  const f = createPreludeFilter({
    processGroup: (p) => (seen.pid = p),
    noCli: () => (seen.noCli = true),
  });
  return { f, seen };
}

describe("createPreludeFilter", () => {
  it("takes out the markers, even split across chunks, and passes the rest untouched after exec", () => {
    const { f, seen } = filter();
    const out = [
      f.push(Buffer.from("__CATALYST_PID__=4242\nmkdir: warn\n__CATALYST_PI")),
      f.push(Buffer.from("D__=77\n__CATALYST_EX")),
      f.push(Buffer.from("EC__\nfrom the cli\n")),
      f.push(Buffer.from("__CATALYST_PID__=1 is just text now\n__CATALYST_NO_CLI__\n")),
    ];
    // Every pid before the exec marker counts (the launch's group, then the CLI's); after it,
    // the CLI's stderr cannot redirect the signals.
    expect(seen.pid).toBe(77);
    expect(seen.noCli).toBe(false);
    expect(Buffer.concat(out).toString()).toBe(
      "mkdir: warn\nfrom the cli\n__CATALYST_PID__=1 is just text now\n__CATALYST_NO_CLI__\n",
    );
  });

  it("reports the missing-CLI marker", () => {
    const { f, seen } = filter();
    expect(f.push(Buffer.from("__CATALYST_NO_CLI__\n")).length).toBe(0);
    expect(seen.noCli).toBe(true);
  });

  it("hands back an unterminated line at the end", () => {
    const { f } = filter();
    expect(f.push(Buffer.from("partial")).length).toBe(0);
    expect(f.end().toString()).toBe("partial");
  });
});
