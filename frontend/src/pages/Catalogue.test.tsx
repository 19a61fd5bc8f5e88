import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CourseSummary } from "../api/types";
import { renderRoutes, setLanguage } from "../test/render";
import Catalogue, { PAGE_SIZE } from "./Catalogue";

function course(n: number): CourseSummary {
  return {
    id: `c${n}`,
    slug: `kursus-${n}`,
    title: `Kursus ${n}`,
    summary: "Ringkasan",
    level: "beginner",
    tags: [],
    language: "id",
    estimated_minutes: 30,
    cover_image_url: null,
    published_at: null,
    lesson_count: 3,
    enrollment_count: 0,
  };
}

/** A catalogue of 30 courses; `q` keeps titles containing it. Records every query string. */
function stubCatalogue() {
  const queries: URLSearchParams[] = [];
  const all = Array.from({ length: 30 }, (_, i) => course(i + 1));
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const params = new URL(request.url).searchParams;
      queries.push(params);
      const q = params.get("q");
      const items = q ? all.filter((c) => c.title.includes(q)) : all;
      const offset = Number(params.get("offset") ?? 0);
      const limit = Number(params.get("limit") ?? 20);
      const body = { items: items.slice(offset, offset + limit), total: items.length, limit, offset };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  return queries;
}

const routes = [{ path: "/courses", element: <Catalogue /> }];

beforeEach(async () => {
  await setLanguage("id");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Catalogue", () => {
  it("lists a page of courses with pagination", async () => {
    const queries = stubCatalogue();
    renderRoutes(routes, "/courses");

    expect(await screen.findByText("30 kursus ditemukan")).toBeInTheDocument();
    expect(screen.getAllByRole("article")).toHaveLength(PAGE_SIZE);
    expect(queries[0]?.get("limit")).toBe(String(PAGE_SIZE));
    expect(queries[0]?.get("sort")).toBe("newest");

    await userEvent.click(screen.getByRole("button", { name: "Halaman 3" }));
    expect(await screen.findByRole("link", { name: "Kursus 25" })).toBeInTheDocument();
    expect(queries.at(-1)?.get("offset")).toBe(String(2 * PAGE_SIZE));
  });

  it("searches as the learner types and keeps the query in the URL", async () => {
    const queries = stubCatalogue();
    const { router } = renderRoutes(routes, "/courses?page=2");
    await screen.findByText("30 kursus ditemukan");

    await userEvent.click(screen.getByRole("searchbox", { name: "Cari kursus" }));
    await userEvent.paste("Kursus 1");

    expect(await screen.findByText("11 kursus ditemukan", {}, { timeout: 3000 })).toBeInTheDocument();
    expect(router.state.location.search).toBe("?q=Kursus+1"); // a new search starts at page 1
    expect(queries.at(-1)?.get("q")).toBe("Kursus 1");
    expect(queries.at(-1)?.get("offset")).toBe("0");
  });

  it("filters by level and says when nothing matches", async () => {
    stubCatalogue();
    const { router } = renderRoutes(routes, "/courses?q=tidak-ada");
    expect(await screen.findByText(/Tidak ada kursus yang cocok/)).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Tingkat"), "advanced");
    await waitFor(() =>
      expect(new URLSearchParams(router.state.location.search).get("level")).toBe("advanced"),
    );
  });
});
