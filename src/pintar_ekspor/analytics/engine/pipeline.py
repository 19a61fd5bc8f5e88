"""The analysis pipeline: dataset → regular series → statistics, forecasts and chart data."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt

from . import stats
from .cleaning import (
    FREQ_LABEL,
    FREQ_RANK,
    PERIOD_CONVENTION,
    SEASONAL_PERIOD,
    CleanSeries,
    Regularised,
    coarser_categories,
    decompose,
    detect_frequency,
    flag_outliers,
    period_start,
    regularise,
    season_positions,
)
from .dates import days_to_iso
from .errors import MixedFrequencyError
from .forecast import forecast_series
from .ingest import CategoryIngest, Dataset, select_categories
from .options import AnalysisParams, Frequency
from .report import (
    GAP_METHOD,
    Regularisation,
    cleaning_sentences,
    merge_sentences,
    reading_sentences,
    value_sentences,
)
from .result_types import (
    AnalysisResultDict,
    BadRowsReportDict,
    CategoryChartDict,
    CategoryCleaningDict,
    CategoryResultDict,
    CleaningReportDict,
    ForecastResultDict,
    IngestReportDict,
    OLSTrendDict,
    QuickAnalysisResultDict,
    QuickCategoryDict,
    SkippedCategoryDict,
)
from .schemas import SCHEMA_VERSION

DEFAULT_HORIZON = {"D": 7, "W": 52, "M": 12, "Q": 4, "Y": 3}
UNIT = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters", "Y": "years"}
MAX_LISTED = 100

FloatArray = npt.NDArray[np.float64]


@dataclass
class Prepared:
    freq: Frequency
    source: Literal["detected", "requested"]
    median_spacing: float | None
    reg: Regularised
    filtered: bool
    coarser: dict[str, Frequency]
    """Categories recorded coarser than the detected or requested frequency."""
    aggregated_from: Frequency | None
    """The frequency before every category was aggregated to a coarser one, if that happened."""


def prepare(dataset: Dataset, params: AnalysisParams) -> Prepared:
    """Select categories, detect the frequency and regularise every category."""
    names = dataset.categories
    keep = select_categories(names, params.category)
    frame = dataset.frame
    code = frame["category"].cat.codes.to_numpy()
    days = frame["date"].to_numpy().astype("datetime64[D]").view(np.int64)
    value = frame["value"].to_numpy(dtype=np.float64)
    if len(keep) != len(names):
        wanted = np.array([name in set(keep) for name in names])
        mask = wanted[code]
        remap = np.cumsum(wanted) - 1
        code, days, value = remap[code[mask]], days[mask], value[mask]
        names = [name for name in names if name in set(keep)]
    info = detect_frequency(code, days, len(names), dataset.granularity, params.frequency)
    freq = info.freq
    coarser = coarser_categories(code, days, names, freq)
    aggregated_from: Frequency | None = None
    if coarser:
        _refuse_mixed(coarser, freq, params)
        aggregated_from = freq
        freq = max(coarser.values(), key=lambda f: FREQ_RANK[f])
    reg = regularise(
        names,
        code,
        days,
        value,
        freq,
        max_periods=params.max_periods_per_category,
        gap_fill=params.gap_fill,
    )
    filtered = len(keep) != len(dataset.categories)
    return Prepared(
        freq, info.source, info.median_spacing_days, reg, filtered, coarser, aggregated_from
    )


def _refuse_mixed(coarser: dict[str, Frequency], freq: Frequency, params: AnalysisParams) -> None:
    if params.mixed_frequency != "refuse":
        return
    listed = ", ".join(f"{name!r} ({FREQ_LABEL[f]})" for name, f in list(coarser.items())[:10])
    raise MixedFrequencyError(
        f"The data are {FREQ_LABEL[freq]}, but some categories are recorded less often: "
        f"{listed}. Send them separately, set frequency to the coarser one, or set "
        "mixed_frequency=aggregate.",
        details={"categories": dict(list(coarser.items())[:50]), "frequency": freq},
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large results.

    Building hundreds of thousands of small dicts triggers generation-2 collections that
    walk the whole heap; pausing cuts chart building from ~1 s to ~0.3 s per million points.
    Nothing built here is cyclic; the collector's previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Forecaster = Callable[[CleanSeries, int, int | None, AnalysisParams], dict[str, Any]]


def run_analysis(
    dataset: Dataset, params: AnalysisParams | None = None, forecaster: Forecaster | None = None
) -> AnalysisResultDict:
    """Analyse every category of ``dataset``; the result validates as ``AnalysisResult``.

    ``forecaster`` replaces the in-process forecast of each series (the worker tasks use it
    to defer forecasts to other processes); it returns the series' forecast entry.
    """
    with _gc_paused():
        return _run_analysis(dataset, params or AnalysisParams(), forecaster or _forecast)


def _run_analysis(
    dataset: Dataset, params: AnalysisParams, forecaster: Forecaster
) -> AnalysisResultDict:
    prep = prepare(dataset, params)
    freq = prep.freq
    period = SEASONAL_PERIOD[freq]
    horizon = params.horizon or DEFAULT_HORIZON[freq]
    notes: list[str] = []
    results: list[CategoryResultDict] = []
    charts: list[CategoryChartDict] = []
    forecasts: list[dict[str, Any]] = []
    cleaning: list[CategoryCleaningDict] = []
    spans: list[stats.SpanSeries] = []
    for series in prep.reg.series():
        n = len(series.value)
        positions, labels = season_positions(series.periods, series.days, freq)
        seasonal_reason: str | None = None
        if period is None:
            seasonal_reason = "Yearly data have no seasonal cycle."
        elif n < 2 * period:
            seasonal_reason = (
                f"Seasonality needs at least two full cycles ({2 * period} {UNIT[freq]}); "
                f"the series has {n}."
            )
        else:
            series.decomposition = decompose(series.value, positions, period)
        flag_outliers(series, replace=params.outlier_treatment == "replace")
        values = series.value
        trend = stats.trend(values, freq, params.theil_sen_max_points)
        growth, pop_series = stats.growth(values, series.days, freq)
        season = (
            stats.seasonality(series.decomposition, positions, labels, values)
            if series.decomposition is not None
            else None
        )
        results.append(
            {
                "category": series.category,
                "frequency": freq,
                "periods": n,
                "first_date": days_to_iso([series.days[0]])[0],
                "last_date": days_to_iso([series.days[-1]])[0],
                "summary": stats.summary(values, series.days, int((~series.filled).sum())),
                "trend": trend,
                "growth": growth,
                "seasonality": season,
                "seasonality_reason": seasonal_reason,
                "volatility": stats.volatility(pop_series),
            }
        )
        forecast: dict[str, Any] | None = None
        if params.include_forecast:
            forecast = forecaster(series, horizon, period, params)
            forecasts.append(forecast)
        charts.append(_chart(series, trend["ols"], pop_series, forecast, params))
        cleaning.append(_category_cleaning(series, dataset.per_category.get(series.category)))
        spans.append(stats.SpanSeries(series.category, series.periods, series.days, values))
    long_series = [r for r in results if r["periods"] > params.theil_sen_max_points]
    if long_series:
        notes.append(
            f"Theil-Sen slopes of {len(long_series)} series longer than "
            f"{params.theil_sen_max_points} points use an evenly spaced subsample of "
            f"{params.theil_sen_max_points} points."
        )
    cross = stats.cross_category(spans, freq)
    return {
        "meta": {
            "schema_version": SCHEMA_VERSION,
            # The dump of the schema's own model (`IngestReport`).
            "input": cast(IngestReportDict, dataset.report.model_dump(mode="json")),
            "params": params.model_dump(mode="json"),
            "frequency": freq,
            "frequency_label": FREQ_LABEL[freq],
            "frequency_source": prep.source,
            "period_convention": PERIOD_CONVENTION[freq],
            "seasonal_period": period,
            "categories": prep.reg.names,
            "skipped_categories": _skipped(prep),
            "notes": notes,
        },
        "cleaning": _cleaning(dataset, prep, cleaning, params),
        "categories": results,
        "cross_category": cross,
        # `ForecastResult`s from `forecast_entry`; a deferring forecaster's entries stand in
        # for them until the worker splices the computed ones into the result text.
        "forecast": (
            cast("list[ForecastResultDict]", forecasts) if params.include_forecast else None
        ),
        "charts": {"categories": charts, "shares": cross["shares"]},
    }


def quick_analysis(
    dataset: Dataset, params: AnalysisParams | None = None
) -> QuickAnalysisResultDict:
    """Cheap per-category figures: OLS trend, latest growth rates, CAGR, last value.

    Same cleaning as :func:`run_analysis` (frequency, duplicates, gap filling) but no
    outlier detection, decomposition or forecast. Validates as ``QuickAnalysisResult``.
    """
    params = params or AnalysisParams()
    prep = prepare(dataset, params)
    rows: list[QuickCategoryDict] = []
    for series in prep.reg.series():
        values = series.value
        ols = stats.ols_trend(values)
        growth, _ = stats.growth(values, series.days, prep.freq)
        yoy = growth["year_over_year"]
        rows.append(
            {
                "category": series.category,
                "periods": len(values),
                "last_value": float(values[-1]),
                "last_date": days_to_iso([series.days[-1]])[0],
                "trend_slope": ols["slope"],
                "trend_direction": ols["direction"],
                "pop_growth": growth["period_over_period"]["rate"],
                "yoy_growth": yoy["rate"] if yoy else None,
                "cagr": growth["cagr"]["value"],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "frequency": prep.freq,
        "categories": rows,
        "skipped_categories": _skipped(prep),
    }


def _skipped(prep: Prepared) -> list[SkippedCategoryDict]:
    return [
        {"category": name, "reason": reason, "observations": count}
        for name, reason, count in prep.reg.skipped
    ]


def _forecast(
    series: CleanSeries, horizon: int, period: int | None, params: AnalysisParams
) -> dict[str, Any]:
    fit_on = series.treated if params.forecast_input == "treated" else series.value
    result = forecast_series(
        fit_on, horizon=horizon, period=period, max_points=params.forecast_max_points
    )
    return forecast_entry(series.category, result, future_stamps(series, horizon))


def future_stamps(series: CleanSeries, horizon: int) -> list[str]:
    """ISO dates of the ``horizon`` periods after the series."""
    future = period_start(series.periods[-1] + np.arange(1, horizon + 1), series.freq)
    return list(days_to_iso(future))


def forecast_entry(category: str, result: dict[str, Any], stamps: list[str]) -> dict[str, Any]:
    """A ``ForecastResult`` dict from :func:`forecast_series`' output and the future dates."""
    bands = result.pop("bands")
    result["points"] = [
        {
            "ts": ts,
            "mean": float(bands["mean"][k]),
            "lower80": float(bands["lower80"][k]),
            "upper80": float(bands["upper80"][k]),
            "lower95": float(bands["lower95"][k]),
            "upper95": float(bands["upper95"][k]),
        }
        for k, ts in enumerate(stamps)
    ]
    return {"category": category, **result}


