// @vitest-environment node
import { describe, expect, it, vi } from "vitest";
import { SESSION_HINT_KEY, Session, type TokenResponse } from "./session";

const BASE = "http://app.test/api/v1";

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
    data,
  };
}

function tokens(accessToken: string): TokenResponse {
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: 900,
    user: {
      id: "u1",
      email: "ani@example.com",
      full_name: "Ani",
      role: "learner",
      locale: "id",
      is_active: true,
      created_at: "2026-01-01T00:00:00Z",
    },
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/**
 * A fake platform: /auth/refresh answers `refreshStatus` (after `gate` resolves, so tests can
 * hold a refresh in flight); other paths answer 200 only to the current valid token.
 */
function fakePlatform(options: { refreshStatus?: number; gate?: Promise<void> } = {}) {
  const state = { validToken: "fresh-token", refreshCalls: 0, seen: [] as Request[] };
  const fetch = vi.fn(async (request: Request) => {
    state.seen.push(request);
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/refresh") {
      state.refreshCalls += 1;
      await options.gate;
      const status = options.refreshStatus ?? 200;
      return status === 200 ? json(200, tokens(state.validToken)) : json(status, { detail: "no" });
    }
    if (request.headers.get("Authorization") !== `Bearer ${state.validToken}`) {
      return json(401, { detail: "expired" });
    }
    const body = request.method === "POST" ? await request.text() : null;
    return json(200, { path, body });
  });
  return { fetch, state };
}

describe("Session.fetch", () => {
  it("attaches the access token of the signed-in user", async () => {
    const platform = fakePlatform();
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage: memoryStorage() });
    session.signIn(tokens("fresh-token"));

    const response = await session.fetch(new Request(`${BASE}/users/me`));

    expect(response.status).toBe(200);
    expect(platform.state.seen[0]?.headers.get("Authorization")).toBe("Bearer fresh-token");
    expect(platform.state.refreshCalls).toBe(0);
  });

  it("refreshes once for concurrent 401s and replays every request", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const platform = fakePlatform({ gate });
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage: memoryStorage() });
    session.signIn(tokens("stale-token"));

    const pending = [
      session.fetch(new Request(`${BASE}/users/me`)),
      session.fetch(new Request(`${BASE}/me/courses`)),
      session.fetch(new Request(`${BASE}/courses/abc`)),
    ];
    // All three got their 401 and asked for a refresh while the first one is still in flight.
    const refresh = vi.spyOn(session, "refresh");
    await vi.waitFor(() => expect(refresh).toHaveBeenCalledTimes(3));
    expect(platform.state.refreshCalls).toBe(1);
    open();
    const responses = await Promise.all(pending);

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(platform.state.refreshCalls).toBe(1);
    expect(session.getAccessToken()).toBe("fresh-token");
    const paths = await Promise.all(responses.map(async (r) => ((await r.json()) as { path: string }).path));
    expect(paths).toEqual(["/api/v1/users/me", "/api/v1/me/courses", "/api/v1/courses/abc"]);
  });

  it("replays a POST with its original body", async () => {
    const platform = fakePlatform();
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage: memoryStorage() });
    session.signIn(tokens("stale-token"));

    const response = await session.fetch(
      new Request(`${BASE}/lessons/l1/attempts`, {
        method: "POST",
        body: JSON.stringify({ answers: [{ question_id: "q1", option_ids: ["a"] }] }),
        headers: { "Content-Type": "application/json" },
      }),
    );

    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { body: string };
    expect(JSON.parse(echoed.body)).toEqual({ answers: [{ question_id: "q1", option_ids: ["a"] }] });
  });

  it("ends the session as expired when the refresh fails, without replaying", async () => {
    const storage = memoryStorage();
    const platform = fakePlatform({ refreshStatus: 401 });
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage });
    session.signIn(tokens("stale-token"));
    const listener = vi.fn();
    session.subscribe(listener);

    const response = await session.fetch(new Request(`${BASE}/users/me`));

    expect(response.status).toBe(401);
    expect(platform.fetch).toHaveBeenCalledTimes(2); // the request and the refresh, no replay
    expect(session.getSnapshot()).toEqual({ status: "anonymous", user: null, endReason: "expired" });
    expect(session.getAccessToken()).toBeNull();
    expect(storage.data.has(SESSION_HINT_KEY)).toBe(false);
    expect(listener).toHaveBeenCalled();
  });

  it("does not refresh for anonymous requests or for the auth endpoints", async () => {
    const platform = fakePlatform();
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage: memoryStorage() });
    await session.restore();

    const anonymous = await session.fetch(new Request(`${BASE}/me/courses`));
    const login = await session.fetch(new Request(`${BASE}/auth/login`, { method: "POST" }));

    expect(anonymous.status).toBe(401);
    expect(login.status).toBe(401);
    expect(platform.state.refreshCalls).toBe(0);
  });
});

describe("Session.restore", () => {
  it("stays anonymous without calling the platform when this browser never signed in", async () => {
    const platform = fakePlatform();
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage: memoryStorage() });

    expect(await session.restore()).toBe(false);

    expect(platform.fetch).not.toHaveBeenCalled();
    expect(session.getSnapshot().status).toBe("anonymous");
  });

  it("uses the refresh cookie after a reload and sends waiting requests with the new token", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const platform = fakePlatform({ gate });
    const session = new Session({
      baseUrl: BASE,
      fetch: platform.fetch,
      storage: memoryStorage({ [SESSION_HINT_KEY]: "1" }),
    });

    const restoring = session.restore();
    const early = session.fetch(new Request(`${BASE}/me/courses`)); // made while restoring
    open();

    expect(await restoring).toBe(true);
    expect((await early).status).toBe(200);
    const refresh = platform.state.seen[0];
    expect(new URL(refresh?.url ?? "").pathname).toBe("/api/v1/auth/refresh");
    expect(refresh?.method).toBe("POST");
    expect(refresh?.credentials).toBe("include");
    expect(session.getSnapshot()).toMatchObject({ status: "authenticated", user: { id: "u1" } });
    expect(platform.state.refreshCalls).toBe(1);
  });

  it("treats a stale hint as signed out, not as an expired session", async () => {
    const storage = memoryStorage({ [SESSION_HINT_KEY]: "1" });
    const platform = fakePlatform({ refreshStatus: 401 });
    const session = new Session({ baseUrl: BASE, fetch: platform.fetch, storage });

    expect(await session.restore()).toBe(false);

    expect(session.getSnapshot()).toEqual({ status: "anonymous", user: null, endReason: null });
    expect(storage.data.has(SESSION_HINT_KEY)).toBe(false);
  });

  it("ends the session locally on logout", () => {
    const storage = memoryStorage();
    const session = new Session({ baseUrl: BASE, fetch: fakePlatform().fetch, storage });
    session.signIn(tokens("t"));
    expect(storage.data.get(SESSION_HINT_KEY)).toBe("1");

    session.end("logout");

    expect(session.getSnapshot()).toEqual({ status: "anonymous", user: null, endReason: "logout" });
    expect(session.getAccessToken()).toBeNull();
    expect(storage.data.has(SESSION_HINT_KEY)).toBe(false);
  });
});
