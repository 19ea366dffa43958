// The page's node-side tests: end to end in real Chromium against the real backend with the fake
// CLI (test/e2e), and the stores fed real CLI output through the backend's decoder (test/).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "frontend-e2e",
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser and one server for the file; the steps share them in order.
    fileParallelism: false,
  },
});
