import { useSyncExternalStore } from "react";
import { session } from "../api/client";
import type { SessionState } from "../api/session";

/** The current session state; re-renders on sign-in, sign-out and profile changes. */
export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}
