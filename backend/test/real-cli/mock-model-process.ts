// Runs scripts/mock-model.ts as its own process (like the real API) and scripts it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { z } from "zod";

const repoRoot = resolve(import.meta.dirname, "../../..");

/** The turns the e2e tests script (the mock model validates the full schema itself). */
export type MockTurn =
  | { type: "text"; text: string; deltaChars?: number; intervalMs?: number }
  | { type: "tool"; name: string; input: Record<string, unknown>; text?: string }
  | { type: "error"; status: number; message?: string; times?: number }
  | { type: "drop"; partialText?: string };

const blockSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const recordedSchema = z.looseObject({
  seq: z.number(),
  method: z.string(),
  path: z.string(),
  kind: z.string(),
  turn: z.number().nullable(),
  body: z.unknown(),
  messages: z
    .looseObject({
      model: z.string(),
      messages: z.array(
        z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(blockSchema)]) }),
      ),
      tools: z.array(z.looseObject({ name: z.string().optional() })).optional(),
    })
    .optional(),
});
export type RecordedRequest = z.infer<typeof recordedSchema>;

export interface MockModelProcess {
  url: string;
  script(turns: MockTurn[]): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startMockModelProcess(): Promise<MockModelProcess> {
  const child: ChildProcess = spawn(
    resolve(repoRoot, "node_modules/.bin/tsx"),
    [resolve(repoRoot, "scripts/mock-model.ts")],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const url = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      const parsed = z.object({ url: z.string() }).safeParse(JSON.parse(line));
      if (parsed.success) done(parsed.data.url);
      else fail(new Error(`mock model printed ${line}`));
    });
    child.once("exit", (code) => fail(new Error(`mock model exited ${code}: ${stderr}`)));
  });
  return {
    url,
    async script(turns) {
      const res = await fetch(`${url}/_mock/scenario`, {
        method: "PUT",
        body: JSON.stringify({ turns }),
      });
      if (!res.ok) throw new Error(`mock model refused the scenario: ${await res.text()}`);
    },
    async requests() {
      const res = await fetch(`${url}/_mock/requests`);
      return z.array(recordedSchema).parse(await res.json());
    },
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/** Every text a Messages request carries, for "did the model see X" assertions. */
export function requestText(r: RecordedRequest): string {
  return (r.messages?.messages ?? [])
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content.map((b) => b.text ?? JSON.stringify(b)).join("\n"),
    )
    .join("\n");
}
