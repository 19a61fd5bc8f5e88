"""Statistics of one regular series: summary, trend, growth, seasonality, volatility.

Definitions (all on the regularised series: observed values plus interpolated gaps):

* time index ``t = 0, 1, …, n-1`` in periods; slopes are per period;
* growth rate ``(x_t - x_b) / |x_b|`` (equals ``x_t / x_b - 1`` for positive values; the
  absolute value keeps the sign meaningful for negative series such as a trade balance),
  ``null`` when ``x_b = 0``;
* CAGR ``(last / first) ** (1 / years) - 1`` with ``years`` = months between the first and
  last period / 12 (M, Q, Y) or days / 365.25 (D, W); only when both ends are positive;
* year over year compares a period with the same period a year earlier: 52 weeks, 12
  months, 4 quarters, or for daily data the same calendar date (29 Feb → 28 Feb).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as sps

from .cleaning import Decomposition
from .dates import days_to_iso

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


def finite(value: float | np.floating[Any] | None) -> float | None:
    """A JSON-safe float: ``None`` for NaN and infinities."""
    if value is None:
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _iso(day: int | np.integer[Any]) -> str:
    return days_to_iso([int(day)])[0]


def summary(values: FloatArray, days: IntArray, observed: int) -> dict[str, Any]:
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


def direction(slope: float, p_value: float | None) -> str:
    if p_value is None or p_value >= ALPHA or slope == 0:
        return "flat"
    return "up" if slope > 0 else "down"


def ols_trend(values: FloatArray) -> dict[str, Any]:
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
    return {
        "slope": slope if slope is not None else 0.0,
        "intercept": finite(fit.intercept) if slope is not None else float(np.mean(values)),
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


def theil_sen(values: FloatArray, max_points: int) -> dict[str, Any]:
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


def mann_kendall(values: FloatArray) -> dict[str, Any]:
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


def trend(values: FloatArray, freq: str, theil_max_points: int) -> dict[str, Any]:
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
    with np.errstate(divide="ignore", invalid="ignore"):
        result = (current - base) / np.abs(base)
    return np.where(np.isfinite(result), result, np.nan)


def yoy_base_index(days: IntArray, freq: str) -> IntArray:
    """Index of the same period one year earlier (-1 when before the series start)."""
    n = len(days)
    lag = {"W": 52, "M": 12, "Q": 4}.get(freq)
    if lag is not None:
        index = np.arange(n, dtype=np.int64) - lag
    else:
        stamps = pd.DatetimeIndex(days.astype("datetime64[D]").astype("datetime64[s]"))
        base = (stamps - pd.DateOffset(years=1)).to_numpy().astype("datetime64[D]")
        index = base.astype(np.int64) - int(days[0])
    return np.where(index >= 0, index, -1)


def growth(
    values: FloatArray, days: IntArray, periods: IntArray, freq: str
) -> tuple[dict[str, Any], FloatArray]:
    """Growth figures and the full period-over-period rate series (NaN first)."""
    pop_series = np.r_[np.nan, rates(values[1:], values[:-1])]
    pop = {
        "date": _iso(days[-1]),
        "previous_date": _iso(days[-2]),
        "value": float(values[-1]),
        "previous_value": float(values[-2]),
        "change": float(values[-1] - values[-2]),
        "rate": finite(pop_series[-1]),
    }
    yoy: dict[str, Any] | None = None
    yoy_reason: str | None = None
    if freq == "Y":
        yoy_reason = "Yearly data: year over year is the period-over-period growth."
    else:
        base_index = yoy_base_index(days, freq)
        has_base = base_index >= 0
        if not has_base[-1]:
            yoy_reason = "The series is shorter than one year plus one period."
        else:
            safe = np.where(has_base, base_index, 0)
            yoy_rates = np.where(has_base, rates(values, values[safe]), np.nan)
            usable = yoy_rates[np.isfinite(yoy_rates)]
            b = int(base_index[-1])
            yoy = {
                "date": _iso(days[-1]),
                "base_date": _iso(days[b]),
                "value": float(values[-1]),
                "base_value": float(values[b]),
                "change": float(values[-1] - values[b]),
                "rate": finite(yoy_rates[-1]),
                "mean_rate": float(np.mean(usable)) if len(usable) else None,
                "rates_averaged": len(usable),
            }
    if freq in ("M", "Q", "Y"):
        months = {"M": 1, "Q": 3, "Y": 12}[freq]
        years = float(periods[-1] - periods[0]) * months / 12.0
    else:
        years = float(days[-1] - days[0]) / 365.25
    first, last = float(values[0]), float(values[-1])
    cagr_value: float | None = None
    reason: str | None = None
    if first <= 0 or last <= 0:
        reason = "CAGR needs a positive first and last value."
    elif years <= 0:
        reason = "The series spans less than a day."
    else:
        exponent = math.log(last / first) / years
        if exponent > 700:  # exp overflows: a huge ratio over a very short span
            reason = "CAGR is too large to represent (very short span)."
        else:
            cagr_value = finite(math.expm1(exponent))
    total_change = {
        "absolute": last - first,
        "rate": finite(rates(np.array([last]), np.array([first]))[0]),
    }
    result = {
        "period_over_period": pop,
        "year_over_year": yoy,
        "yoy_reason": yoy_reason,
        "cagr": {
            "value": cagr_value,
            "years": years,
            "first_value": first,
            "last_value": last,
            "reason": reason,
        },
        "total_change": total_change,
    }
    return result, pop_series


def seasonality(
    decomposition: Decomposition, positions: IntArray, labels: list[str], values: FloatArray
) -> dict[str, Any]:
    """Strength ``max(0, 1 - Var(R) / Var(S + R))`` and mean seasonal index per position."""
    s, r = decomposition.seasonal, decomposition.resid
    denominator = float(np.var(s + r))
    ratio = float(np.var(r)) / denominator if denominator > 0 else math.nan
    strength = max(0.0, 1.0 - ratio) if math.isfinite(ratio) else 0.0
    level = float(np.mean(values))
    indices: list[dict[str, Any]] = []
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


def volatility(pop_series: FloatArray) -> dict[str, Any]:
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


def hhi_label(hhi: float) -> str:
    if hhi < 1500:
        return "unconcentrated"
    return "moderate" if hhi <= 2500 else "high"


def cross_category(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares of the total, rank, HHI and the fastest-growing category."""
    totals = np.array([r["summary"]["total"] for r in results], dtype=np.float64)
    names = [r["category"] for r in results]
    grand = float(np.sum(totals))
    order = sorted(range(len(names)), key=lambda k: (-totals[k], names[k]))
    rank = {k: position + 1 for position, k in enumerate(order)}
    reason: str | None = None
    if (totals < 0).any():
        reason = "Shares need non-negative totals; some categories sum to a negative value."
    elif grand <= 0:
        reason = "The grand total is 0."
    shares = totals / grand if reason is None else np.full(len(totals), np.nan)
    rows = [
        {
            "category": names[k],
            "total": float(totals[k]),
            "share": finite(shares[k]),
            "rank": rank[k],
        }
        for k in order
    ]
    hhi = float(np.sum((shares * 100.0) ** 2)) if reason is None else None
    ranking = []
    for r in results:
        cagr = r["growth"]["cagr"]["value"]
        ranking.append(
            {"category": r["category"], "cagr": cagr, "mean_growth": r["volatility"]["growth_mean"]}
        )
    fastest: dict[str, Any] | None = None
    with_cagr = [g for g in ranking if g["cagr"] is not None]
    with_mean = [g for g in ranking if g["mean_growth"] is not None]
    if with_cagr:
        best = max(with_cagr, key=lambda g: (g["cagr"], g["category"]))
        fastest = {"category": best["category"], "metric": "cagr", "value": best["cagr"]}
    elif with_mean:
        best = max(with_mean, key=lambda g: (g["mean_growth"], g["category"]))
        fastest = {
            "category": best["category"],
            "metric": "mean_growth",
            "value": best["mean_growth"],
        }

    def growth_key(g: dict[str, Any]) -> tuple[int, float, str]:
        metric = g["cagr"] if g["cagr"] is not None else g["mean_growth"]
        has = 0 if g["cagr"] is not None else (1 if metric is not None else 2)
        return (has, -(metric if metric is not None else 0.0), g["category"])

    return {
        "grand_total": grand,
        "shares": rows,
        "shares_reason": reason,
        "hhi": hhi,
        "hhi_label": hhi_label(hhi) if hhi is not None else None,
        "fastest_growing": fastest,
        "growth_ranking": sorted(ranking, key=growth_key),
    }
