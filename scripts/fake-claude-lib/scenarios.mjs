// The scenarios `@fake <name> [key=value ...]` can ask for; each writes real-shaped output via ctx.out.
import { errorScenarios } from "./scenarios-errors.mjs";
import { modelScenarios } from "./scenarios-model.mjs";
import { outputScenarios } from "./scenarios-output.mjs";
import { processScenarios } from "./scenarios-process.mjs";

export { filler, HOSTILE_SAMPLE, UNICODE_SAMPLE } from "./scenarios-output.mjs";

export const scenarios = {
  ...modelScenarios,
  ...processScenarios,
  ...outputScenarios,
  ...errorScenarios,
};