def _nullable(values: FloatArray) -> list[float | None]:
    boxed = values.astype(object)
    boxed[~np.isfinite(values)] = None
    return list(boxed.tolist())


def _chart(
    series: CleanSeries,
    ols: OLSTrendDict,
    pop_series: FloatArray,
    forecast: dict[str, Any] | None,
    params: AnalysisParams,
) -> CategoryChartDict:
    n = len(series.value)
    max_points = params.chart_max_points
    stride = 1 if max_points is None or n <= max_points else math.ceil(n / max_points)
    if stride > 1:
        keep = np.zeros(n, dtype=bool)
        keep[::stride] = True
        keep[-1] = True
        keep |= series.outlier
        index = np.flatnonzero(keep)
    else:
        index = np.arange(n)
    stamps = days_to_iso(series.days[index])
    values = _nullable(series.value[index])
    raw = _nullable(series.raw[index])
    outlier = series.outlier[index].tolist()
    filled = series.filled[index].tolist()
    line = _nullable(ols["intercept"] + ols["slope"] * index.astype(np.float64))
    growth = _nullable(pop_series[index]) if params.chart_growth else []
    return {
        "category": series.category,
        "stride": stride,
        "series": [
            {"ts": t, "value": v, "raw_value": r, "is_outlier": o, "is_filled": f}
            for t, v, r, o, f in zip(stamps, values, raw, outlier, filled, strict=True)
        ],
        "trend": [{"ts": t, "value": v} for t, v in zip(stamps, line, strict=True)],
        "growth": [{"ts": t, "value": v} for t, v in zip(stamps, growth, strict=False)],
        "forecast": forecast["points"] if forecast else [],
    }


