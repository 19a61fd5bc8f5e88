/** One course: enrolments and active learners over time, completion, drop-off, quiz pass rates. */

import { AreaChart, BarChart } from "@mantine/charts";
import { Group, Select, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  type CompletionRatesReport,
  type CourseProgressReport,
  fetchCompletionRates,
  fetchCourseProgress,
  type Filters,
} from "./api";
import { formatNumber, formatPeriod, formatRate } from "./format";
import { ChartFrame, CsvButton, Figure, ReportError, ReportTable } from "./parts";

export function CourseSection({
  filters,
  courseId,
  onCourseChange,
}: {
  filters: Filters;
  courseId: string | null;
  onCourseChange: (courseId: string | null) => void;
}) {
  const { t } = useTranslation();
  // Every course in scope (titles for the picker), then the chosen course's own reports.
  const courses = useQuery({
    queryKey: ["reports", "course-progress", filters, null],
    queryFn: () => fetchCourseProgress(filters),
  });
  const options = (courses.data?.items ?? []).map((c) => ({ value: c.course_id, label: c.title }));
  return (
    <Stack component="section" aria-labelledby="course-heading" gap="md">
      <Title order={2} id="course-heading">
        {t("dashboard.course.title")}
      </Title>
      {courses.isError ? <ReportError error={courses.error} /> : null}
      <Select
        label={t("dashboard.course.pick")}
        placeholder={t("dashboard.course.pickPlaceholder")}
        data={options}
        value={courseId}
        onChange={onCourseChange}
        searchable
        clearable
        nothingFoundMessage={t("dashboard.course.noCourses")}
        disabled={courses.isPending}
        maw={480}
      />
      {courseId ? (
        <CourseReports filters={filters} courseId={courseId} />
      ) : (
        <Text>{t("dashboard.course.none")}</Text>
      )}
    </Stack>
  );
}

function CourseReports({ filters, courseId }: { filters: Filters; courseId: string }) {
  const progress = useQuery({
    queryKey: ["reports", "course-progress", filters, courseId],
    queryFn: () => fetchCourseProgress(filters, courseId),
  });
  const completion = useQuery({
    queryKey: ["reports", "completion-rates", filters, courseId],
    queryFn: () => fetchCompletionRates(filters, courseId),
  });
  if (progress.isPending || completion.isPending) return <Skeleton h={320} />;
  if (progress.isError) return <ReportError error={progress.error} />;
  if (completion.isError) return <ReportError error={completion.error} />;
  return (
    <Stack gap="md">
      <CourseFigures report={progress.data} filters={filters} courseId={courseId} />
      <Funnel report={completion.data} filters={filters} courseId={courseId} />
      <Quizzes report={progress.data} />
      <Cohorts report={completion.data} />
    </Stack>
  );
}

function CourseFigures({
  report,
  filters,
  courseId,
}: {
  report: CourseProgressReport;
  filters: Filters;
  courseId: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = t("dashboard.empty");
  const course = report.items[0];
  if (!course) return null;
  const hidden = (field: string) => (course.suppressed_fields ?? []).includes(field);
  const n = (value: number | null, digits = 0) => formatNumber(value, lang, dash, digits);
  const monthly = filters.granularity === "month";
  const series = report.series.map((p) => ({ ...p, label: formatPeriod(p.period, lang, monthly) }));
  const summary = (title: string) =>
    t("dashboard.chartSummary", {
      title,
      count: series.length,
      from: formatPeriod(filters.from, lang),
      to: formatPeriod(filters.to, lang),
    });
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("dashboard.course.cohortNote")}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="sm">
        <Figure label={t("dashboard.course.enrolled")} value={n(course.enrolled)} testId="figure-enrolled" />
        <Figure label={t("dashboard.course.active7")} value={n(course.active_7d)} suppressed={hidden("active_7d")} />
        <Figure label={t("dashboard.course.active30")} value={n(course.active_30d)} suppressed={hidden("active_30d")} />
        <Figure label={t("dashboard.course.completed")} value={n(course.completed)} suppressed={hidden("completed")} />
        <Figure
          label={t("dashboard.course.completionRate")}
          value={formatRate(course.completion_rate, lang, dash)}
          suppressed={hidden("completion_rate")}
          testId="figure-completion-rate"
        />
        <Figure label={t("dashboard.course.medianDays")} value={n(course.median_days_to_complete, 1)} />
        <Figure
          label={t("dashboard.course.averageProgress")}
          value={course.average_progress === null ? dash : `${n(course.average_progress, 1)}%`}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ChartFrame
          title={t("dashboard.course.enrolmentsChart")}
          summary={summary(t("dashboard.course.enrolmentsChart"))}
          actions={<CsvButton report="course-progress" filters={filters} courseId={courseId} />}
        >
          <AreaChart
            h={220}
            data={series}
            dataKey="label"
            curveType="monotone"
            series={[{ name: "enrolments", label: t("dashboard.platform.enrolments"), color: "orange.7" }]}
          />
        </ChartFrame>
        <ChartFrame
          title={t("dashboard.course.activeChart")}
          summary={summary(t("dashboard.course.activeChart"))}
          actions={<CsvButton report="course-engagement" filters={filters} courseId={courseId} />}
        >
          <AreaChart
            h={220}
            data={series}
            dataKey="label"
            curveType="monotone"
            series={[{ name: "active_learners", label: t("dashboard.course.activeLearners"), color: "teal.7" }]}
          />
        </ChartFrame>
      </SimpleGrid>
    </Stack>
  );
}

