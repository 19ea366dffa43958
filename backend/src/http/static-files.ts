// Serves the built page (frontend/dist) and answers any other non-API GET with index.html (SPA routes).
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { relative } from "node:path";
import type { AppEnv } from "./env.js";

export function serveFrontend(app: Hono<AppEnv>, distDir: string): void {
  // serveStatic resolves `root` against the working directory.
  const root = relative(process.cwd(), distDir) || ".";
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/api/") || c.req.path === "/api") return next();
    return serveStatic<AppEnv>({ root })(c, next);
  });
  app.get("*", async (c, next) => {
    if (c.req.path.startsWith("/api/") || c.req.path === "/api") return next();
    return serveStatic<AppEnv>({ root, path: "index.html" })(c, next);
  });
}
