import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  chartSlug,
  downloadFile,
  exportPath,
  type AnalysisRead,
  type AnalysisResult,
  type CategoryResult,
} from "../../../api/developer";
import { problemMessage } from "../../../api/problemMessage";
import { usePageTitle } from "../../../lib/usePageTitle";
import { formatDate, formatDateTime, formatNumber, formatPercent } from "../format";
import { chartFor, forecastFor, seasonRows } from "./chartData";
import { ChartCard, ForecastChart, SeasonalityChart, SeriesChart, SharesChart } from "./Charts";
import { QuickResultView } from "./QuickResultView";

type QuickAnalysisResult = Parameters<typeof QuickResultView>[0]["result"];

// Only what seasonLabel needs: typing it as the full TFunction makes tsc instantiate every
// key of the app's resources here ("excessively deep").
type T = (
  key: "devPortal.result.season.quarter" | "devPortal.result.season.week",
  options: { n: number },
) => string;

/** Seasonal position → label in the UI language (the API's labels are English). */
function seasonLabel(frequency: string, language: string, t: T) {
  const locale = language === "en" ? "en-GB" : "id-ID";
  return (position: number): string => {
    if (frequency === "M") {
      return new Intl.DateTimeFormat(locale, { month: "short" }).format(new Date(2024, position - 1, 1));
    }
    if (frequency === "D") {
      // Positions 1..7 are Monday..Sunday; 2024-01-01 was a Monday.
      return new Intl.DateTimeFormat(locale, { weekday: "short" }).format(new Date(2024, 0, position));
    }
    if (frequency === "Q") return t("devPortal.result.season.quarter", { n: position });
    return t("devPortal.result.season.week", { n: position });
  };
}

function Downloads({ analysis }: { analysis: AnalysisRead }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const get = (format: "csv" | "json") => {
    setError(null);
    downloadFile(exportPath(analysis.id, format), `analysis-${analysis.id}.${format}`).catch(
      (err: unknown) => setError(problemMessage(err, t)),
    );
  };
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button variant="light" onClick={() => get("csv")}>
          {t("devPortal.result.downloadCsv")}
        </Button>
        <Button variant="light" onClick={() => get("json")}>
          {t("devPortal.result.downloadJson")}
        </Button>
        <Button component={Link} to="/developer/analytics" variant="default">
          {t("devPortal.result.newAnalysis")}
        </Button>
      </Group>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
    </Stack>
  );
}