function Funnel({
  report,
  filters,
  courseId,
}: {
  report: CompletionRatesReport;
  filters: Filters;
  courseId: string;
}) {
  const { t, i18n } = useTranslation();
  const dash = t("dashboard.empty");
  const course = report.items[0];
  if (!course) return null;
  const n = (value: number | null) => formatNumber(value, i18n.language, dash);
  const steps = course.funnel.map((s) => ({
    ...s,
    // Lesson numbers on the axis (titles are long); the table below names each lesson.
    label: String(s.ordinal),
    reached: s.reached ?? 0,
    stopped: s.stopped ?? 0,
  }));
  return (
    <ChartFrame
      title={t("dashboard.course.funnel")}
      summary={t("dashboard.course.funnelLead")}
      actions={
        <Group>
          <CsvButton report="completion-rates" filters={filters} courseId={courseId} />
          <CsvButton report="user-progress" filters={filters} courseId={courseId} />
        </Group>
      }
    >
      <BarChart
        h={Math.max(200, steps.length * 36)}
        data={steps}
        dataKey="label"
        orientation="vertical"
        yAxisProps={{ width: 32 }}
        withLegend
        legendProps={{ verticalAlign: "bottom" }}
        series={[
          { name: "reached", label: t("dashboard.course.reached"), color: "blue.7" },
          { name: "stopped", label: t("dashboard.course.stopped"), color: "red.8" },
        ]}
      />
      <ReportTable
        testId="funnel-table"
        columns={[
          t("dashboard.course.lesson"),
          t("dashboard.course.reached"),
          t("dashboard.course.stopped"),
        ]}
        rows={course.funnel.map((s) => ({
          key: s.lesson_id,
          head: `${s.ordinal}. ${s.title}`,
          cells: [n(s.reached), n(s.stopped)],
        }))}
      />
      <Text size="sm">{t("dashboard.course.notStarted", { count: course.not_started ?? 0 })}</Text>
    </ChartFrame>
  );
}

function Quizzes({ report }: { report: CourseProgressReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = t("dashboard.empty");
  const quizzes = report.items[0]?.quizzes ?? [];
  const data = quizzes.map((q) => ({
    label: String(q.ordinal),
    pass_percent: q.pass_rate === null ? 0 : Math.round(q.pass_rate * 1000) / 10,
  }));
  return (
    <ChartFrame title={t("dashboard.course.quizzes")} summary={t("dashboard.course.quizzesLead")}>
      {quizzes.length === 0 ? (
        <Text size="sm">{t("dashboard.course.noQuizzes")}</Text>
      ) : (
        <>
          <BarChart
            h={Math.max(140, data.length * 40)}
            data={data}
            dataKey="label"
            orientation="vertical"
            yAxisProps={{ width: 32 }}
            // The percent sign belongs on the value axis; Mantine's `unit` would also put it
            // on the quiz numbers of the category axis ("8%") in a vertical chart.
            xAxisProps={{ domain: [0, 100], tickFormatter: (value: number) => `${value}%` }}
            valueFormatter={(value) => `${value}%`}
            series={[{ name: "pass_percent", label: t("dashboard.course.passRate"), color: "teal.7" }]}
          />
          <ReportTable
            columns={[
              t("dashboard.course.quiz"),
              t("dashboard.course.attempted"),
              t("dashboard.course.passed"),
              t("dashboard.course.passRate"),
            ]}
            rows={quizzes.map((q) => ({
              key: q.lesson_id,
              head: `${q.ordinal}. ${q.title}`,
              cells: [
                formatNumber(q.attempted_learners, lang, dash),
                formatNumber(q.passed_learners, lang, dash),
                formatRate(q.pass_rate, lang, dash),
              ],
            }))}
          />
        </>
      )}
    </ChartFrame>
  );
}

function Cohorts({ report }: { report: CompletionRatesReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = t("dashboard.empty");
  const cohorts = report.items[0]?.cohorts ?? [];
  if (cohorts.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t("dashboard.course.cohorts")}
      </Title>
      <ReportTable
        columns={[
          t("dashboard.course.month"),
          t("dashboard.course.enrolled"),
          t("dashboard.course.completed"),
          t("dashboard.course.completionRate"),
        ]}
        rows={cohorts.map((c) => ({
          key: c.month,
          head: formatPeriod(c.month, lang, true),
          cells: [
            formatNumber(c.enrolled, lang, dash),
            formatNumber(c.completed, lang, dash),
            formatRate(c.completion_rate, lang, dash),
          ],
        }))}
      />
    </Stack>
  );
}
