/**
 * The signed-in session: the access token lives in memory only, the refresh token in an HttpOnly
 * cookie the platform sets on `/api/v1/auth` (JavaScript can never read it).
 *
 * `session.fetch` is the transport of the API client. It attaches the access token, and when the
 * platform answers 401 to a request that carried a token, it refreshes once — concurrent 401s
 * share a single refresh — and replays the original request with the new token. When the refresh
 * fails the session ends with `reason: "expired"`, which sends protected pages to the login page.
 */

import type { User } from "./types";

export type SessionStatus = "unknown" | "authenticated" | "anonymous";
export type EndReason = "logout" | "expired";

export interface SessionState {
  status: SessionStatus;
  user: User | null;
  /** Why the last session ended; lets the login page say "your session expired". */
  endReason: EndReason | null;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  user: User;
}

export interface SessionOptions {
  /** Absolute base URL of the API, e.g. `https://host/api/v1`. */
  baseUrl: string;
  fetch?: (input: Request) => Promise<Response>;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
}

/**
 * A non-secret hint that this browser may hold a refresh cookie. Without it an anonymous visit
 * would call /auth/refresh, get a 401 and log a console error on every page load.
 */
export const SESSION_HINT_KEY = "pe.session";

export class Session {
  private accessToken: string | null = null;
  private state: SessionState = { status: "unknown", user: null, endReason: null };
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly baseUrl: string;
  private readonly baseFetch: (input: Request) => Promise<Response>;
  private readonly storage: SessionOptions["storage"];

  constructor(options: SessionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.baseFetch = options.fetch ?? ((input) => globalThis.fetch(input));
    this.storage = options.storage === undefined ? safeLocalStorage() : options.storage;
  }

  // --- state for React (useSyncExternalStore) -------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  getAccessToken(): string | null {
    return this.accessToken;
  }

  private setState(next: SessionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  // --- lifecycle ------------------------------------------------------------------------------

  /** On page load: restore the session from the refresh cookie when this browser had one. */
  async restore(): Promise<boolean> {
    if (this.state.status !== "unknown") return this.state.status === "authenticated";
    if (!this.hasHint()) {
      this.setState({ status: "anonymous", user: null, endReason: null });
      return false;
    }
    return this.refresh();
  }

  /** Adopt the tokens of a successful login or refresh. */
  signIn(tokens: TokenResponse): void {
    this.accessToken = tokens.access_token;
    this.storage?.setItem(SESSION_HINT_KEY, "1");
    this.setState({ status: "authenticated", user: tokens.user, endReason: null });
  }

  /** Replace the cached user after a profile change. */
  updateUser(user: User): void {
    if (this.state.status !== "authenticated") return;
    this.setState({ ...this.state, user });
  }

  /** Forget the session locally. The caller tells the platform (POST /auth/logout) first. */
  end(reason: EndReason | null): void {
    this.accessToken = null;
    this.storage?.removeItem(SESSION_HINT_KEY);
    this.setState({ status: "anonymous", user: null, endReason: reason });
  }

  /**
   * Exchange the refresh cookie for a new access token. Callers that arrive while a refresh is
   * in flight share it: the platform rotates the cookie on every refresh and treats a reused
   * refresh token as theft, so two parallel refreshes would end the session.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    let response: Response;
    try {
      response = await withRefreshLock(() =>
        this.baseFetch(
          new Request(`${this.baseUrl}/auth/refresh`, {
            method: "POST",
            credentials: "include",
            headers: { Accept: "application/json" },
          }),
        ),
      );
    } catch {
      // Offline or the platform is down: keep what we have, a later request will retry.
      if (this.state.status === "unknown") {
        this.setState({ status: "anonymous", user: null, endReason: null });
      }
      return false;
    }
    if (!response.ok) {
      // A stale hint on page load is not an expiry worth telling the user about.
      this.end(this.state.status === "authenticated" ? "expired" : null);
      return false;
    }
    const tokens = (await response.json()) as TokenResponse;
    this.signIn(tokens);
    return true;
  }

  private hasHint(): boolean {
    try {
      return this.storage?.getItem(SESSION_HINT_KEY) === "1";
    } catch {
      return false;
    }
  }

  // --- transport ------------------------------------------------------------------------------

  /** The fetch used by the API client: bearer token, one shared refresh on 401, one replay. */
  fetch = async (request: Request): Promise<Response> => {
    const isAuthCall = new URL(request.url).pathname.startsWith(
      new URL(`${this.baseUrl}/auth/`).pathname,
    );
    // A request sent while the session is being restored waits for it, so it carries a token.
    if (this.refreshing && !isAuthCall) await this.refreshing;
    const sentToken = isAuthCall ? null : this.accessToken;
    // Keep an unsent copy: a Request body can be read only once.
    const replay = sentToken ? request.clone() : null;
    if (sentToken) request.headers.set("Authorization", `Bearer ${sentToken}`);
    const response = await this.baseFetch(request);
    if (response.status !== 401 || !replay) return response;

    // Another request may already have refreshed while this one was on the wire.
    const renewed =
      this.accessToken !== null && this.accessToken !== sentToken ? true : await this.refresh();
    if (!renewed || !this.accessToken) return response;
    replay.headers.set("Authorization", `Bearer ${this.accessToken}`);
    return this.baseFetch(replay);
  };
}

/**
 * Serialise refreshes across the tabs of this browser (Web Locks API). Tabs share the cookie:
 * two tabs reloading at once would present the same refresh token twice, which the platform
 * treats as theft and answers by revoking the session. Behind the lock, the second tab sends the
 * cookie the first one just received.
 */
async function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (!locks) return work();
  return locks.request("pe-refresh-token", work);
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}