function CleaningReport({ result }: { result: AnalysisResult }) {
  const { t, i18n } = useTranslation();
  const c = result.cleaning;
  const n = (value: number) => formatNumber(value, i18n.language, 0);
  const bad = c.bad_rows;
  const shownRows = bad.first.map((row) => row.row).join(", ");
  const rowsText =
    bad.total > bad.first.length
      ? t("devPortal.result.cleaning.badRowsMore", { rows: shownRows, more: n(bad.total - bad.first.length) })
      : shownRows;
  const sentences = [
    t("devPortal.result.cleaning.received", { received: n(c.rows_received), used: n(c.observations_used) }),
    bad.total
      ? t("devPortal.result.cleaning.badRows", { count: bad.total, rows: rowsText })
      : t("devPortal.result.cleaning.noBadRows"),
    c.duplicates_merged ? t("devPortal.result.cleaning.duplicates", { count: c.duplicates_merged }) : null,
    c.aggregated_into_periods
      ? t("devPortal.result.cleaning.aggregated", { count: c.aggregated_into_periods })
      : null,
    c.gaps_filled
      ? t(c.gap_fill === "zero" ? "devPortal.result.cleaning.gapsZero" : "devPortal.result.cleaning.gaps", {
          count: c.gaps_filled,
        })
      : t("devPortal.result.cleaning.noGaps"),
    c.outliers_flagged ? t("devPortal.result.cleaning.outliers", { count: c.outliers_flagged }) : null,
    t("devPortal.result.cleaning.frequency", {
      frequency: t(`devPortal.options.frequency.${c.frequency_detected}`),
      confidence: formatPercent(c.frequency_confidence, i18n.language, 0),
    }),
    result.meta.skipped_categories.length
      ? t("devPortal.result.cleaning.skipped", {
          names: result.meta.skipped_categories.map((s) => s.category).join(", "),
        })
      : null,
  ].filter((s): s is string => Boolean(s));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="cleaning-title">
      <Title order={3} size="h4" id="cleaning-title" mb="sm">
        {t("devPortal.result.cleaningTitle")}
      </Title>
      <List spacing={4} data-testid="cleaning-report">
        {sentences.map((sentence) => (
          <List.Item key={sentence}>{sentence}</List.Item>
        ))}
      </List>
      {bad.first.length ? (
        <List size="sm" mt="sm" c="dimmed" withPadding>
          {bad.first.slice(0, 10).map((row) => (
            <List.Item key={`${row.row}-${row.column ?? ""}`}>
              {t("devPortal.result.cleaning.badRowDetail", {
                row: row.row,
                reason: t(`devPortal.result.cleaning.reason.${row.reason}`),
                value: row.value ? ` (“${row.value}”)` : "",
              })}
            </List.Item>
          ))}
        </List>
      ) : null}
    </Paper>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

function CategoryDetails({
  category,
  result,
  analysisId,
}: {
  category: CategoryResult;
  result: AnalysisResult;
  analysisId: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const num = (v: number | null | undefined) => formatNumber(v, lang);
  const pct = (v: number | null | undefined) => formatPercent(v, lang);
  const s = category.summary;
  const trend = category.trend;
  const growth = category.growth;
  const season = category.seasonality;
  const label = seasonLabel(category.frequency, lang, t);
  const at = (value: number, date: string) =>
    t("devPortal.result.summary.at", { value: num(value), date: formatDate(date, lang) });
  return (
    <Stack>
      <Title order={3} size="h4">
        {t("devPortal.result.categoryTitle", { category: category.category })}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Fact label={t("devPortal.result.summary.periods")} value={String(s.count)} />
        <Fact
          label={t("devPortal.result.summary.range")}
          value={`${formatDate(category.first_date, lang)} – ${formatDate(category.last_date, lang)}`}
        />
        <Fact label={t("devPortal.result.summary.mean")} value={num(s.mean)} />
        <Fact label={t("devPortal.result.summary.median")} value={num(s.median)} />
        <Fact label={t("devPortal.result.summary.min")} value={at(s.min, s.min_date)} />
        <Fact label={t("devPortal.result.summary.max")} value={at(s.max, s.max_date)} />
        <Fact label={t("devPortal.result.summary.last")} value={at(s.last, s.last_date)} />
        <Fact label={t("devPortal.result.summary.total")} value={num(s.total)} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Paper withBorder p="md">
          <Title order={4} size="h5" mb={4}>
            {t("devPortal.result.trendTitle")}
          </Title>
          <Text fw={700}>{t(`devPortal.result.trend.${trend.direction}`)}</Text>
          <Text size="sm">
            {t("devPortal.result.trend.slope", {
              slope: num(trend.ols.slope),
              unit: t(`devPortal.result.unit.${category.frequency}`),
            })}
            {" · "}
            {t("devPortal.result.trend.significance", {
              r2: formatNumber(trend.ols.r_squared, lang, 3),
              p:
                trend.ols.p_value !== null && trend.ols.p_value < 0.0001
                  ? `< ${formatNumber(0.0001, lang, 4)}`
                  : formatNumber(trend.ols.p_value, lang, 4),
            })}
          </Text>
          <Text size="sm">
            {trend.ols.p_value !== null && trend.ols.p_value < 0.05
              ? t("devPortal.result.trend.significant")
              : t("devPortal.result.trend.notSignificant")}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} size="h5" mb={4}>
            {t("devPortal.result.growthTitle")}
          </Title>
          <SimpleGrid cols={2} spacing={4}>
            <Fact label={t("devPortal.result.growth.pop")} value={pct(growth.period_over_period.rate)} />
            <Fact label={t("devPortal.result.growth.yoy")} value={pct(growth.year_over_year?.rate)} />
            <Fact label={t("devPortal.result.growth.cagr")} value={pct(growth.cagr.value)} />
            <Fact label={t("devPortal.result.growth.total")} value={pct(growth.total_change.rate)} />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} size="h5" mb={4}>
            {t("devPortal.result.seasonalityTitle")}
          </Title>
          {season ? (
            <Text size="sm">
              {t("devPortal.result.seasonality.strength", { strength: formatNumber(season.strength, lang, 2) })}
              {" · "}
              {t("devPortal.result.seasonality.peak", {
                peak: label(season.indices.find((i) => i.label === season.peak)?.position ?? 1),
              })}
              {" · "}
              {t("devPortal.result.seasonality.trough", {
                trough: label(season.indices.find((i) => i.label === season.trough)?.position ?? 1),
              })}
            </Text>
          ) : (
            <Text size="sm">{t("devPortal.result.seasonality.none")}</Text>
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} size="h5" mb={4}>
            {t("devPortal.result.volatilityTitle")}
          </Title>
          {category.volatility.growth_std !== null ? (
            <Text size="sm">
              {t("devPortal.result.volatility.std", { std: pct(category.volatility.growth_std) })}
              {category.volatility.growth_cv !== null
                ? ` · ${t("devPortal.result.volatility.cv", { cv: formatNumber(category.volatility.growth_cv, lang, 2) })}`
                : ""}
            </Text>
          ) : (
            <Text size="sm">{t("devPortal.result.volatility.none")}</Text>
          )}
        </Paper>
      </SimpleGrid>
      <Charts category={category} result={result} analysisId={analysisId} />
    </Stack>
  );
}

function ForecastAccuracy({ forecast }: { forecast: NonNullable<ReturnType<typeof forecastFor>> }) {
  const { t, i18n } = useTranslation();
  const mase = (v: number | null) => formatNumber(v, i18n.language, 3);
  return (
    <Stack gap={2} data-testid="forecast-accuracy">
      <Text size="sm" fw={700}>
        {t("devPortal.result.mase.title")}
      </Text>
      <Text size="sm">{t("devPortal.result.mase.model", { model: forecast.model, mase: mase(forecast.mase) })}</Text>
      <Text size="sm">{t("devPortal.result.mase.baseline", { mase: mase(forecast.baseline_mase) })}</Text>
      <Text size="sm">
        {forecast.beats_baseline ? t("devPortal.result.mase.beats") : t("devPortal.result.mase.notBeats")}
      </Text>
    </Stack>
  );
}

function Charts({
  category,
  result,
  analysisId,
}: {
  category: CategoryResult;
  result: AnalysisResult;
  analysisId: string;
}) {
  const { t, i18n } = useTranslation();
  const chart = chartFor(result, category.category);
  const forecast = forecastFor(result, category.category);
  const slug = chartSlug(category.category);
  const period = result.meta.seasonal_period;
  if (!chart) return <Alert color="gray">{t("devPortal.result.charts.noCharts")}</Alert>;
  const season = category.seasonality;
  return (
    <Stack>
      <Title order={3} size="h4">
        {t("devPortal.result.chartsTitle")}
      </Title>
      <ChartCard
        title={t("devPortal.result.charts.series")}
        description={t("devPortal.result.charts.seriesDescription")}
        testId="chart-series"
        analysisId={analysisId}
        chartName="series"
      >
        <SeriesChart chart={chart} frequency={category.frequency} />
      </ChartCard>
      {forecast ? (
        <ChartCard
          title={t("devPortal.result.charts.forecast")}
          description={t("devPortal.result.charts.forecastDescription", { model: forecast.model })}
          testId="chart-forecast"
          analysisId={analysisId}
          chartName={`forecast-${slug}`}
        >
          <ForecastChart chart={chart} forecast={forecast} period={period} frequency={category.frequency} />
          <ForecastAccuracy forecast={forecast} />
        </ChartCard>
      ) : (
        <Text size="sm">{t("devPortal.result.charts.noForecast")}</Text>
      )}
      {season ? (
        <ChartCard
          title={t("devPortal.result.charts.seasonality")}
          description={t("devPortal.result.charts.seasonalityDescription")}
          testId="chart-seasonality"
          analysisId={analysisId}
          chartName={`seasonality-${slug}`}
        >
          <SeasonalityChart rows={seasonRows(season.indices, seasonLabel(category.frequency, i18n.language, t))} />
        </ChartCard>
      ) : null}
    </Stack>
  );
}

type SortKey = "category" | "total" | "share" | "rank" | "cagr";

function CrossCategoryTable({ result }: { result: AnalysisResult }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "rank", desc: false });
  const cross = result.cross_category;
  const cagr = new Map(cross.growth_ranking.map((g) => [g.category, g.cagr]));
  const trend = new Map(result.categories.map((c) => [c.category, c.trend.direction]));
  const rows = useMemo(() => {
    const items = cross.shares.map((row) => ({ ...row, cagr: cagr.get(row.category) ?? null }));
    const value = (row: (typeof items)[number]) => row[sort.key];
    return items.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const order =
        typeof x === "string" && typeof y === "string"
          ? x.localeCompare(y, lang)
          : (Number(x ?? -Infinity) || 0) - (Number(y ?? -Infinity) || 0);
      return sort.desc ? -order : order;
    });
  }, [cross.shares, sort, lang]);
  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <Table.Th aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}>
        <UnstyledButton
          onClick={() => setSort({ key, desc: active ? !sort.desc : key !== "category" && key !== "rank" })}
          aria-label={t("devPortal.result.cross.sortBy", { column: label })}
          fw={700}
        >
          {label} {active ? (sort.desc ? "↓" : "↑") : ""}
        </UnstyledButton>
      </Table.Th>
    );
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="cross-title">
      <Stack>
        <Title order={3} size="h4" id="cross-title">
          {t("devPortal.result.crossTitle")}
        </Title>
        <ScrollArea type="auto">
          <Table striped miw={520} data-testid="cross-table">
            <Table.Thead>
              <Table.Tr>
                {header("rank", t("devPortal.result.cross.rank"))}
                {header("category", t("devPortal.result.cross.category"))}
                {header("total", t("devPortal.result.cross.total"))}
                {header("share", t("devPortal.result.cross.share"))}
                {header("cagr", t("devPortal.result.cross.cagr"))}
                <Table.Th>{t("devPortal.result.cross.trend")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.category}>
                  <Table.Td>{row.rank}</Table.Td>
                  <Table.Td>{row.category}</Table.Td>
                  <Table.Td>{formatNumber(row.total, lang, 0)}</Table.Td>
                  <Table.Td>{formatPercent(row.share, lang)}</Table.Td>
                  <Table.Td>{formatPercent(row.cagr, lang)}</Table.Td>
                  <Table.Td>
                    {trend.get(row.category) ? t(`devPortal.result.trend.${trend.get(row.category) ?? "flat"}`) : "—"}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {cross.hhi !== null && cross.hhi_label ? (
          <Text size="sm">
            {t("devPortal.result.cross.hhi", {
              hhi: formatNumber(cross.hhi, lang, 0),
              label: t(`devPortal.result.cross.hhiLabel.${cross.hhi_label}`),
            })}
          </Text>
        ) : null}
        {cross.fastest_growing ? (
          <Text size="sm">
            {t("devPortal.result.cross.fastest", {
              category: cross.fastest_growing.category,
              value: formatPercent(cross.fastest_growing.value, lang),
            })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** A finished analysis: cleaning report, per-category figures and charts, comparison, downloads. */
export default function ResultView({ analysis }: { analysis: AnalysisRead }) {
  const { t, i18n } = useTranslation();
  usePageTitle(t("devPortal.result.title"));
  const raw = analysis.result as AnalysisResult | null;
  const categories = raw && "categories" in raw ? raw.categories : [];
  const [picked, setPicked] = useState<string | null>(categories[0]?.category ?? null);
  if (raw && "schema_version" in raw && !("cleaning" in raw)) {
    return (
      <Stack gap="lg">
        <Title order={2}>{t("devPortal.result.title")}</Title>
        <Downloads analysis={analysis} />
        <QuickResultView result={raw as QuickAnalysisResult} />
      </Stack>
    );
  }
  if (!raw || !("cleaning" in raw)) {
    return <Alert color="gray">{t("devPortal.result.charts.noCharts")}</Alert>;
  }
  const result = raw;
  const category = categories.find((c) => c.category === picked) ?? categories[0];
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{t("devPortal.result.title")}</Title>
        <Text>
          {t("devPortal.result.dataset", {
            name: analysis.dataset?.filename ?? t("devPortal.result.unnamed"),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t("devPortal.result.meta", {
            rows: formatNumber(analysis.rows ?? 0, i18n.language, 0),
            categories: categories.length,
            frequency: t(`devPortal.options.frequency.${result.meta.frequency}`).toLowerCase(),
            date: formatDateTime(analysis.created_at, i18n.language),
          })}
        </Text>
      </Stack>
      <Downloads analysis={analysis} />
      <CleaningReport result={result} />
      {categories.length > 1 ? (
        <Select
          label={t("devPortal.result.categoryPicker")}
          data={categories.map((c) => c.category)}
          value={category?.category ?? null}
          onChange={(value) => setPicked(value)}
          allowDeselect={false}
          maw={360}
        />
      ) : null}
      {category ? (
        <CategoryDetails category={category} result={result} analysisId={analysis.id} />
      ) : null}
      {result.cross_category.shares.length > 1 ? (
        <>
          <CrossCategoryTable result={result} />
          <ChartCard
            title={t("devPortal.result.charts.shares")}
            description={t("devPortal.result.charts.sharesDescription")}
            testId="chart-shares"
            analysisId={analysis.id}
            chartName="shares"
          >
            <SharesChart result={result} />
          </ChartCard>
        </>
      ) : null}
    </Stack>
  );
}
