// One test run over every workspace: each project keeps its own environment.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["shared", "backend", "scripts", "frontend", "frontend/vitest.e2e.config.ts"],
  },
});
