// The idea list: loaded through the API client, patched when the server says an idea changed.
import { createStore, produce } from "solid-js/store";
import type { IdeaMeta } from "@catalyst/shared";
import type { ApiClient } from "../api/client.js";
import { describeError } from "../api/messages.js";
import { ok, type Result } from "../api/result.js";

export type IdeasState = { list: IdeaMeta[]; loaded: boolean; error: string | null };

const newestFirst = (a: IdeaMeta, b: IdeaMeta) => b.createdAt.localeCompare(a.createdAt);

export function createIdeasStore(api: ApiClient) {
  const [state, setState] = createStore<IdeasState>({ list: [], loaded: false, error: null });

  const upsert = (meta: IdeaMeta) =>
    setState(
      produce((s) => {
        const i = s.list.findIndex((m) => m.id === meta.id);
        if (i >= 0) s.list[i] = meta;
        else s.list = [meta, ...s.list].sort(newestFirst);
      }),
    );
  const drop = (id: string) => setState("list", (l) => l.filter((m) => m.id !== id));

  const actions = {
    async refresh(): Promise<void> {
      const r = await api.listIdeas();
      if (r.ok) setState({ list: r.value, loaded: true, error: null });
      else setState({ loaded: true, error: describeError(r.error) });
    },
    async create(title: string, description: string): Promise<Result<IdeaMeta>> {
      const r = await api.createIdea(title, description);
      if (r.ok) upsert(r.value);
      return r;
    },
    async rename(id: string, title: string): Promise<Result<IdeaMeta>> {
      const r = await api.updateIdea(id, { title });
      if (r.ok) upsert(r.value);
      return r;
    },
    async describe(id: string, description: string): Promise<Result<IdeaMeta>> {
      const r = await api.updateIdea(id, { description });
      if (r.ok) upsert(r.value);
      return r;
    },
    /** Ask before each tool call, or allow them all. */
    async setApprovals(id: string, approvals: "ask" | "auto"): Promise<Result<IdeaMeta>> {
      const r = await api.updateIdea(id, { approvals });
      if (r.ok) upsert(r.value);
      return r;
    },
    /** null: no budget of its own. */
    async setBudget(id: string, budgetUsd: number | null): Promise<Result<IdeaMeta>> {
      const r = await api.updateIdea(id, { budgetUsd });
      if (r.ok) upsert(r.value);
      return r;
    },
    async remove(id: string): Promise<Result<null>> {
      const r = await api.deleteIdea(id);
      if (!r.ok) return r;
      drop(id);
      return ok(null);
    },
    /** The server said an idea changed: fetch just that one (or drop it). */
    async changed(id: string, deleted = false): Promise<void> {
      if (deleted) return drop(id);
      const r = await api.getIdea(id);
      if (r.ok) upsert(r.value);
      else if (r.error.code === "not_found") drop(id);
    },
    byId: (id: string) => state.list.find((m) => m.id === id),
  };
  return [state, actions] as const;
}
export type IdeasStore = ReturnType<typeof createIdeasStore>;
