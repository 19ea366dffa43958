// /api/ideas: the HTTP face of the store and the run service.
import {
  buildBodySchema,
  chatBodySchema,
  createIdeaBodySchema,
  patchIdeaBodySchema,
  permissionAnswerBodySchema,
  type ApprovalsPolicy,
} from "@catalyst/shared";
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../http/app-error.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody } from "../http/json-body.js";
import { parseOr400 } from "../http/validate.js";
import type { Hub } from "../relay/hub.js";
import { withPolicy } from "./approvals.js";
import type { RunService } from "./run-service.js";
import type { IdeaStore } from "./store.js";

/** Entries per page of history unless `limit` says otherwise; a page also stops at PAGE_MAX_BYTES. */
export const EVENTS_PAGE_DEFAULT = 2000;
const EVENTS_PAGE_MAX = 10_000;

const eventsQuery = z.object({
  after: z.coerce.number().int("after must be an integer").min(0).default(0),
  limit: z.coerce
    .number()
    .int("limit must be an integer")
    .min(1)
    .max(EVENTS_PAGE_MAX)
    .default(EVENTS_PAGE_DEFAULT),
});

export function ideaRoutes(
  store: IdeaStore,
  runs: RunService,
  hub: Hub,
  defaultApprovals: ApprovalsPolicy,
) {
  const shown = (meta: Parameters<typeof withPolicy>[0]) => withPolicy(meta, defaultApprovals);
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json((await store.list()).map(shown)))
    .post("/", async (c) => {
      const body = await jsonBody(c, createIdeaBodySchema);
      const meta = await store.create({ title: body.title, description: body.description ?? "" });
      hub.ideaChanged(meta.id);
      return c.json(shown(meta), 201);
    })
    .get("/:id", async (c) => c.json(shown(await store.get(c.req.param("id")))))
    .patch("/:id", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const body = await jsonBody(c, patchIdeaBodySchema);
      const meta = await store.update(id, (m) => ({
        ...m,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.budgetUsd !== undefined ? { budgetUsd: body.budgetUsd } : {}),
        ...(body.approvals !== undefined ? { approvals: body.approvals } : {}),
      }));
      hub.ideaChanged(id);
      if (body.approvals !== undefined) await runs.policyChanged(id);
      return c.json(shown(meta));
    })
    .delete("/:id", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      if (runs.isActive(id)) {
        throw new AppError("busy", "this idea has a run going; cancel it before deleting");
      }
      await store.remove(id);
      hub.ideaChanged(id, true);
      return c.body(null, 204);
    })
    .get("/:id/events", async (c) => {
      const { after, limit } = parseOr400(eventsQuery, {
        after: c.req.query("after"),
        limit: c.req.query("limit"),
      });
      const page = await store.readPage(c.req.param("id"), after, limit);
      return c.json({ events: page.entries, nextAfter: page.nextAfter });
    })
    .post("/:id/chat", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const body = await jsonBody(c, chatBodySchema);
      return c.json(await runs.start(id, "chat", body.message), 202);
    })
    .post("/:id/build", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const body = await jsonBody(c, buildBodySchema);
      return c.json(await runs.start(id, "build", body.message), 202);
    })
    .post("/:id/cancel", async (c) => c.json(await runs.cancel(c.req.param("id")), 202))
    .post("/:id/permissions/:requestId", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const body = await jsonBody(c, permissionAnswerBodySchema);
      return c.json(await runs.answer(id, c.req.param("requestId"), body));
    });
}
