// /api/ideas/:id/files...: the project folder's listings, contents, raw bytes and archive.
import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";
import type { IdeaStore } from "../ideas/store.js";
import type { FilesService } from "./files-service.js";

/** Shown inline (the viewer's <img>); anything else is served as bytes to save. */
const imageTypes: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
  svg: "image/svg+xml",
};

/**
 * The project's files are whatever Claude (or anyone) wrote: served from our origin they must not
 * run as a page. nosniff keeps the declared type; the sandbox CSP stops scripts (in an SVG, say).
 */
const untrusted = {
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "cache-control": "no-store",
};

function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function fileRoutes(store: IdeaStore, files: FilesService) {
  return new Hono<AppEnv>()
    .get("/:id/files", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      return c.json(await files.list(id, c.req.query("path")));
    })
    .get("/:id/files/content", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      return c.json(await files.read(id, c.req.query("path")));
    })
    .get("/:id/files/raw", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const { path, size, body } = await files.raw(id, c.req.query("path"));
      const name = path.split("/").at(-1) ?? "file";
      const ext = name.includes(".") ? (name.split(".").at(-1)?.toLowerCase() ?? "") : "";
      const image = imageTypes[ext];
      const download = c.req.query("download") !== undefined || image === undefined;
      return new Response(body, {
        headers: {
          ...untrusted,
          "content-type": image ?? "application/octet-stream",
          "content-length": String(size),
          ...(download ? { "content-disposition": attachment(name) } : {}),
        },
      });
    })
    .get("/:id/files/archive", async (c) => {
      const id = c.req.param("id");
      const meta = await store.get(id);
      const { body } = await files.archive(id);
      const slug = meta.title.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || id;
      return new Response(body, {
        headers: {
          ...untrusted,
          "content-type": "application/gzip",
          "content-disposition": attachment(`${slug}.tar.gz`),
        },
      });
    });
}
