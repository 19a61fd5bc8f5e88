/** Platform figures: users by role, new and active users, enrolments, completions, API use. */

import { BarChart, LineChart } from "@mantine/charts";
import { Group, SimpleGrid, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { fetchPlatform, type Filters, type PlatformReport } from "./api";
import { formatNumber, formatPeriod, formatRate } from "./format";
import { ChartFrame, CsvButton, Figure, ReportError, ReportTable } from "./parts";

export function PlatformSection({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const report = useQuery({
    queryKey: ["reports", "platform", filters],
    queryFn: () => fetchPlatform(filters),
  });
  return (
    <Stack component="section" aria-labelledby="platform-heading" gap="md">
      <Group justify="space-between" align="center">
        <Title order={2} id="platform-heading">
          {t("dashboard.platform.title")}
        </Title>
        <CsvButton report="platform" filters={filters} />
      </Group>
      {report.isPending ? (
        <Skeleton h={240} />
      ) : report.isError ? (
        <ReportError error={report.error} />
      ) : (
        <PlatformBody report={report.data} filters={filters} />
      )}
    </Stack>
  );
}

function PlatformBody({ report, filters }: { report: PlatformReport; filters: Filters }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = t("dashboard.empty");
  const n = (value: number | null | undefined) => formatNumber(value, lang, dash);
  const totals = report.totals;
  const monthly = filters.granularity === "month";
  const series = report.series.map((p) => ({
    ...p,
    label: formatPeriod(p.period, lang, monthly),
    error_percent: p.error_rate === null ? 0 : Math.round(p.error_rate * 1000) / 10,
  }));
  const summary = (title: string) =>
    t("dashboard.chartSummary", {
      title,
      count: series.length,
      from: formatPeriod(filters.from, lang),
      to: formatPeriod(filters.to, lang),
    });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="sm">
        <Figure label={t("dashboard.platform.users")} value={n(totals.users)} />
        <Figure label={t("dashboard.platform.newUsers")} value={n(totals.new_users)} />
        <Figure label={t("dashboard.platform.activeUsers")} value={n(totals.active_users)} />
        <Figure label={t("dashboard.platform.enrolments")} value={n(totals.enrolments)} />
        <Figure label={t("dashboard.platform.completions")} value={n(totals.completions)} />
        <Figure label={t("dashboard.platform.apiCalls")} value={n(totals.api_calls)} />
        <Figure
          label={t("dashboard.platform.errorRate")}
          value={formatRate(totals.error_rate, lang, dash)}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ChartFrame
          title={t("dashboard.platform.activityChart")}
          summary={summary(t("dashboard.platform.activityChart"))}
        >
          <LineChart
            h={240}
            data={series}
            dataKey="label"
            withLegend
            legendProps={{ verticalAlign: "bottom" }}
            curveType="monotone"
            series={[
              { name: "new_users", label: t("dashboard.platform.newUsers"), color: "blue.7" },
              { name: "active_users", label: t("dashboard.platform.activeUsers"), color: "teal.7" },
              { name: "enrolments", label: t("dashboard.platform.enrolments"), color: "orange.7" },
              { name: "completions", label: t("dashboard.platform.completions"), color: "grape.7" },
            ]}
          />
        </ChartFrame>
        <ChartFrame
          title={t("dashboard.platform.apiChart")}
          summary={summary(t("dashboard.platform.apiChart"))}
        >
          <BarChart
            h={240}
            data={series}
            dataKey="label"
            withLegend
            legendProps={{ verticalAlign: "bottom" }}
            series={[
              { name: "api_calls", label: t("dashboard.platform.apiCalls"), color: "indigo.7" },
              { name: "api_errors", label: t("dashboard.platform.apiErrors"), color: "red.8" },
            ]}
          />
        </ChartFrame>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t("dashboard.platform.roles")}
          </Title>
          <ReportTable
            minWidth={300}
            columns={[
              t("dashboard.platform.role"),
              t("dashboard.platform.accounts"),
              t("dashboard.platform.activeAccounts"),
            ]}
            rows={report.users_by_role.map((row) => ({
              key: row.role,
              head: t(`roles.${row.role}`, row.role),
              cells: [n(row.users), n(row.active_accounts)],
            }))}
          />
        </Stack>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t("dashboard.platform.keys")}
          </Title>
          {report.items.length === 0 ? (
            <Text size="sm">{t("dashboard.platform.noKeys")}</Text>
          ) : (
            <ReportTable
              minWidth={480}
              columns={[
                t("dashboard.platform.keyName"),
                t("dashboard.platform.owner"),
                t("dashboard.platform.requests"),
                t("dashboard.platform.errors"),
                t("dashboard.platform.errorRate"),
              ]}
              rows={report.items.map((key) => ({
                key: key.api_key_id,
                head: (
                  <>
                    {key.name}{" "}
                    <Text span size="xs" c="dimmed">
                      {key.prefix}…
                    </Text>
                  </>
                ),
                cells: [
                  key.owner_email,
                  n(key.requests),
                  n(key.client_errors + key.server_errors),
                  formatRate(key.error_rate, lang, dash),
                ],
              }))}
            />
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
