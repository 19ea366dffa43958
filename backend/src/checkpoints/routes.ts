// /api/ideas/:id/runs/:runId/{changes,revert}: what a build run changed, and undoing it.
import { Hono } from "hono";
import { AppError } from "../http/app-error.js";
import type { AppEnv } from "../http/env.js";
import type { RunService } from "../ideas/run-service.js";
import type { IdeaStore } from "../ideas/store.js";
import { RUN_ID_PATTERN } from "../runs/wrapper-script.js";
import type { Checkpoints } from "./checkpoints.js";

function runIdOf(raw: string): string {
  if (!RUN_ID_PATTERN.test(raw)) throw new AppError("bad_request", "not a run id");
  return raw;
}

export function checkpointRoutes(store: IdeaStore, runs: RunService, checkpoints: Checkpoints) {
  return new Hono<AppEnv>()
    .get("/:id/runs/:runId/changes", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      return c.json(await checkpoints.changes(id, runIdOf(c.req.param("runId"))));
    })
    .post("/:id/runs/:runId/revert", async (c) => {
      const id = c.req.param("id");
      await store.get(id);
      const runId = runIdOf(c.req.param("runId"));
      // A run writing files while we put others back would leave a mix of both.
      if (runs.isActive(id))
        throw new AppError(
          "busy",
          "this idea has a run going; wait for it or cancel it before reverting",
        );
      return c.json(await checkpoints.revert(id, runId));
    });
}
