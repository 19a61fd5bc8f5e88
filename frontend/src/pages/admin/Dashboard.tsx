import "@mantine/charts/styles.css";
import { Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { usePageTitle } from "../../lib/usePageTitle";
import type { Filters, Granularity } from "./dashboard/api";
import { CourseSection } from "./dashboard/CourseSection";
import { FiltersBar } from "./dashboard/FiltersBar";
import { defaultRange } from "./dashboard/format";
import { PlatformSection } from "./dashboard/PlatformSection";

const GRANULARITIES: Granularity[] = ["day", "week", "month"];

/**
 * /admin: the analytics dashboard ("Dasbor Analitik"). The period, granularity and chosen course
 * live in the URL, so a view can be bookmarked and the back button works. This page (and with it
 * @mantine/charts) is its own chunk, loaded only by admins.
 */
export default function Dashboard() {
  const { t } = useTranslation();
  usePageTitle(t("dashboard.title"));
  const [search, setSearch] = useSearchParams();
  const [fallback] = useState(defaultRange);
  const granularity = search.get("granularity") as Granularity | null;
  const filters: Filters = {
    from: search.get("from") ?? fallback.from,
    to: search.get("to") ?? fallback.to,
    granularity: granularity && GRANULARITIES.includes(granularity) ? granularity : "week",
  };
  const courseId = search.get("course");

  const setParams = (next: Filters, course: string | null) => {
    const params = new URLSearchParams({
      from: next.from,
      to: next.to,
      granularity: next.granularity,
    });
    if (course) params.set("course", course);
    setSearch(params, { replace: true });
  };

  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={1}>{t("dashboard.title")}</Title>
        <Text>{t("dashboard.lead")}</Text>
      </Stack>
      <FiltersBar value={filters} onChange={(next) => setParams(next, courseId)} />
      <PlatformSection filters={filters} />
      <CourseSection
        filters={filters}
        courseId={courseId}
        onCourseChange={(course) => setParams(filters, course)}
      />
    </Stack>
  );
}
