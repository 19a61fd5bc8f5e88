/** The learning reports the admin dashboard reads (GET /api/v1/analytics/*) and CSV downloads. */

import { api, session } from "../../../api/client";
import { ApiError, unwrap } from "../../../api/errors";
import type { components } from "../../../api/schema";

type Schemas = components["schemas"];
export type Granularity = Schemas["Granularity"];
export type PlatformReport = Schemas["PlatformReport"];
export type CourseProgressReport = Schemas["CourseProgressReport"];
export type CompletionRatesReport = Schemas["CompletionRatesReport"];
export type ActivityPoint = Schemas["ActivityPoint"];
export type FunnelStep = Schemas["FunnelStep"];
export type QuizStats = Schemas["QuizStats"];

export type ReportName =
  | "platform"
  | "course-progress"
  | "user-progress"
  | "course-engagement"
  | "completion-rates";

export interface Filters {
  from: string;
  to: string;
  granularity: Granularity;
}

function query(filters: Filters, courseId?: string | null) {
  return {
    from: filters.from,
    to: filters.to,
    granularity: filters.granularity,
    limit: 100,
    ...(courseId ? { course_id: courseId } : {}),
  };
}

export async function fetchPlatform(filters: Filters): Promise<PlatformReport> {
  return unwrap(
    await api.GET("/api/v1/analytics/platform", { params: { query: query(filters) } }),
  ) as PlatformReport;
}

export async function fetchCourseProgress(
  filters: Filters,
  courseId?: string | null,
): Promise<CourseProgressReport> {
  return unwrap(
    await api.GET("/api/v1/analytics/course-progress", {
      params: { query: query(filters, courseId) },
    }),
  ) as CourseProgressReport;
}

export async function fetchCompletionRates(
  filters: Filters,
  courseId: string,
): Promise<CompletionRatesReport> {
  return unwrap(
    await api.GET("/api/v1/analytics/completion-rates", {
      params: { query: query(filters, courseId) },
    }),
  ) as CompletionRatesReport;
}

/** The report as CSV (every row), saved through the browser as a file. */
export async function downloadCsv(
  report: ReportName,
  filters: Filters,
  courseId?: string | null,
): Promise<void> {
  const params = new URLSearchParams({
    from: filters.from,
    to: filters.to,
    granularity: filters.granularity,
    format: "csv",
  });
  if (courseId) params.set("course_id", courseId);
  const url = new URL(`/api/v1/analytics/${report}?${params}`, window.location.origin);
  const response = await session.fetch(new Request(url, { credentials: "include" }));
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => null));
  }
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${report}-${filters.from}-${filters.to}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
