// `npm run --silent events -- FILE|-`: prints the events the product's decoder makes of a capture, one JSON per line.
import { createReadStream } from "node:fs";
import { createStreamDecoder } from "@catalyst/backend/stream";

async function main(): Promise<number> {
  const file = process.argv[2];
  if (file === undefined || process.argv.length > 3) {
    process.stderr.write("usage: npm run --silent events -- FILE|-   (- reads stdin)\n");
    return 2;
  }
  const input = file === "-" ? process.stdin : createReadStream(file);
  const decoder = createStreamDecoder();
  const print = (events: unknown[]) => {
    if (events.length === 0) return true;
    return process.stdout.write(events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  };
  try {
    for await (const chunk of input) {
      if (!print(decoder.push(chunk as Buffer))) {
        await new Promise((r) => process.stdout.once("drain", r));
      }
    }
  } catch (err) {
    process.stderr.write(`events: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  print(decoder.end());
  return 0;
}

process.exitCode = await main();
