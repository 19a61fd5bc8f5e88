import { Navigate, Outlet, useLocation } from "react-router";
import type { Role } from "../api/types";
import { PageLoader } from "../components/PageLoader";
import { Forbidden } from "../components/Forbidden";
import { useSession } from "./useSession";

/** Protected pages: wait for the session to be restored, else send the visitor to sign in. */
export function RequireAuth() {
  const { status, endReason } = useSession();
  const location = useLocation();
  if (status === "unknown") return <PageLoader />;
  if (status === "anonymous") {
    const next = location.pathname + location.search;
    const params = new URLSearchParams({ next });
    if (endReason === "expired") params.set("expired", "1");
    return <Navigate to={`/login?${params.toString()}`} replace />;
  }
  return <Outlet />;
}

/** Pages for some roles only (the navigation hides them too; the API enforces it). */
export function RequireRole({ roles }: { roles: Role[] }) {
  const { user } = useSession();
  if (!user || !roles.includes(user.role)) return <Forbidden />;
  return <Outlet />;
}

/** A safe post-login destination: only paths inside this app. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return "/my-learning";
  }
  return value;
}
