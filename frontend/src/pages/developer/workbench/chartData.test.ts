import { describe, expect, it } from "vitest";
import type { CategoryChart, ForecastResult } from "../../../api/developer";
import { forecastRows, seasonalNaive, seasonRows, seriesRows } from "./chartData";

function chart(values: number[], stride = 1): CategoryChart {
  return {
    category: "Kopi",
    stride,
    series: values.map((value, i) => ({
      ts: `2024-${String(i + 1).padStart(2, "0")}-01`,
      value,
      raw_value: i === 2 ? 999 : value,
      is_outlier: i === 2,
      is_filled: false,
    })),
    trend: values.map((_, i) => ({ ts: `2024-${String(i + 1).padStart(2, "0")}-01`, value: i })),
    growth: [],
    forecast: [],
  };
}

const forecast = {
  points: [1, 2, 3].map((h) => ({
    ts: `2025-0${h}-01`,
    mean: 10 + h,
    lower80: 9 + h,
    upper80: 11 + h,
    lower95: 8 + h,
    upper95: 12 + h,
  })),
} as ForecastResult;

describe("chart data", () => {
  it("marks only outliers, with their raw value", () => {
    const rows = seriesRows(chart([1, 2, 3, 4]));
    expect(rows.map((r) => r.outlier)).toEqual([null, null, 999, null]);
    expect(rows[3]).toMatchObject({ actual: 4, trend: 3 });
  });

  it("repeats the last season for the seasonal-naive baseline", () => {
    expect(seasonalNaive(chart([1, 2, 3, 4, 5, 6]), 4, 6)).toEqual([3, 4, 5, 6, 3, 4]);
    expect(seasonalNaive(chart([1, 2, 3]), 1, 2)).toEqual([3, 3]);
    expect(seasonalNaive(chart([1, 2, 3, 4], 2), 2, 2)).toEqual([null, null]);
  });

  it("joins the forecast to the last actual value and carries both bands", () => {
    const rows = forecastRows(chart([5, 6, 7, 8]), forecast, 2, 2);
    expect(rows.map((r) => r.ts)).toEqual([
      "2024-03-01",
      "2024-04-01",
      "2025-01-01",
      "2025-02-01",
      "2025-03-01",
    ]);
    expect(rows[1]).toMatchObject({ actual: 8, forecast: 8, baseline: 8 });
    expect(rows[2]).toMatchObject({ forecast: 11, band80: [10, 12], band95: [9, 13], baseline: 7 });
    expect(rows[4]?.baseline).toBe(7);
  });

  it("gives seasonal indices as percent around the mean", () => {
    const rows = seasonRows(
      [
        { position: 1, ratio: 1.08 },
        { position: 2, ratio: 0.9 },
        { position: 3, ratio: null },
      ],
      (p) => `M${p}`,
    );
    expect(rows).toEqual([
      { label: "M1", percent: 8 },
      { label: "M2", percent: -10 },
    ]);
  });
});
