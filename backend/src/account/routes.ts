// /api/account: the Claude account on the target. Mounted behind requireAuth (session or Bearer,
// and the Origin check for a cookie's writes), like every other route that changes something.
import { loginCodeBodySchema, storeCredentialBodySchema } from "@catalyst/shared";
import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";
import { jsonBody } from "../http/json-body.js";
import type { AccountService } from "./service.js";

export function accountRoutes(account: AccountService) {
  return (
    new Hono<AppEnv>()
      .get("/", async (c) => {
        // Never cached by the browser or a proxy: it says how the account signs in.
        c.header("Cache-Control", "no-store");
        return c.json(await account.status({ fresh: c.req.query("fresh") === "1" }));
      })
      .put("/api-key", async (c) => {
        const body = await jsonBody(c, storeCredentialBodySchema);
        return c.json(await account.store(body));
      })
      .delete("/api-key", async (c) => c.json(await account.removeStored()))
      .post("/logout", async (c) => c.json(await account.logout()))
      .post("/login", async (c) => c.json(await account.startLogin()))
      // The answer says what the CLI said; never the code.
      .post("/login/:loginId", async (c) => {
        const { code } = await jsonBody(c, loginCodeBodySchema);
        return c.json(await account.finishLogin(c.req.param("loginId"), code));
      })
  );
}
