"""Trade-data definitions against hand-computed answers (README: "Trade definitions")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from pintar_ekspor.analytics.engine import (
    AnalysisParams,
    AnalyticsInputError,
    IngestOptions,
    parse_records,
    run_analysis,
)
from pintar_ekspor.analytics.engine.cleaning import decompose, flag_outliers, season_positions
from pintar_ekspor.analytics.engine.pipeline import prepare


def records_of(series: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    return [
        {"tanggal": date, "komoditas": name, "nilai": value}
        for name, points in series.items()
        for date, value in points.items()
    ]


def months(start: str, values: list[float]) -> dict[str, float]:
    index = pd.date_range(start, periods=len(values), freq="MS")
    return {ts.strftime("%Y-%m"): float(v) for ts, v in zip(index, values, strict=True)}


def analyse(series: dict[str, dict[str, float]], **params: Any) -> dict[str, Any]:
    return run_analysis(parse_records(records_of(series)), AnalysisParams(**params))


def by_name(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in result["categories"] if c["category"] == name)


def test_intermittent_flow_gaps_are_zero_and_stay_monthly() -> None:
    # shipments in 9 of 24 months: the missing months shipped nothing
    shipped = {0: 100.0, 1: 40.0, 4: 70.0, 7: 30.0, 9: 55.0, 13: 80.0, 17: 20.0, 20: 65.0, 23: 90.0}
    points = {
        ts.strftime("%Y-%m"): shipped[k]
        for k, ts in enumerate(pd.date_range("2022-01", periods=24, freq="MS"))
        if k in shipped
    }
    result = analyse({"Vanili": points})
    assert result["meta"]["frequency"] == "M"
    summary = by_name(result, "Vanili")["summary"]
    assert summary["total"] == sum(shipped.values())  # nothing invented
    assert summary["count"] == 24
    assert summary["mean"] == pytest.approx(sum(shipped.values()) / 24)
    values = [p["value"] for p in result["charts"]["categories"][0]["series"]]
    assert values == [shipped.get(k, 0.0) for k in range(24)]
    assert result["cleaning"]["gaps_filled"] == 15
    interpolated = analyse({"Vanili": points}, gap_fill="interpolate")
    between = [p["value"] for p in interpolated["charts"]["categories"][0]["series"]][2]
    assert between == pytest.approx(40 + (70 - 40) * 28 / 89)  # linear in days (stock-like)


def test_coarser_category_is_aggregated_not_padded() -> None:
    monthly = months("2022-01", [10.0] * 24)
    quarterly = {f"{2022 + q // 4}-{3 * (q % 4) + 1:02d}": 300.0 for q in range(8)}
    result = analyse({"Kopi": monthly, "Teh": quarterly})
    assert result["meta"]["frequency"] == "Q"
    assert result["cleaning"]["mixed_frequency"] == {"Teh": "Q"}
    assert any("aggregated to quarterly" in w for w in result["cleaning"]["warnings"])
    kopi = [p["value"] for p in result["charts"]["categories"][0]["series"]]
    teh = [p["value"] for p in result["charts"]["categories"][1]["series"]]
    assert kopi == [30.0] * 8  # three months summed per quarter
    assert teh == [300.0] * 8  # never 300, 0, 0, 300 … and never interpolated
    assert by_name(result, "Teh")["summary"]["total"] == 2400.0
    with pytest.raises(AnalyticsInputError) as caught:
        analyse({"Kopi": monthly, "Teh": quarterly}, mixed_frequency="refuse")
    assert caught.value.code == "mixed_frequency"
    assert "'Teh' (quarterly)" in caught.value.message


def test_cagr_uses_whole_year_totals_and_refuses_part_years() -> None:
    season = np.array([0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7])
    t = np.arange(48)
    growing = 1000 * 1.10 ** (t / 12) * np.tile(season, 4)  # a true 10 % a year
    got = by_name(analyse({"A": months("2020-01", list(growing))}), "A")["growth"]["cagr"]
    assert got["value"] == pytest.approx(0.10, abs=1e-9)
    assert got["years"] == 3
    assert (got["first_date"], got["last_date"]) == ("2020-01-01", "2023-01-01")
    flat = 1000 * np.tile(season, 3)  # seasonal but not growing: first→last points say -12.5 %
    got = by_name(analyse({"A": months("2021-01", list(flat))}), "A")["growth"]["cagr"]
    assert got["value"] == pytest.approx(0.0, abs=1e-12)
    for n in (6, 18, 23):  # part of a year is never annualised
        got = by_name(analyse({"A": months("2023-01", list(100.0 + np.arange(n)))}), "A")
        assert got["growth"]["cagr"]["value"] is None
        assert "two whole years" in got["growth"]["cagr"]["reason"]
    # 30 months: the oldest whole year is months 6-17, the latest 18-29 (trailing)
    values = list(100.0 + np.arange(30))
    got = by_name(analyse({"A": months("2021-01", values)}), "A")["growth"]["cagr"]
    assert got["first_value"] == sum(values[6:18])
    assert got["last_value"] == sum(values[18:30])
    assert got["value"] == pytest.approx(sum(values[18:30]) / sum(values[6:18]) - 1)


def test_year_over_year_is_the_trailing_twelve_months() -> None:
    values = [float(v) for v in range(1, 31)]
    got = by_name(analyse({"A": months("2022-01", values)}), "A")["growth"]
    yoy = got["year_over_year"]
    assert (yoy["value"], yoy["base_value"]) == (sum(values[18:30]), sum(values[6:18]))
    assert yoy["rate"] == pytest.approx(sum(values[18:30]) / sum(values[6:18]) - 1)
    assert (yoy["date"], yoy["end_date"]) == ("2023-07-01", "2024-06-01")
    assert (yoy["base_date"], yoy["base_end_date"]) == ("2022-07-01", "2023-06-01")
    pop = got["period_over_period"]
    assert pop["rate"] == pytest.approx(30 / 29 - 1)  # like periods: one month each
    short = by_name(analyse({"A": months("2022-01", values[:23])}), "A")["growth"]
    assert short["year_over_year"] is None
    assert "two whole years" in short["yoy_reason"]


def test_shares_and_fastest_growing_use_the_common_span() -> None:
    a = months("2020-01", [100.0] * 12 + [100.0] * 12 + [110.0] * 12)  # 2020-2022
    b = months("2021-01", [50.0] * 12 + [75.0] * 12)  # 2021-2022 only
    cross = analyse({"A": a, "B": b})["cross_category"]
    assert cross["common_span"] == {"start": "2021-01-01", "end": "2022-12-01", "periods": 24}
    shares = {r["category"]: r for r in cross["shares"]}
    total_a, total_b = 100.0 * 12 + 110.0 * 12, 50.0 * 12 + 75.0 * 12
    assert shares["A"]["total"] == total_a
    assert shares["A"]["full_total"] == total_a + 1200.0
    assert shares["A"]["share"] == pytest.approx(total_a / (total_a + total_b))
    assert shares["B"]["share"] == pytest.approx(total_b / (total_a + total_b))
    # on the common span A grew 10 % and B 50 %; A's own longer span does not matter
    assert cross["fastest_growing"] == {"category": "B", "metric": "cagr", "value": 0.5}
    ranking = {g["category"]: g["cagr"] for g in cross["growth_ranking"]}
    assert ranking["A"] == pytest.approx(0.10)


def test_no_fastest_growing_without_two_common_years() -> None:
    a = months("2020-01", [100.0] * 30)
    b = months("2021-09", [50.0 + k for k in range(12)])
    cross = analyse({"A": a, "B": b})["cross_category"]
    assert cross["fastest_growing"] is None
    assert "two whole years" in cross["fastest_growing_reason"]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("sum", 10.0 + 4.0 + 6.0), ("mean", 5.0 + 4.0 + 6.0), ("last", 4.0 + 4.0 + 6.0)],
)
def test_duplicate_rows_follow_the_policy(policy: str, expected: float) -> None:
    records = [
        {"tanggal": "2024-01", "komoditas": "Kopi", "nilai": 6.0},
        {"tanggal": "2024-01", "komoditas": "Kopi", "nilai": 4.0},  # another shipment
        {"tanggal": "2024-02", "komoditas": "Kopi", "nilai": 4.0},
        {"tanggal": "2024-02", "komoditas": "Kopi", "nilai": 4.0},  # exact copy: counted once
        {"tanggal": "2024-03", "komoditas": "Kopi", "nilai": 6.0},
    ]
    dataset = parse_records(records, IngestOptions(duplicates=policy))  # type: ignore[arg-type]
    assert dataset.report.exact_duplicates == 1
    assert dataset.report.duplicates_combined == 1
    result = run_analysis(dataset)
    assert result["categories"][0]["summary"]["total"] == expected
    per = result["cleaning"]["per_category"][0]
    assert (per["exact_duplicates"], per["duplicates_merged"]) == (1, 1)
    assert per["duplicate_dates"] == ["2024-01-01"]
    changes = " ".join(result["cleaning"]["changes"])
    assert (
        "1 row were exact copies" in changes or "1 row was" in changes or "exact copies" in changes
    )
    assert f"duplicates={policy}" in changes


def test_duplicate_rows_can_be_refused() -> None:
    records = [
        {"tanggal": "2024-01", "nilai": 6.0},
        {"tanggal": "2024-01", "nilai": 4.0},
        {"tanggal": "2024-02", "nilai": 1.0},
    ]
    with pytest.raises(AnalyticsInputError) as caught:
        parse_records(records, IngestOptions(duplicates="reject"))
    assert caught.value.code == "duplicate_rows"
    assert caught.value.details["rows"] == [1, 2]


def seasonal_series(n: int = 96, seed: int = 5) -> np.ndarray[Any, np.dtype[np.float64]]:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 1000 + 2 * t + 200 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 40, n)


def test_one_spike_does_not_erase_seasonal_strength() -> None:
    clean = seasonal_series()
    spiked = clean.copy()
    spiked[50] += 5000  # one export order twenty times the usual size
    strength = {}
    for name, values in (("clean", clean), ("spiked", spiked)):
        result = analyse({"A": months("2015-01", list(values))})
        strength[name] = result["categories"][0]["seasonality"]["strength"]
    assert strength["clean"] > 0.85
    assert strength["spiked"] == pytest.approx(strength["clean"], abs=0.03)


def test_forecast_input_is_the_outlier_treated_series() -> None:
    values = seasonal_series()
    values[50] += 5000
    dataset = parse_records(records_of({"A": months("2015-01", list(values))}))
    params = AnalysisParams()
    series = next(prepare(dataset, params).reg.series())
    positions, _ = season_positions(series.periods, series.days, series.freq)
    series.decomposition = decompose(series.value, positions, 12)
    flag_outliers(series, replace=False)
    assert np.flatnonzero(series.outlier).tolist() == [50]
    assert series.value[50] == values[50]  # raw value kept for the statistics
    assert series.treated[50] == pytest.approx(series.expected[50])
    assert abs(series.treated[50] - (values[50] - 5000)) < 200
    assert np.array_equal(np.delete(series.treated, 50), np.delete(values, 50))


def test_cleaning_report_names_every_policy() -> None:
    points = months("2022-01", [5.0, 6.0, 7.0, 8.0])
    del points["2022-02"]
    result = analyse({"A": points})
    text = " ".join(result["cleaning"]["changes"])
    assert "Filled 1 period without data with zero" in text
    assert "gap_fill=zero" in text
    assert result["cleaning"]["gap_fill"] == "zero"
