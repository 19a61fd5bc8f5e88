import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { session } from "../../api/client";
import { renderRoutes, setLanguage } from "../../test/render";
import Keys from "./Keys";

function apiKey(n: number) {
  return {
    id: `00000000-0000-0000-0000-00000000000${n}`,
    name: `Kunci ${n}`,
    prefix: `pe_live_abc${n}`,
    created_at: "2026-11-01T00:00:00Z",
    last_used_at: null,
    expires_at: null,
    revoked_at: null,
  };
}

function json(status: number, body: unknown, type = "application/json") {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

beforeEach(async () => {
  await setLanguage("id");
  session.signIn({
    access_token: "t",
    token_type: "bearer",
    expires_in: 900,
    user: {
      id: "u1",
      email: "budi@example.com",
      full_name: "Budi",
      role: "developer",
      locale: "id",
      is_active: true,
      created_at: "2026-01-01T00:00:00Z",
    },
  });
});

afterEach(() => {
  session.end(null);
  vi.unstubAllGlobals();
});

describe("API keys page", () => {
  it("explains the key limit in Indonesian instead of the server's English detail", async () => {
    const fetchMock = vi.fn(async (request: Request) => {
      if (request.method === "GET") {
        const items = [1, 2, 3].map(apiKey);
        return json(200, { items, total: 3, limit: 100, offset: 0 });
      }
      return json(
        409,
        {
          status: 409,
          code: "api_key_limit",
          detail: "You already have 10 active API keys, the maximum; revoke one first.",
        },
        "application/problem+json",
      );
    });
    vi.stubGlobal("fetch", fetchMock);
    renderRoutes([{ path: "/developer/keys", Component: Keys }], "/developer/keys");
    expect(await screen.findByText("Kunci 3")).toBeInTheDocument();
    expect(screen.getByText("3 kunci aktif")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Nama kunci/), { target: { value: "Baru" } });
    fireEvent.click(screen.getByRole("button", { name: "Buat kunci" }));
    expect(await screen.findByText(/jumlah maksimum kunci API aktif/)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain("You already have");
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
  });

  it("names the key in the revoke confirmation", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(200, { items: [apiKey(1)], total: 1, limit: 100, offset: 0 })),
    );
    renderRoutes([{ path: "/developer/keys", Component: Keys }], "/developer/keys");
    fireEvent.click(await screen.findByRole("button", { name: "Cabut Kunci 1" }));
    expect(await screen.findByText("Cabut kunci “Kunci 1”?")).toBeInTheDocument();
    expect(screen.getByText(/\(pe_live_abc1…\) langsung berhenti bekerja/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Ya, cabut “Kunci 1”" })).toBeInTheDocument();
  });
});
