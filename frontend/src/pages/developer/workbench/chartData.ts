/**
 * Chart rows built from the analysis result's chart-ready JSON (`result.charts`), for
 * @mantine/charts. Pure functions, so the shapes are unit-tested without a browser.
 */

import type { AnalysisResult, CategoryChart, ForecastResult } from "../../../api/developer";

export interface SeriesRow {
  ts: string;
  actual: number | null;
  trend: number | null;
  /** Set only on outliers (the raw value), so only those points get a marker. */
  outlier: number | null;
}

export interface ForecastRow {
  ts: string;
  actual: number | null;
  forecast: number | null;
  band80: [number, number] | null;
  band95: [number, number] | null;
  baseline: number | null;
}

export function seriesRows(chart: CategoryChart): SeriesRow[] {
  const trend = new Map(chart.trend.map((point) => [point.ts, point.value]));
  return chart.series.map((point) => ({
    ts: point.ts,
    actual: point.value,
    trend: trend.get(point.ts) ?? null,
    outlier: point.is_outlier ? (point.raw_value ?? point.value) : null,
  }));
}

/**
 * The seasonal-naive forecast the model is measured against: each future period repeats the
 * value one season earlier (`period` 1: the last value). Null when the chart series was thinned
 * (stride > 1) or is shorter than one season, so no wrong baseline is ever drawn.
 */
export function seasonalNaive(chart: CategoryChart, period: number | null, horizon: number): (number | null)[] {
  const m = Math.max(1, period ?? 1);
  const values = chart.series.map((point) => point.value);
  if (chart.stride !== 1 || values.length < m) return Array<null>(horizon).fill(null);
  const lastSeason = values.slice(values.length - m);
  return Array.from({ length: horizon }, (_, h) => lastSeason[h % m] ?? null);
}

/**
 * The last `historyPeriods` actual values followed by the forecast: mean, 80 % and 95 % bands
 * and the seasonal-naive baseline. The forecast line starts at the last actual value so the two
 * lines join.
 */
export function forecastRows(
  chart: CategoryChart,
  forecast: ForecastResult,
  period: number | null,
  historyPeriods: number,
): ForecastRow[] {
  const history = chart.series.slice(-historyPeriods);
  const rows: ForecastRow[] = history.map((point) => ({
    ts: point.ts,
    actual: point.value,
    forecast: null,
    band80: null,
    band95: null,
    baseline: null,
  }));
  const last = rows[rows.length - 1];
  if (last && last.actual !== null) {
    last.forecast = last.actual;
    last.baseline = last.actual;
  }
  const baseline = seasonalNaive(chart, period, forecast.points.length);
  forecast.points.forEach((point, index) => {
    rows.push({
      ts: point.ts,
      actual: null,
      forecast: point.mean,
      band80: [point.lower80, point.upper80],
      band95: [point.lower95, point.upper95],
      baseline: baseline[index] ?? null,
    });
  });
  return rows;
}

export interface SeasonRow {
  label: string;
  percent: number;
}

/** Seasonal indices as percent above (+) or below (−) the mean. */
export function seasonRows(
  indices: { position: number; ratio: number | null }[],
  label: (position: number) => string,
): SeasonRow[] {
  return indices
    .filter((item) => item.ratio !== null)
    .map((item) => ({
      label: label(item.position),
      percent: Math.round(((item.ratio ?? 1) - 1) * 1000) / 10,
    }));
}

export interface ShareRowData {
  category: string;
  share: number;
}

export function shareRows(result: AnalysisResult): ShareRowData[] {
  const shares = result.charts?.shares ?? result.cross_category.shares;
  return shares
    .filter((row) => row.share !== null)
    .map((row) => ({ category: row.category, share: Math.round((row.share ?? 0) * 1000) / 10 }));
}

export function chartFor(result: AnalysisResult, category: string): CategoryChart | null {
  return result.charts?.categories.find((chart) => chart.category === category) ?? null;
}

export function forecastFor(result: AnalysisResult, category: string): ForecastResult | null {
  return result.forecast?.find((item) => item.category === category) ?? null;
}
