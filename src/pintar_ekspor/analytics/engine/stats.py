"""Statistics of one regular series: summary, trend, growth, seasonality, volatility.

Definitions (on the regularised series: observed values plus gap-filled periods; ``w`` is
the number of periods in a year: 365 days, 52 weeks, 12 months, 4 quarters, 1 year):

* time index ``t = 0, 1, …, n-1`` in periods; slopes are per period;
* growth rate ``(x_t - x_b) / |x_b|`` (equals ``x_t / x_b - 1`` for positive values; the
  absolute value keeps the sign meaningful for negative series such as a trade balance),
  ``null`` when ``x_b = 0``;
* period over period compares the last period with the one before (like periods: one
  day, week, month, quarter or year each);
* year over year compares whole years: ``T_0 = Σ`` of the last ``w`` periods (trailing 12
  months) against ``T_1 = Σ`` of the ``w`` periods before them, ``(T_0 - T_1) / |T_1|``;
  ``null`` with a reason when the series is shorter than ``2w`` periods;
* CAGR from trailing whole-year totals: the series is cut, from its end, into ``k = ⌊n/w⌋``
  blocks of ``w`` periods; ``CAGR = (T_last / T_first) ** (1 / (k - 1)) - 1`` where
  ``T_first`` is the oldest complete block. It needs ``k ≥ 2`` (two whole years) and both
  totals positive, otherwise ``null`` with a reason: a part-year span is never annualised;
* seasonality strength ``max(0, 1 - Var(R) / Var(S + R))`` on the robust decomposition,
  whose residual ``R`` is that of the outlier-treated series, so one spike does not erase it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from .cleaning import Decomposition
from .dates import days_to_iso
from .result_types import (
    CAGRDict,
    CommonSpanDict,
    CrossCategoryDict,
    FastestGrowingDict,
    GrowthDict,
    GrowthRankDict,
    MannKendallDict,
    OLSTrendDict,
    PeriodGrowthDict,
    SeasonalIndexDict,
    SeasonalityDict,
    ShareRowDict,
    SummaryDict,
    TheilSenTrendDict,
    TotalChangeDict,
    TrendDict,
    VolatilityDict,
    YearOverYearDict,
)
from .schemas import Direction

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SLOPE_UNIT = {
    "D": "per day",
    "W": "per week",
    "M": "per month",
    "Q": "per quarter",
    "Y": "per year",
}
ALPHA = 0.05
HHILabel = Literal["unconcentrated", "moderate", "high"]


def finite(value: float | np.floating[Any] | None) -> float | None:
    """A JSON-safe float: ``None`` for NaN and infinities."""
    if value is None:
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _iso(day: int | np.integer[Any]) -> str:
    return days_to_iso([int(day)])[0]


def summary(values: FloatArray, days: IntArray, observed: int) -> SummaryDict:
    n = len(values)
    low, high = int(np.argmin(values)), int(np.argmax(values))
    return {
        "count": n,
        "observed": observed,
        "mean": float(np.mean(values)),
        "median": float(np.median(values)),
        "std": finite(np.std(values, ddof=1)) if n > 1 else None,
        "min": float(values[low]),
        "min_date": _iso(days[low]),
        "max": float(values[high]),
        "max_date": _iso(days[high]),
        "first": float(values[0]),
        "first_date": _iso(days[0]),
        "last": float(values[-1]),
        "last_date": _iso(days[-1]),
        "total": float(np.sum(values)),
    }


def direction(slope: float, p_value: float | None) -> Direction:
    if p_value is None or p_value >= ALPHA or slope == 0:
        return "flat"
    return "up" if slope > 0 else "down"


def ols_trend(values: FloatArray) -> OLSTrendDict:
    """Least-squares line on the time index (``scipy.stats.linregress``)."""
    t = np.arange(len(values), dtype=np.float64)
    if np.ptp(values) == 0:
        return {
            "slope": 0.0,
            "intercept": float(values[0]),
            "r_squared": 0.0,
            "p_value": 1.0,
            "stderr": 0.0,
            "direction": "flat",
        }
    with np.errstate(all="ignore"):
        fit = sps.linregress(t, values)
    slope = finite(fit.slope)
    p_value = finite(fit.pvalue)
    intercept = finite(fit.intercept) if slope is not None else None
    return {
        "slope": slope if slope is not None else 0.0,
        # The schema's intercept is never null: the mean when the fit gives none.
        "intercept": intercept if intercept is not None else float(np.mean(values)),
        "r_squared": finite(fit.rvalue**2) or 0.0,
        "p_value": p_value if slope is not None else None,
        "stderr": finite(fit.stderr),
        "direction": direction(slope or 0.0, p_value),
    }


@functools.lru_cache(maxsize=4)
def _pairs(n: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs ``i < j`` (cached: most series of a dataset share their length)."""
    i, j = np.triu_indices(n, k=1)
    i.flags.writeable = False
    j.flags.writeable = False
    return i, j


