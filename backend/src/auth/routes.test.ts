import { apiErrorSchema } from "@catalyst/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeHarness, TEST_KEY, type Harness } from "../../test/server-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const login = (key: string) =>
  h.catalyst.app.request("/api/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0] ?? "";
}

const ID = "abcdefghijklmnopqrstu";
const protectedRoutes: [string, string][] = [
  ["GET", "/api/ideas"],
  ["POST", "/api/ideas"],
  ["GET", `/api/ideas/${ID}`],
  ["PATCH", `/api/ideas/${ID}`],
  ["DELETE", `/api/ideas/${ID}`],
  ["GET", `/api/ideas/${ID}/events`],
  ["POST", `/api/ideas/${ID}/chat`],
  ["POST", `/api/ideas/${ID}/build`],
  ["POST", `/api/ideas/${ID}/cancel`],
  ["GET", "/api/session"],
  ["GET", "/api/anything"],
];

describe("login", () => {
  it("sets an HttpOnly SameSite=Strict session cookie that is not the key, and the cookie opens the API", async () => {
    const res = await login(TEST_KEY);
    expect(res.status).toBe(204);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^catalyst_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TEST_KEY);
    const ideas = await h.catalyst.app.request("/api/ideas", {
      headers: { cookie: cookieOf(res) },
    });
    expect(ideas.status).toBe(200);
  });

  it("logout ends the session", async () => {
    const cookie = cookieOf(await login(TEST_KEY));
    const out = await h.catalyst.app.request("/api/logout", {
      method: "POST",
      headers: { cookie },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/catalyst_session=;/);
    const after = await h.catalyst.app.request("/api/ideas", { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it("refuses a wrong key with 401 and no cookie", async () => {
    const res = await login("not-the-key-at-all");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(apiErrorSchema.parse(await res.json()).error.code).toBe("unauthorized");
  });

  it("throttles wrong keys after 5 from an address (429 with Retry-After) but never the right key", async () => {
    for (let i = 0; i < 5; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
    const blocked = await login("wrong-again");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(apiErrorSchema.parse(await blocked.json()).error.code).toBe("too_many_attempts");
    // Whoever tripped the throttle (another page, another user behind the same proxy), the
    // person with the key still gets in, by the form and by Bearer.
    expect((await login(TEST_KEY)).status).toBe(204);
    const bearer = await h.catalyst.app.request("/api/session", {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    expect(bearer.status).toBe(200);
  });

  it("refuses a login from another origin with 403 before looking at the key (no-cors fetch from any page)", async () => {
    const HOST = "127.0.0.1:3000";
    for (let i = 0; i < 8; i++) {
      const res = await h.catalyst.app.request(`http://${HOST}/api/login`, {
        method: "POST",
        headers: { host: HOST, origin: "http://evil.example", "content-type": "text/plain" },
        body: JSON.stringify({ key: i === 7 ? TEST_KEY : `wrong-${i}` }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    // None of those counted as a failure: the page's own origin logs in, and so do wrong keys
    // get their plain 401 (the throttle was never touched).
    const own = await h.catalyst.app.request(`http://${HOST}/api/login`, {
      method: "POST",
      headers: { host: HOST, origin: `http://${HOST}`, "content-type": "application/json" },
      body: JSON.stringify({ key: "still-wrong" }),
    });
    expect(own.status).toBe(401);
  });

  it("logs a failed attempt with its address, never the key tried", async () => {
    const lines: string[] = [];
    const logger = {
      info: () => {},
      warn: (msg: string, fields?: Record<string, unknown>) =>
        lines.push(JSON.stringify({ msg, ...fields })),
      error: () => {},
    };
    await h.cleanup();
    h = await makeHarness({ logger });
    await login("the-wrong-key-tried-here");
    expect(lines.some((l) => l.includes("wrong key") && l.includes("local"))).toBe(true);
    expect(lines.join("\n")).not.toContain("the-wrong-key-tried-here");
    expect(lines.join("\n")).not.toContain(TEST_KEY);
  });

  it("signs in once with a one-time login link's token; the same token again is a 401", async () => {
    const token = h.catalyst.auth.loginLinks.issue();
    const post = () =>
      h.catalyst.app.request("/api/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
    const first = await post();
    expect(first.status).toBe(204);
    const ideas = await h.catalyst.app.request("/api/ideas", {
      headers: { cookie: cookieOf(first) },
    });
    expect(ideas.status).toBe(200);
    const again = await post();
    expect(again.status).toBe(401);
    expect(apiErrorSchema.parse(await again.json()).error.message).toMatch(/already used/);
  });

  it("refuses a login body without a key with 400", async () => {
    const res = await h.catalyst.app.request("/api/login", { method: "POST", body: "{}" });
    expect(res.status).toBe(400);
  });
});

describe("every API route needs auth", () => {
  it.each(protectedRoutes)("%s %s without credentials is a 401", async (method, path) => {
    const res = await h.catalyst.app.request(path, { method });
    expect(res.status).toBe(401);
    expect(apiErrorSchema.parse(await res.json()).error.code).toBe("unauthorized");
  });

  it.each(protectedRoutes)("%s %s with a wrong Bearer key is a 401", async (method, path) => {
    const res = await h.catalyst.app.request(path, {
      method,
      headers: { authorization: "Bearer nope-nope-nope" },
    });
    expect(res.status).toBe(401);
  });

  it("a made-up session cookie is a 401", async () => {
    const res = await h.catalyst.app.request("/api/ideas", {
      headers: { cookie: "catalyst_session=forged" },
    });
    expect(res.status).toBe(401);
  });

  it("accepts the Bearer key", async () => {
    const res = await h.catalyst.app.request("/api/session", {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    expect(await res.json()).toEqual({ authenticated: true, method: "bearer" });
  });

  it("health without a session says only that the server is up; with one, the runner's probe", async () => {
    const anonymous = await h.catalyst.app.request("/api/health");
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ ok: true });
    const res = await h.api("/api/health");
    expect(await res.json()).toMatchObject({
      ok: true,
      target: "fake",
      cliFound: true,
      cliVersion: "0.0.0 (fake)",
    });
  });
});

describe("cross-origin requests with the session cookie", () => {
  // SameSite=Strict does not stop a page on another port of this host (same site), and a
  // text/plain form can carry a JSON body: the Origin of a cookie request must be this server.
  const HOST = "127.0.0.1:3000";
  const post = (cookie: string, origin: string | null, path = "/api/ideas") =>
    h.catalyst.app.request(`http://${HOST}${path}`, {
      method: "POST",
      headers: {
        cookie,
        host: HOST,
        "content-type": "text/plain",
        ...(origin !== null ? { origin } : {}),
      },
      body: JSON.stringify({ title: "planted" }),
    });

  it("refuses a POST from another origin of the same site with 403, and creates nothing", async () => {
    const cookie = cookieOf(await login(TEST_KEY));
    for (const origin of ["http://127.0.0.1:8080", "http://evil.example", "null"]) {
      const res = await post(cookie, origin);
      expect(res.status).toBe(403);
      expect(apiErrorSchema.parse(await res.json()).error.code).toBe("forbidden");
    }
    expect((await post(cookie, null, "/api/logout")).status).toBe(204);
    const list = await h.api("/api/ideas");
    expect(await list.json()).toEqual([]);
  });

  it("accepts the page's own origin (any case), a request without Origin, and Bearer from anywhere", async () => {
    const cookie = cookieOf(await login(TEST_KEY));
    expect((await post(cookie, `http://${HOST}`)).status).toBe(201);
    expect((await post(cookie, `HTTP://${HOST.toUpperCase()}`)).status).toBe(201);
    expect((await post(cookie, null)).status).toBe(201);
    const script = await h.catalyst.app.request(`http://${HOST}/api/ideas`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, origin: "http://elsewhere.example" },
      body: JSON.stringify({ title: "scripted" }),
    });
    expect(script.status).toBe(201);
  });

  it("refuses a cross-origin logout (it would end the person's session)", async () => {
    const cookie = cookieOf(await login(TEST_KEY));
    const res = await h.catalyst.app.request(`http://${HOST}/api/logout`, {
      method: "POST",
      headers: { cookie, host: HOST, origin: "http://127.0.0.1:8080" },
    });
    expect(res.status).toBe(403);
    const still = await h.catalyst.app.request("/api/ideas", { headers: { cookie } });
    expect(still.status).toBe(200);
  });
});
