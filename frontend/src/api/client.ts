/** The one API client of the web app: openapi-fetch over the session's authenticating fetch. */

import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { Session } from "./session";

function apiBaseUrl(): string {
  // Absolute, so `new Request()` also works under Node (tests); same origin as the page.
  const origin = typeof window === "undefined" ? "http://localhost" : window.location.origin;
  return new URL("/api/v1", origin).href;
}

export const session = new Session({ baseUrl: apiBaseUrl() });

export const api = createClient<paths>({
  baseUrl: apiBaseUrl(),
  fetch: session.fetch,
  // Same origin; "include" also sends the HttpOnly refresh cookie to /api/v1/auth/*.
  credentials: "include",
  headers: { Accept: "application/json" },
});