def _category_cleaning(series: CleanSeries, ingest: CategoryIngest | None) -> CategoryCleaningDict:
    ingest = ingest or CategoryIngest()
    flagged = np.flatnonzero(series.outlier)
    listed = flagged[:MAX_LISTED]
    outlier_days = days_to_iso(series.days[listed])
    return {
        "category": series.category,
        "observations": series.observations,
        "first_date": days_to_iso([series.days[0]])[0],
        "last_date": days_to_iso([series.days[-1]])[0],
        "duplicates_merged": ingest.duplicates,
        "duplicate_dates": days_to_iso(ingest.duplicate_days[:20]),
        "exact_duplicates": ingest.exact_duplicates,
        "rows_summed_over": ingest.summed_rows,
        "aggregated_into_periods": series.aggregated,
        "periods": len(series.value),
        "gaps_filled": int(series.filled.sum()),
        "filled_dates": days_to_iso(series.days[np.flatnonzero(series.filled)[:MAX_LISTED]]),
        "outliers_flagged": len(flagged),
        "outliers": [
            {
                "date": day,
                "raw_value": float(series.raw[k]),
                "expected_value": stats.finite(series.expected[k]),
                "score": stats.finite(series.score[k]),
            }
            for day, k in zip(outlier_days, listed.tolist(), strict=True)
        ],
        "outlier_method": series.outlier_method,
        "outliers_replaced": series.outliers_replaced,
    }


