"""Frequency detection, regularisation, gap filling, decomposition and outlier flags.

Conventions (documented in the cleaning report too):

* **Periods** start on the day (D), the Monday of the ISO week (W), the first day of the
  month (M, pandas ``MS``), quarter (Q, ``QS``: Jan/Apr/Jul/Oct) or year (Y, ``YS``).
* **Frequency** is one per dataset, so categories stay comparable. Dates written as days:
  the median spacing between consecutive distinct dates, pooled over categories, mapped to
  the nearest of D/W/M/Q/Y on a log scale (boundaries 2.6, 14.6, 52.7 and 182.6 days).
  Dates written as months, quarters or years: that granularity, unless every category only
  moves in steps of whole quarters or years (months missing in a flow mean nothing was
  shipped, not a coarser frequency). Confidence is the share of consecutive observed
  periods exactly one period apart.
* **Mixed frequency**: a category whose own dates are coarser than the dataset frequency
  (quarterly figures among monthly ones: every step a multiple of 3 months) would be padded
  with zeros or invented values; instead every category is aggregated to the coarsest such
  frequency (``mixed_frequency="aggregate"``, with a warning) or the file is refused.
* **Distinct dates falling into one period** are summed (values are flows, e.g. export value).
  Duplicate rows were already combined at ingestion (see :mod:`.ingest`).
* **Gaps** (periods without data between a category's first and last): zero by default (a
  month without shipments exported nothing), or linear interpolation in time between the
  neighbouring observed values (``gap_fill="interpolate"``, for stock-like series such as
  prices).
* **Decomposition** (two full seasonal cycles or more) is a robust two-pass moving
  decomposition with no refitting loop (a few milliseconds per series): (1) a rough trend
  (centred rolling median over two cycles) gives per-position medians of the season; the
  trend is then the centred rolling median over one cycle of the deseasonalised series and
  the season the per-position median of the detrended series; points whose residual has a
  robust z-score above 3.5 are replaced by trend + season;
  (2) on that treated series, trend = centred moving average over one cycle (2×m for even
  m), season = per-position mean of the detrended series, centred to sum to 0, residual =
  treated − trend − season. A spike therefore moves neither the trend nor the season.
* **Outliers** are flagged with a robust z-score ``0.6745 (r - median r) / MAD(r)`` above 3.5
  on ``r = x - (trend + season)`` of the decomposition; for shorter series around a centred
  5-point rolling median (a Hampel filter), and for 4-6 points with Tukey fences 1.5 IQR
  around an OLS line. When MAD is 0 the mean absolute deviation × 1.2533 is used; filled
  periods are never flagged. The expected value of a series that is never negative is
  clipped at 0. ``treated`` is the series with flagged values replaced by their
  expected value: forecasts are fitted on it by default; statistics use the raw values
  unless ``outlier_treatment="replace"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import NotEnoughDataError, TooManyRowsError
from .options import Frequency

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

FREQUENCIES: tuple[Frequency, ...] = ("D", "W", "M", "Q", "Y")
FREQ_LABEL = {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly", "Y": "yearly"}
PERIOD_CONVENTION = {
    "D": "each day",
    "W": "weeks starting Monday (ISO weeks), dated by their Monday",
    "M": "months dated by their first day (pandas MS)",
    "Q": "calendar quarters dated by their first day (pandas QS-JAN)",
    "Y": "calendar years dated 1 January (pandas YS)",
}
SEASONAL_PERIOD: dict[str, int | None] = {"D": 7, "W": 52, "M": 12, "Q": 4, "Y": None}
PERIODS_PER_YEAR = {"D": 365.25, "W": 52.1775, "M": 12.0, "Q": 4.0, "Y": 1.0}
NOMINAL_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4369, "Q": 91.3106, "Y": 365.2425}
SPACING_BOUNDS = (2.6458, 14.596, 52.716, 182.62)
MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Z_THRESHOLD = 3.5
MIN_POINTS = 3


def to_periods(days: IntArray, freq: str) -> IntArray:
    """Integer period of each day (days since 1970-01-01)."""
    if freq == "D":
        return days.astype(np.int64)
    if freq == "W":
        return np.floor_divide(days + 3, 7).astype(np.int64)  # 1970-01-01 is a Thursday
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if freq == "M":
        return months
    if freq == "Q":
        return np.floor_divide(months, 3)
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)


def period_start(periods: IntArray, freq: str) -> IntArray:
    """Days since epoch of the first day of each period."""
    if freq == "D":
        return periods.astype(np.int64)
    if freq == "W":
        return (periods * 7 - 3).astype(np.int64)
    if freq == "M":
        months = periods
    elif freq == "Q":
        months = periods * 3
    else:
        return periods.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def season_positions(periods: IntArray, days: IntArray, freq: str) -> tuple[IntArray, list[str]]:
    """Position of each period in the seasonal cycle and the position labels."""
    if freq == "M":
        return np.mod(periods, 12), list(MONTH_LABELS)
    if freq == "Q":
        return np.mod(periods, 4), ["Q1", "Q2", "Q3", "Q4"]
    if freq == "D":
        return np.mod(days + 3, 7), list(WEEKDAY_LABELS)
    if freq == "W":
        return np.minimum(iso_week(days), 52) - 1, [f"W{k:02d}" for k in range(1, 53)]
    return np.zeros(len(periods), dtype=np.int64), ["year"]


FREQ_RANK = {freq: rank for rank, freq in enumerate(FREQUENCIES)}


def own_frequency(days: IntArray) -> Frequency | None:
    """The frequency a category's own dates are recorded at (None: fewer than 3 dates).

    Dates on the first (or last) day of their month count in months: steps that are all
    multiples of 12 months are yearly, of 3 months quarterly, else monthly. Other dates:
    steps that are all multiples of 7 days are weekly, else daily.
    """
    distinct = np.unique(days)
    if len(distinct) < 3:
        return None
    stamps = distinct.astype("datetime64[D]")
    months = stamps.astype("datetime64[M]")
    first = months.astype("datetime64[D]") == stamps
    last = (months + 1).astype("datetime64[D]") - 1 == stamps
    if first.all() or last.all():
        step = int(np.gcd.reduce(np.diff(months.astype(np.int64))))
        return "Y" if step % 12 == 0 else "Q" if step % 3 == 0 else "M"
    step = int(np.gcd.reduce(np.diff(distinct)))
    return "W" if step % 7 == 0 else "D"


def coarser_categories(
    code: npt.NDArray[np.integer[Any]], days: IntArray, names: list[str], freq: Frequency
) -> dict[str, Frequency]:
    """Categories recorded at a coarser frequency than ``freq``, with their own frequency."""
    bounds = _bounds(code, len(names))
    found: dict[str, Frequency] = {}
    for index, name in enumerate(names):
        own = own_frequency(days[bounds[index] : bounds[index + 1]])
        if own is not None and FREQ_RANK[own] > FREQ_RANK[freq]:
            found[name] = own
    return found


def iso_week(days: IntArray) -> IntArray:
    """ISO 8601 week number (1-53) of each day since 1970-01-01 (vectorised)."""
    weekday = np.mod(days + 3, 7)  # Monday 0; 1970-01-01 was a Thursday
    thursday = days - weekday + 3
    year = thursday.astype("datetime64[D]").astype("datetime64[Y]")
    jan1 = year.astype("datetime64[D]").astype(np.int64)
    return np.asarray((thursday - jan1) // 7 + 1, dtype=np.int64)


@dataclass(frozen=True)
class FrequencyInfo:
    freq: Frequency
    source: Literal["detected", "requested"]
    median_spacing_days: float | None


def detect_frequency(
    code: npt.NDArray[np.integer[Any]],
    days: IntArray,
    categories: int,
    granularity: str,
    requested: str,
) -> FrequencyInfo:
    """Frequency of the dataset; see the module docstring. Input sorted by code, day."""
    bounds = _bounds(code, categories)
    spacings = []
    for index in range(categories):
        d = days[bounds[index] : bounds[index + 1]]
        distinct = d[np.r_[True, d[1:] != d[:-1]]] if len(d) else d
        spacings.append(np.diff(distinct).astype(np.int32))
    spacing = np.concatenate(spacings) if spacings else np.zeros(0, dtype=np.int32)
    median = float(np.median(spacing)) if len(spacing) else None
    if requested != "auto":
        return FrequencyInfo(requested, "requested", median)  # type: ignore[arg-type]
    floor = {"D": 0, "M": 2, "Q": 3, "Y": 4}[granularity]
    if granularity == "D":
        rank = floor if median is None else int(np.searchsorted(SPACING_BOUNDS, median, "right"))
        return FrequencyInfo(FREQUENCIES[max(rank, floor)], "detected", median)
    rank = floor
    step = int(np.gcd.reduce(spacing_months(code, days, categories))) if len(spacing) else 0
    if granularity == "M" and step and step % 3 == 0:
        rank = 4 if step % 12 == 0 else 3
    elif granularity == "Q" and step and step % 12 == 0:
        rank = 4
    return FrequencyInfo(FREQUENCIES[rank], "detected", median)


def spacing_months(code: npt.NDArray[np.integer[Any]], days: IntArray, categories: int) -> IntArray:
    """Steps in months between consecutive distinct months of each category, pooled."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    bounds = _bounds(code, categories)
    parts = [np.diff(np.unique(months[bounds[i] : bounds[i + 1]])) for i in range(categories)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass
class Decomposition:
    trend: FloatArray
    seasonal: FloatArray
    resid: FloatArray
    """Residual of the treated series (outliers replaced), so a spike cannot swamp it."""
    method: Literal["robust_moving"]
    period: int


@dataclass
class CleanSeries:
    """One category regularised onto its frequency, with what cleaning did to it."""

    category: str
    freq: Frequency
    periods: IntArray
    days: IntArray
    value: FloatArray
    """Values used in the analysis (observed, gap-filled, replaced outliers if asked)."""
    raw: FloatArray
    """Observed values per period after summing duplicates; NaN where filled."""
    gap_fill: Literal["zero", "interpolate"]
    filled: BoolArray
    observations: int
    duplicates_merged: int
    duplicate_days: IntArray
    aggregated: int
    outlier: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    expected: FloatArray = field(default_factory=lambda: np.zeros(0))
    score: FloatArray = field(default_factory=lambda: np.zeros(0))
    outlier_method: str = "none"
    outliers_replaced: bool = False
    decomposition: Decomposition | None = None
    treated: FloatArray = field(default_factory=lambda: np.zeros(0))
    """``value`` with flagged outliers replaced by their expected value (forecast input)."""


def _bounds(code: npt.NDArray[np.integer[Any]], count: int) -> IntArray:
    """Start of each category's rows (``code`` is sorted), plus the end."""
    return np.searchsorted(code, np.arange(count + 1)).astype(np.int64)


@dataclass
class Regularised:
    """Which categories can be analysed; :meth:`series` builds them one at a time.

    Building lazily keeps memory flat: only one category's arrays are alive at once.
    """

    names: list[str]
    skipped: list[tuple[str, str, int]]
    confidence: float
    freq: Frequency
    gap_fill: Literal["zero", "interpolate"]
    _slices: list[tuple[str, int, int]]
    _days: IntArray
    _value: FloatArray

    def series(self) -> Iterator[CleanSeries]:
        for name, lo, hi in self._slices:
            yield _build_series(
                name, self._days[lo:hi], self._value[lo:hi], self.freq, self.gap_fill
            )


def regularise(
    categories: list[str],
    code: npt.NDArray[np.integer[Any]],
    days: IntArray,
    value: FloatArray,
    freq: Frequency,
    *,
    max_periods: int,
    gap_fill: Literal["zero", "interpolate"] = "zero",
) -> Regularised:
    """Check every category and plan its regularisation; input sorted by code, day, value.

    Duplicates (same date) and dates sharing a period are summed, periods snapped to their
    start, and gaps filled with zeros or by interpolation (see :func:`_build_series`).
    """
    bounds = _bounds(code, len(categories))
    consecutive = 0
    steps = 0
    slices: list[tuple[str, int, int]] = []
    skipped: list[tuple[str, str, int]] = []
    for index, name in enumerate(categories):
        lo, hi = int(bounds[index]), int(bounds[index + 1])
        periods = to_periods(days[lo:hi], freq)
        distinct = periods[np.r_[True, periods[1:] != periods[:-1]]] if hi > lo else periods
        if len(distinct) < MIN_POINTS:
            skipped.append(
                (name, f"fewer than {MIN_POINTS} periods with data ({len(distinct)})", hi - lo)
            )
            continue
        diffs = np.diff(distinct)
        consecutive += int((diffs == 1).sum())
        steps += len(diffs)
        size = int(distinct[-1] - distinct[0] + 1)
        if size > max_periods:
            raise TooManyRowsError(
                f"Regularising {name!r} to {FREQ_LABEL[freq]} periods would create {size:,} "
                f"periods (limit {max_periods:,}); choose a coarser frequency.",
                details={"category": name, "periods": size, "limit": max_periods},
            )
        slices.append((name, lo, hi))
    if not slices:
        best = max((s[2] for s in skipped), default=0)
        raise NotEnoughDataError(
            f"Every category has fewer than {MIN_POINTS} periods with data at "
            f"{FREQ_LABEL[freq]} frequency; at least {MIN_POINTS} are needed "
            f"(the largest category has {best} observation{'s' if best != 1 else ''}).",
            details={"skipped": [s[0] for s in skipped][:50], "minimum": MIN_POINTS},
        )
    return Regularised(
        names=[name for name, _, _ in slices],
        skipped=skipped,
        confidence=consecutive / steps if steps else 1.0,
        freq=freq,
        gap_fill=gap_fill,
        _slices=slices,
        _days=days,
        _value=value,
    )


def _build_series(
    name: str,
    days: IntArray,
    value: FloatArray,
    freq: Frequency,
    gap_fill: Literal["zero", "interpolate"],
) -> CleanSeries:
    """One category (sorted by day, then value) summed per period and gap-filled."""
    n = len(days)
    periods = to_periods(days, freq)
    new_day = np.r_[True, days[1:] != days[:-1]]
    starts = np.flatnonzero(np.r_[True, periods[1:] != periods[:-1]])
    sums = np.add.reduceat(value, starts)
    days_per = np.add.reduceat(new_day.astype(np.int64), starts)
    gp = periods[starts]
    d_starts = np.flatnonzero(new_day)
    d_count = np.diff(np.r_[d_starts, n])
    repeated = d_count > 1
    size = int(gp[-1] - gp[0] + 1)
    grid = np.arange(gp[0], gp[-1] + 1, dtype=np.int64)
    grid_days = period_start(grid, freq)
    raw = np.full(size, np.nan)
    raw[gp - gp[0]] = sums
    filled = np.isnan(raw)
    values = raw.copy()
    if filled.any():
        if gap_fill == "zero":
            values[filled] = 0.0
        else:
            values[filled] = np.interp(grid_days[filled], grid_days[~filled], raw[~filled])
    return CleanSeries(
        category=name,
        freq=freq,
        periods=grid,
        days=grid_days,
        value=values,
        raw=raw,
        gap_fill=gap_fill,
        filled=filled,
        observations=n,
        duplicates_merged=int((d_count[repeated] - 1).sum()),
        duplicate_days=days[d_starts][repeated],
        aggregated=int((days_per - 1).sum()),
    )


def decompose(values: FloatArray, positions: IntArray, period: int) -> Decomposition:
    """Robust two-pass moving decomposition (see the module docstring); no refitting."""
    level = float(np.max(np.abs(values))) if len(values) else 0.0
    window = 2 * period + 1  # wide enough that a run of gaps or spikes cannot break it
    rough = centred_median(values, window)
    season0 = _by_position(values - rough, positions, median=True)
    # median of the deseasonalised series, then a moving average: a fit that does not pass
    # through data points (which would shrink the residual scale and flag too much)
    trend0 = centred_mean(centred_median(values - season0, window), period)
    season0 = _by_position(values - trend0, positions, median=True)
    fit0 = trend0 + season0
    score0 = robust_z(values - fit0, np.ones(len(values), dtype=bool), level)
    treated = np.where(np.abs(score0) > Z_THRESHOLD, fit0, values)
    trend = centred_mean(treated, period)
    seasonal = _by_position(treated - trend, positions, median=False)
    return Decomposition(trend, seasonal, treated - trend - seasonal, "robust_moving", period)


def _by_position(detrended: FloatArray, positions: IntArray, median: bool) -> FloatArray:
    """Per-position median (or mean), centred to sum to 0 over the positions present."""
    n_pos = int(positions.max()) + 1
    if not median:
        counts = np.bincount(positions, minlength=n_pos)
        sums = np.bincount(positions, weights=detrended, minlength=n_pos)
        with np.errstate(invalid="ignore", divide="ignore"):
            level = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    else:
        # medians per position from one sort by (position, value)
        order = np.lexsort((detrended, positions))
        counts = np.bincount(positions, minlength=n_pos)
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        ordered = detrended[order]
        low = starts + np.maximum(counts - 1, 0) // 2
        high = starts + counts // 2
        level = np.where(
            counts > 0,
            (
                ordered[np.minimum(low, len(ordered) - 1)]
                + ordered[np.minimum(high, len(ordered) - 1)]
            )
            / 2.0,
            0.0,
        )
    present = np.bincount(positions, minlength=n_pos) > 0
    level = level - level[present].mean()
    return np.asarray(level[positions], dtype=np.float64)


def centred_mean(values: FloatArray, period: int) -> FloatArray:
    """Centred moving average over one cycle (2×m for even m); ends extended linearly."""
    if period % 2:
        weights = np.full(period, 1.0 / period)
    else:
        weights = np.r_[0.5, np.ones(period - 1), 0.5] / period
    inner = np.convolve(values, weights, mode="valid")
    half = (len(weights) - 1) // 2
    result = np.full(len(values), np.nan)
    result[half : half + len(inner)] = inner
    return _extend_ends(result, len(weights))


def robust_z(resid: FloatArray, use: BoolArray, level: float) -> FloatArray:
    """Robust z-score of each residual, scaled on the residuals where ``use`` is true.

    Deviations below ``1e-9 × level`` (the size of the values) count as exact fits, so a
    perfectly regular series does not turn rounding noise into outliers.
    """
    base = resid[use]
    if len(base) == 0:
        return np.zeros(len(resid))
    tolerance = 1e-9 * max(level, 1e-300)
    centre = float(np.median(base))
    deviation = resid - centre
    mad = float(np.median(np.abs(base - centre)))
    mean_ad = float(np.mean(np.abs(base - centre)))
    if mad > tolerance:
        scale = mad / 0.6745
    elif mean_ad > tolerance:
        scale = 1.253314 * mean_ad
    else:
        return np.zeros(len(resid))
    return np.where(np.abs(deviation) > tolerance, deviation / scale, 0.0)


def centred_median(values: FloatArray, window: int) -> FloatArray:
    """Centred rolling median; the half-windows at both ends are extended linearly.

    A shrinking window at the ends is biased on any trending series (it flagged the first
    point of a straight line), so the ends continue a line fitted to the nearest full-window
    medians instead.
    """
    rolled = pd.Series(values).rolling(window, center=True, min_periods=window).median()
    medians = np.array(rolled.to_numpy(dtype=np.float64))
    if int((~np.isnan(medians)).sum()) < 2:
        fallback = pd.Series(values).rolling(window, center=True, min_periods=1).median()
        return fallback.to_numpy(dtype=np.float64)
    return _extend_ends(medians, window)


def _extend_ends(smooth: FloatArray, window: int) -> FloatArray:
    """Fill the NaN half-windows at both ends with lines fitted to the nearest values."""
    n = len(smooth)
    valid = np.flatnonzero(~np.isnan(smooth))
    if len(valid) < 2:
        return np.where(np.isnan(smooth), np.nanmean(smooth) if len(valid) else 0.0, smooth)
    t = np.arange(n, dtype=np.float64)
    span = min(len(valid), window)
    for side in (valid[:span], valid[-span:]):
        slope, intercept = np.polyfit(t[side], smooth[side], 1)
        gap = np.arange(0, side[0]) if side[0] == valid[0] else np.arange(side[-1] + 1, n)
        smooth[gap] = intercept + slope * t[gap]
    return smooth


def flag_outliers(series: CleanSeries, replace: bool) -> None:
    """Set ``outlier``, ``expected``, ``score`` and the method on ``series``."""
    values, filled = series.value, series.filled
    n = len(values)
    expected = np.full(n, np.nan)
    score = np.zeros(n)
    observed = ~filled
    level = float(np.max(np.abs(values))) if n else 0.0
    if series.decomposition is not None:
        d = series.decomposition
        expected = d.trend + d.seasonal
        method = f"robust z-score > {Z_THRESHOLD} on the robust decomposition residual"
        score = robust_z(values - expected, observed, level)
        flags = np.abs(score) > Z_THRESHOLD
    elif n >= 7:
        expected = centred_median(values, 5)
        score = robust_z(values - expected, observed, level)
        flags = np.abs(score) > Z_THRESHOLD
        method = f"Hampel: robust z-score > {Z_THRESHOLD} around a centred 5-point rolling median"
    elif n >= 4:
        t = np.arange(n, dtype=np.float64)
        slope, intercept = np.polyfit(t, values, 1)
        expected = intercept + slope * t
        resid = values - expected
        q1, q3 = np.percentile(resid[observed], [25, 75])
        iqr = q3 - q1
        low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
        flags = (resid < low) | (resid > high)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(iqr > 0, np.maximum(low - resid, resid - high) / iqr, 0.0)
        method = "Tukey fences 1.5 IQR around an OLS line (fewer than 7 points)"
    else:
        flags = np.zeros(n, dtype=bool)
        method = "none (fewer than 4 points)"
    flags &= observed
    if n and float(np.min(values)) >= 0:
        # a flow that is never negative cannot be expected to be: a trend + season that dips
        # below zero (common in sparse flows) would put negative values into the forecast input
        expected = np.maximum(expected, 0.0)
    series.outlier = flags
    series.expected = expected
    series.score = score
    series.outlier_method = method
    series.treated = np.where(flags, expected, values) if flags.any() else values
    if replace and flags.any():
        series.value = series.treated
        series.outliers_replaced = True
