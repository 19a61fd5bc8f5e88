/** The one API client of the web app: openapi-fetch over the session's authenticating fetch. */

import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { Session } from "./session";

// Absolute, so `new Request()` also works under Node (tests); same origin as the page. The
// generated paths already start with /api/v1.
const origin = typeof window === "undefined" ? "http://localhost" : window.location.origin;

export const session = new Session({ baseUrl: `${origin}/api/v1` });

export const api = createClient<paths>({
  baseUrl: origin,
  fetch: session.fetch,
  // Same origin; "include" also sends the HttpOnly refresh cookie to /api/v1/auth/*.
  credentials: "include",
  headers: { Accept: "application/json" },
});
