// End-to-end tests of the page: real Chromium against the real backend running the fake CLI.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "frontend-e2e",
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser and one server for the file; the steps share them in order.
    fileParallelism: false,
  },
});
