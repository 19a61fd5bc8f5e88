"""The documented shape of everything the engine returns (schema version 1).

:func:`run_analysis` returns a plain ``dict`` that validates against :class:`AnalysisResult`
(``AnalysisResult.model_validate(result)``); building dicts is several times cheaper than
building models for long series. Conventions:

* dates are ISO ``YYYY-MM-DD`` strings, the *start* of the period (day; Monday of the week;
  first day of the month, quarter or year);
* rates are fractions (``0.05`` is +5 %), shares are fractions of 1;
* floats are always finite: a value that cannot be computed is ``null``, usually with a
  ``*_reason`` sentence next to it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .options import AnalysisParams, Frequency

SCHEMA_VERSION = "1"

BadReason = Literal["invalid_date", "missing_category", "missing_value", "non_numeric_value"]
Direction = Literal["up", "down", "flat"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- ingestion


class BadRow(_Model):
    row: int = Field(description="1-based data row (1 = first row after the header / record).")
    column: str | None
    reason: BadReason
    value: str | None = Field(description="The offending text, cut to 100 characters.")


class BadRowsReport(_Model):
    total: int
    by_reason: dict[str, int]
    first: list[BadRow] = Field(description="The first 20 bad observations in file order.")


class SkippedRow(_Model):
    row: int = Field(description="1-based data row (1 = first row after the header).")
    text: str = Field(description="The label or text that identified the row, cut to 100.")


class ColumnsInfo(_Model):
    date: list[str] = Field(description="The date column, or the year and month columns.")
    category: str | None = Field(description="The category columns joined with ' + '.")
    categories: list[str] = Field(
        description="Category columns (dimensions); several make one series per combination."
    )
    summed_over: list[str] = Field(
        description="Category-like columns left out by category_columns: values summed over."
    )
    values: list[str] = Field(description="The value column (long) or category columns (wide).")
    measures: list[str] = Field(
        description="Other quantities recognised (e.g. net weight); analysed as value_column."
    )
    ignored: list[str]


class IngestReport(_Model):
    source: Literal["csv", "json"]
    layout: Literal["long", "wide"]
    filename: str | None
    encoding: str | None
    delimiter: str | None
    decimal: str = Field(description="The decimal option: auto, '.' or ','.")
    number_formats: dict[str, Literal["plain", "id", "en"]] = Field(
        description="How each value column's numbers were read: plain, Indonesian or English."
    )
    value_scale: float = Field(description="Every value was multiplied by this.")
    columns: ColumnsInfo
    date_formats: dict[str, int]
    rows_received: int = Field(description="Data rows (CSV lines after the header, records).")
    blank_rows: int
    title_lines: list[str] = Field(description="Title or notes lines skipped above the header.")
    total_rows: list[SkippedRow] = Field(description="Total and subtotal rows skipped (50).")
    note_rows: list[SkippedRow] = Field(description="Notes lines skipped among the rows (20).")
    observations_received: int = Field(
        description="Candidate observations: non-blank rows (long) or non-empty cells (wide)."
    )
    empty_cells: int = Field(description="Empty cells of a wide file (no observation).")
    bad_rows: BadRowsReport
    on_bad_rows: Literal["skip", "reject"]
    exact_duplicates: int = Field(description="Exact copies of a row, counted once.")
    duplicates_policy: Literal["sum", "mean", "last", "reject"]
    duplicates_combined: int = Field(
        description="Rows repeating a date and every category column, combined by the policy."
    )
    rows_summed_over: int = Field(
        description="Rows summed over the category columns left out (beyond one per date)."
    )
    observations_used: int = Field(description="Distinct (category, date) observations.")
    categories: list[str]
    category_filter: list[str] | None
    categories_filtered_out: int


# --------------------------------------------------------------------------- cleaning


class OutlierInfo(_Model):
    date: str
    raw_value: float
    expected_value: float | None
    score: float | None = Field(description="Robust z-score (or IQR distance) of the residual.")


class CategoryCleaning(_Model):
    category: str
    observations: int = Field(description="Valid observations received for this category.")
    first_date: str
    last_date: str
    duplicates_merged: int = Field(
        description="Rows repeating a date of the category, combined by the duplicates policy."
    )
    duplicate_dates: list[str] = Field(description="First 20 dates that had duplicates.")
    exact_duplicates: int = Field(description="Exact copies of a row, counted once.")
    rows_summed_over: int = Field(
        description="Rows summed over category columns left out (beyond one per date)."
    )
    aggregated_into_periods: int = Field(
        description="Distinct dates summed into a coarser period (beyond one date per period)."
    )
    periods: int
    gaps_filled: int
    filled_dates: list[str] = Field(description="First 100 gap-filled periods.")
    outliers_flagged: int
    outliers: list[OutlierInfo] = Field(description="First 100 flagged outliers.")
    outlier_method: str
    outliers_replaced: bool


class CleaningReport(_Model):
    rows_received: int
    observations_received: int
    observations_used: int
    bad_rows: BadRowsReport
    on_bad_rows: Literal["skip", "reject"]
    duplicates_merged: int
    aggregated_into_periods: int
    gaps_filled: int
    gap_fill: Literal["zero", "interpolate"]
    gap_fill_method: str
    outliers_flagged: int
    mixed_frequency: dict[str, Frequency] = Field(
        description="Categories recorded at a coarser frequency than the rest, and theirs."
    )
    frequency_detected: Frequency
    frequency_confidence: float = Field(
        description="Share of consecutive observed periods exactly one period apart."
    )
    median_spacing_days: float | None
    per_category: list[CategoryCleaning]
    reading: list[str] = Field(
        description="Plain sentences: how the file was read (encoding, delimiter, columns)."
    )
    warnings: list[str] = Field(description="Plain sentences: what may surprise you.")
    changes: list[str] = Field(
        description="Plain sentences: everything detected and changed, and how."
    )


# --------------------------------------------------------------------------- per category


class Summary(_Model):
    count: int = Field(description="Periods in the regular series (observed + filled).")
    observed: int
    mean: float
    median: float
    std: float | None = Field(description="Sample standard deviation (ddof=1).")
    min: float
    min_date: str
    max: float
    max_date: str
    first: float
    first_date: str
    last: float
    last_date: str
    total: float


class OLSTrend(_Model):
    slope: float
    intercept: float
    r_squared: float
    p_value: float | None
    stderr: float | None
    direction: Direction = Field(description="up/down when p < 0.05, else flat.")


class TheilSenTrend(_Model):
    slope: float
    intercept: float
    slope_low95: float | None
    slope_high95: float | None
    points_used: int


class MannKendall(_Model):
    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    direction: Direction


class Trend(_Model):
    slope_unit: str
    direction: Direction
    ols: OLSTrend
    theil_sen: TheilSenTrend
    mann_kendall: MannKendall


class PeriodGrowth(_Model):
    date: str
    previous_date: str
    value: float
    previous_value: float
    change: float
    rate: float | None


class YearOverYear(_Model):
    """The last whole year (trailing 12 months) against the year before it."""

    date: str = Field(description="First period of the trailing year.")
    end_date: str = Field(description="Last period of the trailing year.")
    base_date: str = Field(description="First period of the year before.")
    base_end_date: str
    periods: int = Field(description="Periods in a year (12 months, 52 weeks, …).")
    value: float = Field(description="Total of the trailing year.")
    base_value: float = Field(description="Total of the year before.")
    change: float
    rate: float | None


class CAGR(_Model):
    """From the oldest and latest trailing whole-year totals; null below two whole years."""

    value: float | None
    years: float = Field(description="Whole years between the two yearly totals.")
    first_value: float | None = Field(description="Oldest whole-year total.")
    last_value: float | None = Field(description="Latest (trailing) whole-year total.")
    first_date: str | None = Field(description="First period of the oldest whole year.")
    last_date: str | None = Field(description="First period of the trailing year.")
    basis: str
    reason: str | None


class TotalChange(_Model):
    absolute: float
    rate: float | None


class Growth(_Model):
    period_over_period: PeriodGrowth
    year_over_year: YearOverYear | None
    yoy_reason: str | None
    cagr: CAGR
    total_change: TotalChange


class SeasonalIndex(_Model):
    position: int
    label: str
    index: float = Field(description="Mean seasonal component, in value units.")
    ratio: float | None = Field(description="(mean + index) / mean; 1.08 is 8 % above mean.")


class Seasonality(_Model):
    method: Literal["robust_moving"]
    period: int
    strength: float
    indices: list[SeasonalIndex]
    peak: str
    trough: str


class Volatility(_Model):
    growth_mean: float | None
    growth_std: float | None
    growth_cv: float | None
    rates: int
    reason: str | None


class CategoryResult(_Model):
    category: str
    frequency: Frequency
    periods: int
    first_date: str
    last_date: str
    summary: Summary
    trend: Trend
    growth: Growth
    seasonality: Seasonality | None
    seasonality_reason: str | None
    volatility: Volatility


# --------------------------------------------------------------------------- across categories


class ShareRow(_Model):
    category: str
    total: float = Field(description="Total over the common span of all categories.")
    full_total: float = Field(description="Total over the category's own span.")
    share: float | None = Field(description="Share of the grand total on the common span.")
    rank: int


class GrowthRank(_Model):
    category: str
    cagr: float | None = Field(description="CAGR on the common span.")
    yoy: float | None = Field(description="Year over year at the end of the common span.")


class FastestGrowing(_Model):
    category: str
    metric: Literal["cagr", "yoy"]
    value: float


class CommonSpan(_Model):
    start: str
    end: str
    periods: int


class CrossCategory(_Model):
    common_span: CommonSpan | None = Field(
        description="Periods every category covers; shares and growth ranks use only these."
    )
    grand_total: float
    shares: list[ShareRow]
    shares_reason: str | None
    hhi: float | None
    hhi_label: Literal["unconcentrated", "moderate", "high"] | None
    fastest_growing: FastestGrowing | None
    fastest_growing_reason: str | None
    growth_ranking: list[GrowthRank]


# --------------------------------------------------------------------------- forecast


class ForecastPoint(_Model):
    ts: str
    mean: float
    lower80: float
    upper80: float
    lower95: float
    upper95: float


class ModelScore(_Model):
    model: str
    mase: float | None
    smape: float | None
    status: Literal["ok", "failed", "skipped"]
    note: str | None


class ForecastResult(_Model):
    category: str
    horizon: int
    model: str
    baseline_model: Literal["seasonal_naive", "naive"]
    beats_baseline: bool
    message: str | None
    mase: float | None = Field(description="Backtest MASE of the returned model.")
    smape: float | None = Field(
        description="Backtest sMAPE (percent, 0-200) of the returned model."
    )
    baseline_mase: float | None
    baseline_smape: float | None
    backtest_origins: int
    backtest_step: int
    candidates: list[ModelScore]
    fit_points: int
    notes: list[str]
    points: list[ForecastPoint]


# --------------------------------------------------------------------------- charts and result


class SeriesPoint(_Model):
    ts: str
    value: float | None
    raw_value: float | None
    is_outlier: bool
    is_filled: bool


class ValuePoint(_Model):
    ts: str
    value: float | None


class CategoryChart(_Model):
    category: str
    stride: int = Field(description="1, or k when only every k-th point is kept.")
    series: list[SeriesPoint]
    trend: list[ValuePoint]
    growth: list[ValuePoint] = Field(
        description="Period-over-period growth rate per period (empty unless chart_growth)."
    )
    forecast: list[ForecastPoint]


class Charts(_Model):
    categories: list[CategoryChart]
    shares: list[ShareRow]


class SkippedCategory(_Model):
    category: str
    reason: str
    observations: int


class Meta(_Model):
    schema_version: str
    input: IngestReport
    params: AnalysisParams
    frequency: Frequency
    frequency_label: str
    frequency_source: Literal["detected", "requested"]
    period_convention: str
    seasonal_period: int | None
    categories: list[str]
    skipped_categories: list[SkippedCategory]
    notes: list[str]


class AnalysisResult(_Model):
    meta: Meta
    cleaning: CleaningReport
    categories: list[CategoryResult]
    cross_category: CrossCategory
    forecast: list[ForecastResult] | None
    charts: Charts


class QuickCategory(_Model):
    category: str
    periods: int
    last_value: float
    last_date: str
    trend_slope: float
    trend_direction: Direction
    pop_growth: float | None
    yoy_growth: float | None
    cagr: float | None


class QuickAnalysisResult(_Model):
    schema_version: str
    frequency: Frequency
    categories: list[QuickCategory]
    skipped_categories: list[SkippedCategory]
