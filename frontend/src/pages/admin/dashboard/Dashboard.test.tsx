import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderRoutes, setLanguage } from "../../../test/render";
import Dashboard from "../Dashboard";

const meta = {
  privacy: "full",
  min_group_size: 5,
  date_from: "2026-01-01",
  date_to: "2026-03-31",
  granularity: "month",
  course_id: null,
  generated_at: "2026-04-01T00:00:00Z",
  total: 1,
  limit: 100,
  offset: 0,
};
const point = (period: string, enrolments: number) => ({
  period,
  active_learners: enrolments,
  enrolments,
  lessons_viewed: 0,
  lessons_completed: 0,
  quiz_attempts: 0,
  course_completions: 0,
  suppressed: false,
  suppressed_fields: [],
});
const course = {
  course_id: "c1",
  slug: "kursus-a",
  title: "Kursus Ekspor A",
  enrolled: 6,
  withdrawn: 1,
  completed: 3,
  completion_rate: 0.5,
  active_7d: 1,
  active_30d: 2,
  average_progress: 58.33,
  median_days_to_complete: 4,
  suppressed: false,
  suppressed_fields: [],
  quizzes: [
    {
      lesson_id: "l4",
      title: "Kuis Dokumen",
      ordinal: 4,
      attempted_learners: 3,
      passed_learners: 3,
      pass_rate: 1,
      attempts: 4,
      average_score: 87.5,
      suppressed: false,
      suppressed_fields: [],
    },
  ],
};
const bodies: Record<string, unknown> = {
  platform: {
    ...meta,
    report: "platform",
    users_by_role: [{ role: "learner", users: 10, active_accounts: 9 }],
    totals: {
      users: 12,
      new_users: 3,
      active_users: 9,
      enrolments: 9,
      completions: 3,
      api_calls: 40,
      api_errors: 4,
      error_rate: 0.1,
    },
    series: [],
    items: [],
  },
  "course-progress": {
    ...meta,
    report: "course-progress",
    items: [course],
    series: [point("2026-01-01", 2), point("2026-02-01", 4)],
  },
  "completion-rates": {
    ...meta,
    report: "completion-rates",
    items: [
      {
        course_id: "c1",
        slug: "kursus-a",
        title: "Kursus Ekspor A",
        enrolled: 6,
        completed: 3,
        completion_rate: 0.5,
        not_started: 1,
        suppressed: false,
        suppressed_fields: [],
        cohorts: [],
        funnel: [
          { lesson_id: "l1", title: "Pengantar", ordinal: 1, reached: 5, stopped: 1 },
          { lesson_id: "l2", title: "Dokumen PEB", ordinal: 2, reached: 4, stopped: 1 },
        ],
      },
    ],
    series: [],
  },
};

function stubReports() {
  const urls: URL[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      urls.push(url);
      const report = url.pathname.split("/").pop() ?? "";
      return new Response(JSON.stringify(bodies[report]), {
        status: bodies[report] ? 200 : 404,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  return urls;
}

beforeEach(async () => {
  await setLanguage("id");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("admin dashboard", () => {
  it("shows platform figures and, for a chosen course, the drop-off funnel", async () => {
    const urls = stubReports();
    renderRoutes([{ path: "/admin", element: <Dashboard /> }], "/admin?from=2026-01-01&to=2026-03-31&granularity=month&course=c1");
    expect(await screen.findByRole("heading", { level: 1, name: "Dasbor Analitik" })).toBeInTheDocument();
    const calls = await screen.findByText("Panggilan API");
    expect(calls.nextElementSibling).toHaveTextContent("40");
    expect(screen.getByText("Tingkat galat API").nextElementSibling).toHaveTextContent("10%");

    // Picking from the list is covered by the browser journey (e2e/dashboard.journey.mjs).
    const labelled = await screen.findAllByLabelText("Pilih kursus");
    const picker = labelled.find((element) => element.tagName === "INPUT") as HTMLInputElement;
    await vi.waitFor(() => expect(picker).toHaveValue("Kursus Ekspor A"));

    const funnel = await screen.findByTestId("funnel-table");
    const rows = within(funnel).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("1. Pengantar51");
    expect(rows[2]).toHaveTextContent("2. Dokumen PEB41");
    expect(screen.getByTestId("figure-completion-rate")).toHaveTextContent("50%");
    expect(screen.getByText("Belum membuka pelajaran apa pun: 1")).toBeInTheDocument();
    const completion = urls.find((u) => u.pathname.endsWith("/completion-rates"));
    expect(completion?.searchParams.get("course_id")).toBe("c1");
    expect(completion?.searchParams.get("granularity")).toBe("month");
  });

  it("refuses a start date after the end date", async () => {
    stubReports();
    renderRoutes([{ path: "/admin", element: <Dashboard /> }], "/admin?from=2026-01-01&to=2026-03-31");
    const from = await screen.findByLabelText("Dari tanggal");
    await userEvent.clear(from);
    await userEvent.type(from, "2026-05-01");
    expect(await screen.findByText("Tanggal awal harus sebelum atau sama dengan tanggal akhir.")).toBeInTheDocument();
  });
});