def _cleaning(
    dataset: Dataset, prep: Prepared, per: list[CategoryCleaningDict], params: AnalysisParams
) -> CleaningReportDict:
    report = dataset.report
    used = sum(p["observations"] for p in per)
    totals = {
        "aggregated": sum(p["aggregated_into_periods"] for p in per),
        "gaps": sum(p["gaps_filled"] for p in per),
        "outliers": sum(p["outliers_flagged"] for p in per),
    }
    reg = Regularisation(
        freq=prep.freq,
        source=prep.source,
        median_spacing=prep.median_spacing,
        confidence=prep.reg.confidence,
        filtered=bool(report.categories_filtered_out or prep.filtered),
        skipped=prep.reg.skipped,
        coarser=prep.coarser,
        aggregated_from=prep.aggregated_from,
    )
    changes, warnings = cleaning_sentences(reg, params, totals)
    received = (
        f"Received {report.rows_received:,} data rows ({report.observations_received:,} "
        f"observations); {used:,} observations were used."
    )
    changes = [received, *value_sentences(report), *merge_sentences(report), *changes]
    return {
        "rows_received": report.rows_received,
        "observations_received": report.observations_received,
        "observations_used": used,
        "bad_rows": cast(BadRowsReportDict, report.bad_rows.model_dump(mode="json")),
        "on_bad_rows": report.on_bad_rows,
        "duplicates_merged": sum(p["duplicates_merged"] for p in per),
        "aggregated_into_periods": totals["aggregated"],
        "gaps_filled": totals["gaps"],
        "gap_fill": params.gap_fill,
        "gap_fill_method": GAP_METHOD[params.gap_fill],
        "outliers_flagged": totals["outliers"],
        "mixed_frequency": dict(prep.coarser),
        "frequency_detected": prep.freq,
        "frequency_confidence": prep.reg.confidence,
        "median_spacing_days": prep.median_spacing,
        "per_category": per,
        "reading": reading_sentences(report),
        "warnings": warnings,
        "changes": changes,
    }
