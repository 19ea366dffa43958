// Lets a run's footer, deep in the chat, open the idea view's Changes tab for that run.
import { createContext, useContext } from "solid-js";

export interface IdeaViewActions {
  showChanges(runId: string): void;
}

export const IdeaViewContext = createContext<IdeaViewActions | null>(null);

export const useIdeaView = (): IdeaViewActions | null => useContext(IdeaViewContext);
