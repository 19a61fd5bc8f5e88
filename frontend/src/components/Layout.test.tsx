import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { session } from "../api/client";
import type { Role, User } from "../api/types";
import { RequireAuth } from "../auth/guards";
import { LANGUAGE_STORAGE_KEY } from "../i18n";
import { renderRoutes, setLanguage } from "../test/render";
import { Layout } from "./Layout";

function user(role: Role, locale: "id" | "en" = "id"): User {
  return {
    id: "u1",
    email: "sari@example.com",
    full_name: "Sari Wulandari",
    role,
    locale,
    is_active: true,
    created_at: "2026-01-01T00:00:00Z",
  };
}

function signInAs(role: Role) {
  session.signIn({ access_token: "t", token_type: "bearer", expires_in: 900, user: user(role) });
}

const routes = [
  {
    path: "/",
    Component: Layout,
    children: [
      { index: true, element: <p>beranda</p> },
      { path: "login", element: <p>halaman masuk</p> },
      { Component: RequireAuth, children: [{ path: "my-learning", element: <p>belajar</p> }] },
    ],
  },
];

function mainNav(name = "Navigasi utama") {
  // Desktop and mobile menus share the label; the desktop one is in the header.
  return within(screen.getByRole("banner")).getByRole("navigation", { name });
}

beforeEach(async () => {
  await setLanguage("id");
});

afterEach(() => {
  session.end(null);
  vi.unstubAllGlobals();
});

describe("navigation", () => {
  it("shows the catalogue and sign-in links to visitors", () => {
    session.end(null);
    renderRoutes(routes, "/");
    const nav = mainNav();
    expect(within(nav).getByRole("link", { name: "Katalog" })).toHaveAttribute("href", "/courses");
    expect(within(nav).queryByRole("link", { name: "Belajar Saya" })).not.toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "Masuk" }).length).toBeGreaterThan(0);
  });

  it.each([
    ["learner", ["Katalog", "Belajar Saya"]],
    ["developer", ["Katalog", "Belajar Saya", "Developer"]],
    ["admin", ["Katalog", "Belajar Saya", "Developer", "Admin"]],
  ] as const)("shows a %s only the entries of that role", (role, expected) => {
    signInAs(role);
    renderRoutes(routes, "/");
    const links = within(mainNav()).getAllByRole("link").map((link) => link.textContent);
    expect(links).toEqual(expected);
  });
});

describe("RequireAuth", () => {
  it("sends a visitor to the login page with the page to come back to", async () => {
    session.end(null);
    const { router } = renderRoutes(routes, "/my-learning");
    expect(await screen.findByText("halaman masuk")).toBeInTheDocument();
    expect(router.state.location.search).toBe("?next=%2Fmy-learning");
  });

  it("says the session expired when a refresh failed", async () => {
    signInAs("learner");
    session.end("expired");
    const { router } = renderRoutes(routes, "/my-learning");
    await screen.findByText("halaman masuk");
    expect(new URLSearchParams(router.state.location.search).get("expired")).toBe("1");
  });

  it("sends the user to sign in when the session expires on a public page", async () => {
    signInAs("learner");
    const { router } = renderRoutes(routes, "/");
    await screen.findByText("beranda");

    act(() => session.end("expired"));

    expect(await screen.findByText("halaman masuk")).toBeInTheDocument();
    const params = new URLSearchParams(router.state.location.search);
    expect(params.get("expired")).toBe("1");
    expect(params.get("next")).toBe("/");
  });

  it("lets a signed-in learner in", async () => {
    signInAs("learner");
    renderRoutes(routes, "/my-learning");
    expect(await screen.findByText("belajar")).toBeInTheDocument();
  });
});

describe("language switch", () => {
  it("switches to English, remembers it and saves it to the profile", async () => {
    signInAs("learner");
    const fetch = vi.fn(async (request: Request) => {
      const body = (await request.json()) as { locale: string };
      return new Response(JSON.stringify(user("learner", body.locale as "en")), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    });
    vi.stubGlobal("fetch", fetch);
    renderRoutes(routes, "/");

    const english = screen.getByRole("button", { name: "English" });
    expect(english).toHaveAttribute("aria-pressed", "false");
    await userEvent.click(english);

    expect(await screen.findByRole("navigation", { name: "Main navigation" })).toBeInTheDocument();
    expect(within(mainNav("Main navigation")).getByRole("link", { name: "Catalogue" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    await waitFor(() => expect(session.getSnapshot().user?.locale).toBe("en"));
    const request = fetch.mock.calls[0]?.[0];
    expect(request?.method).toBe("PATCH");
    expect(new URL(request?.url ?? "").pathname).toBe("/api/v1/users/me");
    expect(request?.headers.get("Authorization")).toBe("Bearer t");
  });

  it("works for visitors without calling the platform", async () => {
    session.end(null);
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderRoutes(routes, "/");

    await userEvent.click(screen.getByRole("button", { name: "English" }));

    expect(await screen.findByRole("navigation", { name: "Main navigation" })).toBeInTheDocument();
    expect(within(mainNav("Main navigation")).getByRole("link", { name: "Catalogue" })).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
