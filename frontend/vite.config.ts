// Builds the chat page; in dev, proxies /api (HTTP and WebSocket) to the backend.
import { defineConfig } from "vitest/config";
import solid from "vite-plugin-solid";

const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [solid()],
  server: {
    proxy: {
      "/api": { target: backend, ws: true, changeOrigin: false },
    },
  },
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    name: "frontend",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
