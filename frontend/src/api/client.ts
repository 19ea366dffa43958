// The typed HTTP client: one function per route, responses validated with the shared zod schemas.
import { z } from "zod";
import {
  apiErrorSchema,
  eventsResponseSchema,
  fileContentSchema,
  fileListingSchema,
  revertResultSchema,
  runChangesSchema,
  healthSchema,
  ideaMetaSchema,
  runAcceptedSchema,
  usageResponseSchema,
  type Health,
  type UsageGroupBy,
  type UsageResponse,
  type IdeaMeta,
  permissionAnsweredResponseSchema,
  type PermissionAnswerBody,
  type TranscriptEntry,
} from "@catalyst/shared";
import { accountCalls } from "./account.js";
import { fail, ok, type Result } from "./result.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type ApiClient = ReturnType<typeof makeApiClient>;

const noContent = z.unknown();

export type ApiClientOptions = {
  fetch?: FetchLike;
  base?: string;
  /** Called when any call answers 401: the session ended (logout elsewhere, server restarted). */
  onUnauthorized?: () => void;
};

export function makeApiClient(opts: ApiClientOptions = {}) {
  const fetchFn: FetchLike = opts.fetch ?? ((i, init) => fetch(i, init));
  const base = opts.base ?? "";
  async function call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<Result<T>> {
    let res: Response;
    try {
      res = await fetchFn(base + path, {
        method,
        credentials: "same-origin",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      return fail({ status: 0, code: "network", message: "Cannot reach the server." });
    }
    const text = await res.text().catch(() => "");
    let json: unknown = undefined;
    if (text !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      if (res.status === 401 && path !== "/api/login") opts.onUnauthorized?.();
      const parsed = apiErrorSchema.safeParse(json);
      if (parsed.success) return fail({ status: res.status, ...parsed.data.error });
      return fail({
        status: res.status,
        code: res.status === 401 ? "unauthorized" : "bad_response",
        message: `The server answered ${res.status} ${res.statusText}`.trim(),
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return fail({
        status: res.status,
        code: "bad_response",
        message: `Unexpected answer from the server for ${method} ${path}`,
      });
    }
    return ok(parsed.data);
  }

  const idea = (id: string) => `/api/ideas/${encodeURIComponent(id)}`;

  return {
    health: (): Promise<Result<Health>> => call("GET", "/api/health", healthSchema),
    login: (key: string) => call("POST", "/api/login", noContent, { key }),
    /** Signs in with a one-time login link's token. */
    loginWithLink: (token: string) => call("POST", "/api/login", noContent, { token }),
    logout: () => call("POST", "/api/logout", noContent),
    listIdeas: (): Promise<Result<IdeaMeta[]>> =>
      call("GET", "/api/ideas", z.array(ideaMetaSchema)),
    getIdea: (id: string): Promise<Result<IdeaMeta>> => call("GET", idea(id), ideaMetaSchema),
    createIdea: (title: string, description: string): Promise<Result<IdeaMeta>> =>
      call("POST", "/api/ideas", ideaMetaSchema, { title, description }),
    updateIdea: (
      id: string,
      patch: {
        title?: string;
        description?: string;
        approvals?: "ask" | "auto";
        budgetUsd?: number | null;
      },
    ) => call("PATCH", idea(id), ideaMetaSchema, patch),
    deleteIdea: (id: string) => call("DELETE", idea(id), noContent),
    /** Every entry after `after`: the server answers in pages, followed here to the end. */
    events: async (id: string, after = 0): Promise<Result<TranscriptEntry[]>> => {
      const all: TranscriptEntry[] = [];
      for (let from: number | null | undefined = after; typeof from === "number";) {
        const r: Result<z.infer<typeof eventsResponseSchema>> = await call(
          "GET",
          `${idea(id)}/events?after=${from}`,
          eventsResponseSchema,
        );
        if (!r.ok) return r;
        all.push(...r.value.events);
        from = r.value.events.length > 0 ? r.value.nextAfter : null;
      }
      return ok(all);
    },
    chat: (id: string, message: string) =>
      call("POST", `${idea(id)}/chat`, runAcceptedSchema, { message }),
    build: (id: string, message?: string) =>
      call("POST", `${idea(id)}/build`, runAcceptedSchema, message ? { message } : {}),
    cancel: (id: string) => call("POST", `${idea(id)}/cancel`, noContent),
    ...accountCalls(call),
    listFiles: (id: string, path: string) =>
      call("GET", `${idea(id)}/files?path=${encodeURIComponent(path)}`, fileListingSchema),
    fileContent: (id: string, path: string) =>
      call("GET", `${idea(id)}/files/content?path=${encodeURIComponent(path)}`, fileContentSchema),
    /** For <img src> and download links: the cookie goes along. */
    rawFileUrl: (id: string, path: string, download = false) =>
      `${base}${idea(id)}/files/raw?path=${encodeURIComponent(path)}${download ? "&download" : ""}`,
    archiveUrl: (id: string) => `${base}${idea(id)}/files/archive`,
    runChanges: (id: string, runId: string) =>
      call("GET", `${idea(id)}/runs/${encodeURIComponent(runId)}/changes`, runChangesSchema),
    revertRun: (id: string, runId: string) =>
      call("POST", `${idea(id)}/runs/${encodeURIComponent(runId)}/revert`, revertResultSchema),
    /** Answers a tool approval or a question the run is waiting on. */
    answerPermission: (id: string, requestId: string, body: PermissionAnswerBody) =>
      call(
        "POST",
        `${idea(id)}/permissions/${encodeURIComponent(requestId)}`,
        permissionAnsweredResponseSchema,
        body,
      ),
    usage: (q: UsageQuery): Promise<Result<UsageResponse>> =>
      call("GET", usagePath(q), usageResponseSchema),
  };
}

export type UsageQuery = {
  groupBy: UsageGroupBy;
  from?: string | null;
  to?: string | null;
  ideaId?: string;
  format?: "json" | "csv";
};

/** /api/usage with its query; also the CSV download's link. */
export function usagePath(q: UsageQuery): string {
  const p = new URLSearchParams({ groupBy: q.groupBy });
  if (q.from) p.set("from", q.from);
  if (q.to) p.set("to", q.to);
  if (q.ideaId) p.set("ideaId", q.ideaId);
  if (q.format === "csv") p.set("format", "csv");
  return `/api/usage?${p.toString()}`;
}
