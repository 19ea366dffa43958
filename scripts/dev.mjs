#!/usr/bin/env node
// npm run dev: the backend under `tsx watch` and the Vite dev server together; Ctrl-C stops both.
// The page is served by Vite (http://localhost:5173), which proxies /api and /api/ws to the backend.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`);
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
const backendUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

const children = [
  spawn("npx", ["tsx", "watch", "--clear-screen=false", "backend/src/main.ts"], {
    cwd: root,
    stdio: "inherit",
  }),
  spawn("npx", ["vite"], {
    cwd: `${root}frontend`,
    stdio: "inherit",
    env: { ...process.env, BACKEND_URL: backendUrl },
  }),
];
console.log(
  `dev: backend on ${backendUrl}, page from Vite (see its URL below). ` +
    "Open Vite's URL and type the key, or open the one-time #login=... link the backend prints with Vite's port.",
);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
for (const child of children) child.on("exit", (code) => stop(code ?? 1));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