def theil_sen(values: FloatArray, max_points: int) -> TheilSenTrendDict:
    """Theil-Sen slope with the 95 % confidence interval of Sen (1968), as scipy computes it.

    The same formulas as ``scipy.stats.theilslopes`` (intercept ``median(y) - slope ×
    median(t)``), but the median and interval ranks are found by partial sorting; series
    longer than ``max_points`` use an evenly spaced subsample (pairs grow with n²).
    """
    n = len(values)
    x = np.arange(n, dtype=np.float64)
    if n > max_points:
        pick = np.unique(np.linspace(0, n - 1, max_points).round().astype(np.int64))
        x, y = x[pick], values[pick]
    else:
        y = values
    i, j = _pairs(len(x))
    slopes = (y[j] - y[i]) / (x[j] - x[i])
    count = len(slopes)
    mid = [(count - 1) // 2, count // 2]
    _, ties = np.unique(y, return_counts=True)
    ties = ties[ties > 1].astype(np.float64)
    m = float(len(y))
    sigma = math.sqrt(
        (m * (m - 1) * (2 * m + 5) - float(np.sum(ties * (ties - 1) * (2 * ties + 5)))) / 18.0
    )
    z = float(sps.norm.ppf(0.025))
    upper = min(round((count - z * sigma) / 2.0), count - 1)
    lower = max(round((count + z * sigma) / 2.0) - 1, 0)
    ranks = sorted({*mid, lower, upper})
    part = np.partition(slopes, ranks)
    slope = float((part[mid[0]] + part[mid[1]]) / 2.0)
    return {
        "slope": slope,
        "intercept": float(np.median(y) - slope * np.median(x)),
        "slope_low95": finite(part[lower]),
        "slope_high95": finite(part[upper]),
        "points_used": len(x),
    }


def mann_kendall(values: FloatArray) -> MannKendallDict:
    """Mann-Kendall trend test with the tie-corrected variance of S.

    ``S = Σ_{i<j} sign(x_j - x_i)`` is obtained exactly in O(n log n) from Kendall's tau-b
    against the time index (``S = τ_b · sqrt(n0 (n0 - n_ties))``, time has no ties);
    ``Var S = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18``, ``Z = (S ∓ 1) / sqrt(Var S)``
    (continuity correction), two-sided p-value, ``tau = S / (n(n-1)/2)``.
    """
    n = len(values)
    n0 = n * (n - 1) / 2.0
    _, counts = np.unique(values, return_counts=True)
    t = counts[counts > 1].astype(np.float64)
    tie_pairs = float(np.sum(t * (t - 1) / 2.0))
    var_s = (n * (n - 1) * (2 * n + 5) - float(np.sum(t * (t - 1) * (2 * t + 5)))) / 18.0
    if n0 - tie_pairs <= 0:
        s = 0.0
    else:
        tau_b = float(sps.kendalltau(np.arange(n), values).statistic)
        s = float(round(tau_b * math.sqrt(n0 * (n0 - tie_pairs))))
    z = 0.0 if var_s <= 0 or s == 0 else (s - math.copysign(1.0, s)) / math.sqrt(var_s)
    p_value = float(2.0 * sps.norm.sf(abs(z)))
    return {
        "s": s,
        "var_s": var_s,
        "z": z,
        "p_value": p_value,
        "tau": s / n0 if n0 else 0.0,
        "direction": direction(s, p_value),
    }


def trend(values: FloatArray, freq: str, theil_max_points: int) -> TrendDict:
    ols = ols_trend(values)
    return {
        "slope_unit": SLOPE_UNIT[freq],
        "direction": ols["direction"],
        "ols": ols,
        "theil_sen": theil_sen(values, theil_max_points),
        "mann_kendall": mann_kendall(values),
    }


def rates(current: FloatArray, base: FloatArray) -> FloatArray:
    """Growth rates ``(current - base) / |base|``; NaN where the base is 0 or missing."""
    with np.errstate(all="ignore"):
        result = (current - base) / np.abs(base)
    return np.where(np.isfinite(result), result, np.nan)


PERIODS_PER_YEAR = {"D": 365, "W": 52, "M": 12, "Q": 4, "Y": 1}
YEAR_UNIT = {"D": "365 days", "W": "52 weeks", "M": "12 months", "Q": "4 quarters", "Y": "year"}


def year_over_year(
    values: FloatArray, days: IntArray, freq: str
) -> tuple[YearOverYearDict | None, str | None]:
    """Trailing-year total against the year before it (see the module docstring)."""
    w = PERIODS_PER_YEAR[freq]
    n = len(values)
    if n < 2 * w:
        return None, (
            f"Year over year needs two whole years ({2 * w} {UNIT_NAME[freq]}); the series has {n}."
        )
    current = float(np.sum(values[n - w :]))
    base = float(np.sum(values[n - 2 * w : n - w]))
    return {
        "date": _iso(days[n - w]),
        "end_date": _iso(days[-1]),
        "base_date": _iso(days[n - 2 * w]),
        "base_end_date": _iso(days[n - w - 1]),
        "periods": w,
        "value": current,
        "base_value": base,
        "change": current - base,
        "rate": finite(rates(np.array([current]), np.array([base]))[0]),
    }, None


UNIT_NAME = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters", "Y": "years"}


def cagr(values: FloatArray, days: IntArray, freq: str) -> CAGRDict:
    """CAGR from the oldest and the latest trailing whole-year totals."""
    w = PERIODS_PER_YEAR[freq]
    n = len(values)
    blocks = n // w
    result: CAGRDict = {
        "value": None,
        "years": float(max(blocks - 1, 0)),
        "first_value": None,
        "last_value": None,
        "first_date": None,
        "last_date": None,
        "basis": f"totals of trailing {YEAR_UNIT[freq]}" if w > 1 else "yearly values",
        "reason": None,
    }
    if blocks < 2:
        result["reason"] = (
            f"CAGR needs at least two whole years of data ({2 * w} {UNIT_NAME[freq]}); the "
            f"series has {n}, and part of a year is never annualised."
        )
        return result
    start = n - blocks * w
    first = float(np.sum(values[start : start + w]))
    last = float(np.sum(values[n - w :]))
    result["first_value"] = first
    result["last_value"] = last
    result["first_date"] = _iso(days[start])
    result["last_date"] = _iso(days[n - w])
    if first <= 0 or last <= 0:
        result["reason"] = "CAGR needs a positive first and last yearly total."
        return result
    exponent = math.log(last / first) / (blocks - 1)
    if exponent > 700:
        result["reason"] = "CAGR is too large to represent."
    else:
        result["value"] = finite(math.expm1(exponent))
    return result


def growth(values: FloatArray, days: IntArray, freq: str) -> tuple[GrowthDict, FloatArray]:
    """Growth figures and the full period-over-period rate series (NaN first)."""
    pop_series = np.r_[np.nan, rates(values[1:], values[:-1])]
    pop: PeriodGrowthDict = {
        "date": _iso(days[-1]),
        "previous_date": _iso(days[-2]),
        "value": float(values[-1]),
        "previous_value": float(values[-2]),
        "change": float(values[-1] - values[-2]),
        "rate": finite(pop_series[-1]),
    }
    yoy, yoy_reason = year_over_year(values, days, freq)
    first, last = float(values[0]), float(values[-1])
    total_change: TotalChangeDict = {
        "absolute": last - first,
        "rate": finite(rates(np.array([last]), np.array([first]))[0]),
    }
    result: GrowthDict = {
        "period_over_period": pop,
        "year_over_year": yoy,
        "yoy_reason": yoy_reason,
        "cagr": cagr(values, days, freq),
        "total_change": total_change,
    }
    return result, pop_series


def seasonality(
    decomposition: Decomposition, positions: IntArray, labels: list[str], values: FloatArray
) -> SeasonalityDict:
    """Strength ``max(0, 1 - Var(R) / Var(S + R))`` and mean seasonal index per position."""
    s, r = decomposition.seasonal, decomposition.resid
    denominator = float(np.var(s + r))
    ratio = float(np.var(r)) / denominator if denominator > 0 else math.nan
    strength = max(0.0, 1.0 - ratio) if math.isfinite(ratio) else 0.0
    level = float(np.mean(values))
    indices: list[SeasonalIndexDict] = []
    for k, label in enumerate(labels):
        mask = positions == k
        if not mask.any():
            continue
        index = finite(np.mean(s[mask])) or 0.0
        share = finite((level + index) / level) if level > 0 else None
        indices.append({"position": k + 1, "label": label, "index": index, "ratio": share})
    peak = max(indices, key=lambda item: item["index"])
    trough = min(indices, key=lambda item: item["index"])
    return {
        "method": decomposition.method,
        "period": decomposition.period,
        "strength": strength,
        "indices": indices,
        "peak": peak["label"],
        "trough": trough["label"],
    }


def volatility(pop_series: FloatArray) -> VolatilityDict:
    """Spread of period-over-period growth rates: std (ddof=1) and CV = std / |mean|."""
    usable = pop_series[np.isfinite(pop_series)]
    if len(usable) < 2:
        return {
            "growth_mean": finite(usable[0]) if len(usable) else None,
            "growth_std": None,
            "growth_cv": None,
            "rates": len(usable),
            "reason": "Fewer than two growth rates could be computed.",
        }
    with np.errstate(all="ignore"):
        mean = finite(np.mean(usable))
        std = finite(np.std(usable, ddof=1))
    cv = finite(std / abs(mean)) if mean and std is not None else None
    return {
        "growth_mean": mean,
        "growth_std": std,
        "growth_cv": cv,
        "rates": len(usable),
        "reason": None if cv is not None else "The CV is undefined (mean growth is 0 or huge).",
    }


def hhi_label(hhi: float) -> HHILabel:
    if hhi < 1500:
        return "unconcentrated"
    return "moderate" if hhi <= 2500 else "high"


@dataclass(frozen=True)
class SpanSeries:
    """One category's regular series, for comparisons across categories."""

    category: str
    periods: IntArray
    days: IntArray
    values: FloatArray


def common_span(series: list[SpanSeries]) -> tuple[int, int] | None:
    """First and last period every category covers (None when they do not overlap)."""
    start = max(int(s.periods[0]) for s in series)
    end = min(int(s.periods[-1]) for s in series)
    return (start, end) if start <= end else None


def cross_category(series: list[SpanSeries], freq: str) -> CrossCategoryDict:
    """Shares, rank, HHI and the fastest-growing category, all on the common span.

    Categories are compared over the periods they all cover, so a category observed for
    longer does not get a larger share or a different growth window just for that.
    """
    names = [s.category for s in series]
    span = common_span(series)
    full = np.array([float(np.sum(s.values)) for s in series])
    if span is None:
        cut = [s.values[:0] for s in series]
        span_info: CommonSpanDict | None = None
    else:
        cut = [
            s.values[span[0] - int(s.periods[0]) : span[1] - int(s.periods[0]) + 1] for s in series
        ]
        first = series[0]
        span_days = first.days[
            span[0] - int(first.periods[0]) : span[1] - int(first.periods[0]) + 1
        ]
        span_info = {
            "start": _iso(span_days[0]),
            "end": _iso(span_days[-1]),
            "periods": span[1] - span[0] + 1,
        }
    totals = np.array([float(np.sum(v)) for v in cut])
    grand = float(np.sum(totals))
    order = sorted(range(len(names)), key=lambda k: (-totals[k], names[k]))
    rank = {k: position + 1 for position, k in enumerate(order)}
    reason: str | None = None
    if span is None:
        reason = "The categories share no common period, so their shares are not comparable."
    elif (totals < 0).any():
        reason = "Shares need non-negative totals; some categories sum to a negative value."
    elif grand <= 0:
        reason = "The grand total over the common span is 0."
    shares = totals / grand if reason is None else np.full(len(totals), np.nan)
    rows: list[ShareRowDict] = [
        {
            "category": names[k],
            "total": float(totals[k]),
            "full_total": float(full[k]),
            "share": finite(shares[k]),
            "rank": rank[k],
        }
        for k in order
    ]
    hhi = float(np.sum((shares * 100.0) ** 2)) if reason is None else None
    ranking: list[GrowthRankDict] = []
    for s, values in zip(series, cut, strict=True):
        days = s.days[: len(values)] if span is None else s.days[span[0] - int(s.periods[0]) :]
        c = cagr(values, days, freq)["value"] if len(values) else None
        y = year_over_year(values, days, freq)[0] if len(values) else None
        ranking.append({"category": s.category, "cagr": c, "yoy": y["rate"] if y else None})
    fastest, fastest_reason = _fastest(ranking, freq)

    def growth_key(g: GrowthRankDict) -> tuple[int, float, str]:
        metric = g["cagr"] if g["cagr"] is not None else g["yoy"]
        has = 0 if g["cagr"] is not None else (1 if metric is not None else 2)
        return (has, -(metric if metric is not None else 0.0), g["category"])

    return {
        "common_span": span_info,
        "grand_total": grand,
        "shares": rows,
        "shares_reason": reason,
        "hhi": hhi,
        "hhi_label": hhi_label(hhi) if hhi is not None else None,
        "fastest_growing": fastest,
        "fastest_growing_reason": fastest_reason,
        "growth_ranking": sorted(ranking, key=growth_key),
    }


def _fastest(
    ranking: list[GrowthRankDict], freq: str
) -> tuple[FastestGrowingDict | None, str | None]:
    metrics: tuple[Literal["cagr", "yoy"], ...] = ("cagr", "yoy")
    for metric in metrics:
        usable = [(value, g["category"]) for g in ranking if (value := g[metric]) is not None]
        if usable:
            value, category = max(usable)
            return {"category": category, "metric": metric, "value": value}, None
    w = PERIODS_PER_YEAR[freq]
    return None, (
        f"Growth is compared on whole years of the common span; the categories share fewer "
        f"than {2 * w} {UNIT_NAME[freq]} (two whole years)."
    )
