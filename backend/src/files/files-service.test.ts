import { describe, expect, it } from "vitest";
import { FakeExecutor } from "../runs/fakes.test-helpers.js";
import { createFilesService } from "./files-service.js";

/** The target answers the size check with `size`; the download then streams `sent`. */
function setup(size: number, sent: string) {
  const executor = new FakeExecutor();
  executor.run = async (script) => {
    executor.sideCommands.push(script);
    return { code: 0, stdout: `${size}\n`, stderr: "" };
  };
  executor.onStart = (child) => {
    child.stdout.write(sent);
    child.end({ code: 0, signal: null, lost: false });
  };
  const files = createFilesService({ executor, remoteRoot: "~/catalyst" });
  return { executor, files };
}

const id = "a".repeat(21);

describe("raw download", () => {
  it("never streams more than the size it announced (a file growing between stat and read)", async () => {
    const { executor, files } = setup(5, "12345");
    const { size, body } = await files.raw(id, "log.txt");
    expect(size).toBe(5);
    expect(await new Response(body).text()).toBe("12345");
    expect(executor.scripts[0]).toMatch(/head -c 5 -- "\$t"$/);
  });

  it("fails the download when the file gave fewer bytes than announced (it shrank)", async () => {
    const { files } = setup(10, "12345");
    const { body } = await files.raw(id, "log.txt");
    await expect(new Response(body).text()).rejects.toThrow(/5 of 10 bytes/);
  });
});
