import "@mantine/charts/styles.css";
import { BarChart, CompositeChart } from "@mantine/charts";
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { chartPath, downloadFile, type AnalysisResult } from "../../../api/developer";
import { problemMessage } from "../../../api/problemMessage";
import { formatNumber } from "../format";
import classes from "../Developer.module.css";
import { forecastRows, seasonRows, seriesRows, shareRows, type SeasonRow } from "./chartData";
import type { CategoryChart, ForecastResult } from "../../../api/developer";

const HEIGHT = 300;

/** Tooltip values: numbers, and [low, high] pairs for the interval bands. */
function useValueFormatter() {
  const { i18n } = useTranslation();
  return (value: unknown): string => {
    if (Array.isArray(value)) {
      return `${formatNumber(value[0] as number, i18n.language)} – ${formatNumber(value[1] as number, i18n.language)}`;
    }
    return formatNumber(value as number, i18n.language);
  };
}

function shortDate(language: string, frequency: string) {
  const options: Intl.DateTimeFormatOptions =
    frequency === "Y"
      ? { year: "numeric" }
      : frequency === "M" || frequency === "Q"
        ? { month: "short", year: "2-digit" }
        : { day: "numeric", month: "short", year: "2-digit" };
  const format = new Intl.DateTimeFormat(language === "en" ? "en-GB" : "id-ID", options);
  return (value: string) => format.format(new Date(`${value}T00:00:00`));
}

/** A chart with its title, description and SVG/PNG downloads (drawn by the API). */
export function ChartCard({
  title,
  description,
  testId,
  analysisId,
  chartName,
  children,
}: {
  title: string;
  description: string;
  testId: string;
  analysisId: string;
  chartName: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const download = (format: "svg" | "png") => {
    setError(null);
    downloadFile(chartPath(analysisId, chartName, format), `${chartName}.${format}`).catch(
      (err: unknown) => setError(problemMessage(err, t)),
    );
  };
  return (
    <Paper withBorder p="md" component="figure" m={0} data-testid={testId}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={4} component="figcaption">
            {title}
          </Title>
          <Group gap={6}>
            {(["svg", "png"] as const).map((format) => (
              <Button
                key={format}
                size="compact-sm"
                variant="default"
                onClick={() => download(format)}
                aria-label={t("devPortal.result.downloadChart", {
                  chart: title,
                  format: format.toUpperCase(),
                })}
              >
                {format === "svg" ? t("devPortal.result.downloadSvg") : t("devPortal.result.downloadPng")}
              </Button>
            ))}
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <div className={classes.chartBox}>{children}</div>
      </Stack>
    </Paper>
  );
}

export function SeriesChart({ chart, frequency }: { chart: CategoryChart; frequency: string }) {
  const { t, i18n } = useTranslation();
  const valueFormatter = useValueFormatter();
  return (
    <CompositeChart
      h={HEIGHT}
      data={seriesRows(chart)}
      dataKey="ts"
      withLegend
      withDots={false}
      connectNulls={false}
      curveType="linear"
      valueFormatter={valueFormatter as (value: number) => string}
      xAxisProps={{ tickFormatter: shortDate(i18n.language, frequency), minTickGap: 24 }}
      yAxisProps={{ width: 72, tickFormatter: (v: number) => formatNumber(v, i18n.language, 0) }}
      series={[
        { name: "actual", label: t("devPortal.result.charts.actual"), color: "cyan.8", type: "line" },
        {
          name: "trend",
          label: t("devPortal.result.charts.trend"),
          color: "gray.7",
          type: "line",
          strokeDasharray: "6 4",
        },
        { name: "outlier", label: t("devPortal.result.charts.outlier"), color: "red.7", type: "line" },
      ]}
      lineProps={(series) =>
        series.name === "outlier"
          ? {
              strokeWidth: 0,
              dot: { r: 5, fill: "var(--mantine-color-red-7)", strokeWidth: 0 },
              activeDot: { r: 7 },
            }
          : {}
      }
    />
  );
}

export function ForecastChart({
  chart,
  forecast,
  period,
  frequency,
}: {
  chart: CategoryChart;
  forecast: ForecastResult;
  period: number | null;
  frequency: string;
}) {
  const { t, i18n } = useTranslation();
  const valueFormatter = useValueFormatter();
  const history = Math.max(3 * (period ?? 12), forecast.points.length * 2, 24);
  return (
    <CompositeChart
      h={HEIGHT}
      data={forecastRows(chart, forecast, period, history)}
      dataKey="ts"
      withLegend
      withDots={false}
      connectNulls={false}
      curveType="linear"
      valueFormatter={valueFormatter as (value: number) => string}
      xAxisProps={{ tickFormatter: shortDate(i18n.language, frequency), minTickGap: 24 }}
      yAxisProps={{ width: 72, tickFormatter: (v: number) => formatNumber(v, i18n.language, 0) }}
      series={[
        { name: "band95", label: t("devPortal.result.charts.band95"), color: "cyan.3", type: "area" },
        { name: "band80", label: t("devPortal.result.charts.band80"), color: "cyan.5", type: "area" },
        { name: "actual", label: t("devPortal.result.charts.actual"), color: "dark.6", type: "line" },
        {
          name: "forecast",
          label: t("devPortal.result.charts.forecastLine"),
          color: "cyan.9",
          type: "line",
        },
        {
          name: "baseline",
          label: t("devPortal.result.charts.baseline"),
          color: "orange.8",
          type: "line",
          strokeDasharray: "4 4",
        },
      ]}
      areaProps={(series) => ({
        fillOpacity: series.name === "band95" ? 0.35 : 0.55,
        strokeWidth: 0,
        isAnimationActive: false,
      })}
      lineProps={{ isAnimationActive: false }}
    />
  );
}

export function SeasonalityChart({ rows }: { rows: SeasonRow[] }) {
  const { t, i18n } = useTranslation();
  return (
    <BarChart
      h={HEIGHT}
      data={rows}
      dataKey="label"
      valueFormatter={(v) => `${formatNumber(v, i18n.language, 1)} %`}
      series={[{ name: "percent", label: t("devPortal.result.charts.index"), color: "teal.8" }]}
      withLegend
    />
  );
}

export function SharesChart({ result }: { result: AnalysisResult }) {
  const { t, i18n } = useTranslation();
  const rows = shareRows(result);
  return (
    <BarChart
      h={Math.max(160, rows.length * 44)}
      data={rows}
      dataKey="category"
      orientation="vertical"
      yAxisProps={{ width: 130 }}
      valueFormatter={(v) => `${formatNumber(v, i18n.language, 1)} %`}
      series={[{ name: "share", label: t("devPortal.result.charts.share"), color: "indigo.7" }]}
      withLegend
    />
  );
}

export { seasonRows };
