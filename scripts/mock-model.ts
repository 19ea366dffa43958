// Runs the scripted mock model server: `npm run mock-model -- [scenario.json] [--port N] [--requests out.json]`.
// Prints `{"url": "..."}` on stdout once listening; logs each request on stderr.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { loadScenario, type ScenarioInput } from "./mock-model/scenario.js";
import { startMockModel } from "./mock-model/server.js";

export { startMockModel } from "./mock-model/server.js";
export type { MockModel, RecordedRequest } from "./mock-model/server.js";
export type { Scenario, ScenarioInput, Turn } from "./mock-model/scenario.js";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: "0" },
      requests: { type: "string" },
    },
  });
  let scenario: ScenarioInput = { turns: [{ type: "text", text: "Hello from the mock model." }] };
  if (positionals[0]) {
    const loaded = await loadScenario(positionals[0]);
    if (!loaded.success) {
      console.error(loaded.error);
      process.exit(2);
    }
    scenario = loaded.data;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be 0..65535, got ${values.port}`);
    process.exit(2);
  }
  const model = await startMockModel(scenario, {
    port,
    log: (line) => console.error(`mock-model: ${line}`),
  });
  console.log(JSON.stringify({ url: model.url }));
  const stop = async () => {
    if (values.requests) writeFileSync(values.requests, JSON.stringify(model.requests, null, 2));
    await model.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
