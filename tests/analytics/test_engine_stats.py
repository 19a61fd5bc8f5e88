"""Every reported number agrees with an independent pandas / scipy / statsmodels computation."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.tsa.seasonal import STL

from pintar_ekspor.analytics.engine import AnalysisParams, parse_records, run_analysis
from pintar_ekspor.analytics.engine.stats import mann_kendall, theil_sen

REL = 1e-6


def monthly(n: int = 60, seed: int = 7, start: str = "2015-01-01") -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 500 + 4.0 * t + 60 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 8, n)
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="MS"))


def analyse(series: dict[str, pd.Series], **params: Any) -> dict[str, Any]:
    records = [
        {"date": ts.strftime("%Y-%m-%d"), "category": name, "value": float(v)}
        for name, s in series.items()
        for ts, v in s.items()
    ]
    return run_analysis(parse_records(records), AnalysisParams(**params))


def category(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in result["categories"] if c["category"] == name)


def test_summary_matches_pandas() -> None:
    s = monthly()
    got = category(analyse({"A": s}), "A")["summary"]
    assert got["count"] == len(s)
    assert got["mean"] == pytest.approx(s.mean(), rel=REL)
    assert got["median"] == pytest.approx(s.median(), rel=REL)
    assert got["std"] == pytest.approx(s.std(), rel=REL)
    assert got["total"] == pytest.approx(s.sum(), rel=REL)
    assert (got["min"], got["min_date"]) == (s.min(), s.idxmin().strftime("%Y-%m-%d"))
    assert (got["max"], got["max_date"]) == (s.max(), s.idxmax().strftime("%Y-%m-%d"))
    assert (got["last"], got["last_date"]) == (s.iloc[-1], "2019-12-01")


def test_growth_matches_pandas() -> None:
    s = monthly()
    got = category(analyse({"A": s}), "A")["growth"]
    assert got["period_over_period"]["rate"] == pytest.approx(s.pct_change().iloc[-1], rel=REL)
    # year over year: the last 12 months against the 12 before (trailing-year totals)
    yearly = s.rolling(12).sum()
    assert got["year_over_year"]["rate"] == pytest.approx(
        yearly.iloc[-1] / yearly.iloc[-13] - 1, rel=REL
    )
    assert got["year_over_year"]["date"] == "2019-01-01"
    assert got["year_over_year"]["base_date"] == "2018-01-01"
    # CAGR: 60 months are five whole years; oldest and latest yearly totals, four years apart
    assert got["cagr"]["years"] == 4
    expected_cagr = (s.iloc[48:].sum() / s.iloc[:12].sum()) ** (1 / 4) - 1
    assert got["cagr"]["value"] == pytest.approx(expected_cagr, rel=REL)
    assert got["total_change"]["absolute"] == pytest.approx(s.iloc[-1] - s.iloc[0], rel=REL)
    assert got["total_change"]["rate"] == pytest.approx(s.iloc[-1] / s.iloc[0] - 1, rel=REL)


def test_cagr_is_null_with_a_reason_for_non_positive_ends() -> None:
    s = monthly() - 600  # starts negative
    got = category(analyse({"A": s}), "A")["growth"]["cagr"]
    assert got["value"] is None
    assert "positive" in got["reason"]


def test_negative_base_growth_keeps_its_sign() -> None:
    s = pd.Series([-100.0, -50.0, -25.0], index=pd.date_range("2020", periods=3, freq="YS"))
    got = category(analyse({"balance": s}), "balance")["growth"]["period_over_period"]
    assert got["rate"] == pytest.approx(0.5)  # -50 → -25 is an improvement of 50 %


def test_daily_year_over_year_compares_the_last_365_days_with_the_365_before() -> None:
    s = pd.Series(np.arange(800, dtype=float) + 100, index=pd.date_range("2023-01-01", periods=800))
    got = category(analyse({"A": s}), "A")["growth"]["year_over_year"]
    assert got["periods"] == 365
    assert got["value"] == pytest.approx(s.iloc[-365:].sum(), rel=REL)
    assert got["base_value"] == pytest.approx(s.iloc[-730:-365].sum(), rel=REL)
    assert got["base_date"] == s.index[-730].strftime("%Y-%m-%d")


def test_ols_trend_matches_statsmodels_ols() -> None:
    s = monthly()
    got = category(analyse({"A": s}), "A")["trend"]
    fit = sm.OLS(s.to_numpy(), sm.add_constant(np.arange(len(s), dtype=float))).fit()
    assert got["ols"]["slope"] == pytest.approx(fit.params[1], rel=REL)
    assert got["ols"]["intercept"] == pytest.approx(fit.params[0], rel=REL)
    assert got["ols"]["r_squared"] == pytest.approx(fit.rsquared, rel=REL)
    assert got["ols"]["p_value"] == pytest.approx(fit.pvalues[1], rel=1e-4, abs=1e-300)
    assert got["ols"]["stderr"] == pytest.approx(fit.bse[1], rel=REL)
    assert got["direction"] == "up"
    assert got["slope_unit"] == "per month"


def test_flat_noise_has_flat_direction() -> None:
    rng = np.random.default_rng(1)
    s = pd.Series(rng.normal(100, 5, 40), index=pd.date_range("2000", periods=40, freq="QS"))
    got = category(analyse({"A": s}), "A")["trend"]
    p_value = sps.linregress(np.arange(40), s.to_numpy()).pvalue
    assert p_value > 0.05
    assert got["direction"] == "flat"


def test_theil_sen_matches_scipy() -> None:
    s = monthly(n=120)
    got = category(analyse({"A": s}), "A")["trend"]["theil_sen"]
    ref = sps.theilslopes(s.to_numpy(), np.arange(120, dtype=float))
    assert got["slope"] == pytest.approx(ref.slope, rel=REL)
    assert got["intercept"] == pytest.approx(ref.intercept, rel=REL)
    assert got["slope_low95"] == pytest.approx(ref.low_slope, rel=REL)
    assert got["slope_high95"] == pytest.approx(ref.high_slope, rel=REL)
    assert got["points_used"] == 120


@pytest.mark.parametrize("n", [3, 4, 17, 50])
def test_theil_sen_with_ties_matches_scipy(n: int) -> None:
    y = np.round(np.random.default_rng(n).normal(0, 2, n))  # many ties
    got = theil_sen(y, max_points=1000)
    ref = sps.theilslopes(y, np.arange(n, dtype=float))
    assert got["slope"] == pytest.approx(ref.slope, rel=REL, abs=1e-12)
    assert got["slope_low95"] == pytest.approx(ref.low_slope, rel=REL, abs=1e-12)
    assert got["slope_high95"] == pytest.approx(ref.high_slope, rel=REL, abs=1e-12)


def test_theil_sen_subsample_matches_scipy_on_the_same_points() -> None:
    y = np.random.default_rng(5).normal(0, 1, 2000).cumsum()
    got = theil_sen(y, max_points=300)
    pick = np.unique(np.linspace(0, 1999, 300).round().astype(int))
    ref = sps.theilslopes(y[pick], pick.astype(float))
    assert got["points_used"] == 300
    assert got["slope"] == pytest.approx(ref.slope, rel=REL)
    assert got["intercept"] == pytest.approx(ref.intercept, rel=REL)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mann_kendall_matches_brute_force_with_ties(seed: int) -> None:
    y = np.round(np.random.default_rng(seed).normal(0, 3, 45).cumsum() / 4)
    n = len(y)
    s = sum(np.sign(y[j] - y[i]) for i, j in itertools.combinations(range(n), 2))
    _, counts = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts)) / 18
    z = (s - np.sign(s)) / math.sqrt(var) if s else 0.0
    got = mann_kendall(y)
    assert got["s"] == s
    assert got["var_s"] == pytest.approx(var, rel=REL)
    assert got["z"] == pytest.approx(z, rel=REL)
    assert got["p_value"] == pytest.approx(2 * sps.norm.sf(abs(z)), rel=REL)
    assert got["tau"] == pytest.approx(s / (n * (n - 1) / 2), rel=REL)


def test_seasonality_agrees_with_statsmodels_stl() -> None:
    """The robust moving decomposition finds what robust STL finds on a clean series."""
    s = monthly(n=72)
    got = category(analyse({"A": s}), "A")["seasonality"]
    fit = STL(s.to_numpy(), period=12, robust=True).fit()
    strength = max(0.0, 1 - np.var(fit.resid) / np.var(fit.seasonal + fit.resid))
    assert got["method"] == "robust_moving"
    assert got["strength"] == pytest.approx(strength, abs=0.03)
    by_month = pd.Series(fit.seasonal, index=s.index).groupby(s.index.month).mean()
    assert [i["index"] for i in got["indices"]] == pytest.approx(by_month.tolist(), abs=10.0)
    ratios = [(s.mean() + i["index"]) / s.mean() for i in got["indices"]]
    assert [i["ratio"] for i in got["indices"]] == pytest.approx(ratios, rel=REL)
    assert got["peak"] == "Apr"  # sin peaks a quarter into the cycle
    assert got["trough"] == "Oct"


def test_seasonality_needs_two_cycles() -> None:
    got = category(analyse({"A": monthly(n=23)}), "A")
    assert got["seasonality"] is None
    assert "two full cycles" in got["seasonality_reason"]


def test_volatility_matches_pandas() -> None:
    s = monthly()
    got = category(analyse({"A": s}), "A")["volatility"]
    rates = s.pct_change().dropna()
    assert got["growth_std"] == pytest.approx(rates.std(), rel=REL)
    assert got["growth_cv"] == pytest.approx(rates.std() / abs(rates.mean()), rel=REL)
    assert got["rates"] == len(s) - 1


def test_cross_category_shares_hhi_and_fastest() -> None:
    a, b, c = monthly(seed=1), monthly(seed=2) * 3, monthly(seed=3) * np.linspace(1, 3, 60)
    result = analyse({"A": a, "B": b, "C": c})
    cross = result["cross_category"]
    totals = pd.Series({"A": a.sum(), "B": b.sum(), "C": c.sum()})
    shares = totals / totals.sum()
    assert [r["category"] for r in cross["shares"]] == list(
        totals.sort_values(ascending=False).index
    )
    for row in cross["shares"]:
        assert row["share"] == pytest.approx(shares[row["category"]], rel=REL)
    assert cross["hhi"] == pytest.approx(((shares * 100) ** 2).sum(), rel=REL)
    assert cross["hhi_label"] == "high"  # three categories: HHI ≥ 3333
    assert cross["fastest_growing"]["category"] == "C"
    assert cross["fastest_growing"]["metric"] == "cagr"


def test_gap_filling_matches_pandas_time_interpolation() -> None:
    s = monthly(n=36)
    holes = s.drop(s.index[[5, 6, 7, 20]])
    result = analyse({"A": holes}, gap_fill="interpolate")
    expected = holes.reindex(s.index).interpolate(method="time")
    chart = result["charts"]["categories"][0]["series"]
    assert [p["value"] for p in chart] == pytest.approx(expected.tolist(), rel=REL)
    assert [p["is_filled"] for p in chart].count(True) == 4
    assert [p["raw_value"] is None for p in chart].count(True) == 4
    cleaning = result["cleaning"]["per_category"][0]
    assert cleaning["gaps_filled"] == 4
    assert cleaning["filled_dates"] == ["2015-06-01", "2015-07-01", "2015-08-01", "2016-09-01"]


def test_duplicates_are_summed_and_reported() -> None:
    records = [
        {"date": "2024-01", "value": 1.0},
        {"date": "2024-02", "value": 2.0},
        {"date": "2024-02", "value": 3.5},
        {"date": "2024-03", "value": 4.0},
    ]
    result = run_analysis(parse_records(records))
    assert result["categories"][0]["summary"]["total"] == pytest.approx(10.5)
    assert [p["value"] for p in result["charts"]["categories"][0]["series"]] == [1.0, 5.5, 4.0]
    cleaning = result["cleaning"]
    assert cleaning["duplicates_merged"] == 1
    assert cleaning["per_category"][0]["duplicate_dates"] == ["2024-02-01"]


@pytest.mark.parametrize(
    ("freq", "expected", "period"),
    [("D", "D", 7), ("W-MON", "W", 52), ("MS", "M", 12), ("QS", "Q", 4), ("YS", "Y", None)],
)
def test_frequency_detection(freq: str, expected: str, period: int | None) -> None:
    index = pd.date_range("2001-01-01", periods=30, freq=freq)
    s = pd.Series(np.arange(30, dtype=float) + 1, index=index)
    result = analyse({"A": s})
    assert result["meta"]["frequency"] == expected
    assert result["meta"]["seasonal_period"] == period
    assert result["cleaning"]["frequency_confidence"] == 1.0


def test_requested_coarser_frequency_sums_into_periods() -> None:
    s = pd.Series(1.0, index=pd.date_range("2024-01-01", "2024-06-30", freq="D"))
    result = analyse({"A": s}, frequency="M")
    values = [p["value"] for p in result["charts"]["categories"][0]["series"]]
    assert values == [31.0, 29.0, 31.0, 30.0, 31.0, 30.0]
    assert result["cleaning"]["aggregated_into_periods"] == len(s) - 6


def test_outlier_is_flagged_kept_or_replaced() -> None:
    s = monthly(n=60)
    spiked = s.copy()
    spiked.iloc[30] += 400
    kept = analyse({"A": spiked})
    flags = [p["is_outlier"] for p in kept["charts"]["categories"][0]["series"]]
    assert flags.index(True) == 30
    assert flags.count(True) == 1
    info = kept["cleaning"]["per_category"][0]["outliers"][0]
    assert info["date"] == "2017-07-01"
    assert info["raw_value"] == pytest.approx(spiked.iloc[30])
    assert abs(info["expected_value"] - s.iloc[30]) < 60  # close to the clean value
    assert kept["categories"][0]["summary"]["total"] == pytest.approx(spiked.sum(), rel=REL)
    replaced = analyse({"A": spiked}, outlier_treatment="replace")
    point = replaced["charts"]["categories"][0]["series"][30]
    assert point["value"] == pytest.approx(info["expected_value"], rel=REL)
    assert point["raw_value"] == pytest.approx(spiked.iloc[30])
    assert "replaced" in " ".join(replaced["cleaning"]["changes"])


def test_clean_series_has_no_outliers() -> None:
    result = analyse({"A": monthly(n=96)})
    assert result["cleaning"]["outliers_flagged"] == 0
