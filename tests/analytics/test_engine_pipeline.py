"""The pipeline end to end: invariances, schema, cleaning report, quick analysis, errors."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pintar_ekspor.analytics.engine import (
    AnalysisParams,
    AnalysisResult,
    AnalyticsInputError,
    IngestOptions,
    QuickAnalysisResult,
    export_csv,
    parse_records,
    parse_upload,
    quick_analysis,
    run_analysis,
)


def long_records(seed: int = 11) -> list[dict[str, Any]]:
    """Three quarterly categories with a gap and an outlier; no duplicates."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2012-01-01", periods=40, freq="QS")
    records = []
    for k, name in enumerate(["Kopi", "Minyak Sawit", "Karet"]):
        t = np.arange(40)
        values = (200 + 50 * k) * (1 + 0.02 * t) + 30 * np.sin(np.pi * t / 2) + rng.normal(0, 5, 40)
        if k == 1:
            values[25] += 400
        for i, (ts, v) in enumerate(zip(dates, values, strict=True)):
            if k == 2 and i in (10, 11):
                continue  # a two-quarter gap
            records.append(
                {"date": f"{ts.year}-Q{ts.quarter}", "category": name, "value": round(float(v), 4)}
            )
    return records


def to_csv(records: list[dict[str, Any]]) -> bytes:
    lines = ["date,category,value"] + [
        f"{r['date']},{r['category']},{r['value']!r}" for r in records
    ]
    return "\n".join(lines).encode()


def without_input(result: dict[str, Any]) -> dict[str, Any]:
    """The result minus what describes the file itself (format, delimiter, row count)."""
    stripped = copy.deepcopy(result)
    stripped["meta"].pop("input")
    stripped["cleaning"].pop("rows_received")
    stripped["cleaning"].pop("reading")  # encoding, delimiter, layout: how the file was read
    assert stripped["cleaning"]["changes"][0].startswith("Received ")  # names the row count
    stripped["cleaning"]["changes"].pop(0)
    return stripped


PARAMS = AnalysisParams(include_forecast=True)


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return run_analysis(parse_upload(to_csv(long_records())), PARAMS)


def test_result_validates_against_the_schema_and_is_strict_json(reference: dict[str, Any]) -> None:
    model = AnalysisResult.model_validate(reference)
    assert model.meta.frequency == "Q"
    assert [c.category for c in model.categories] == ["Karet", "Kopi", "Minyak Sawit"]
    json.dumps(reference, allow_nan=False)  # raises on NaN or infinity


def test_shuffled_rows_give_identical_results(reference: dict[str, Any]) -> None:
    records = long_records()
    rng = np.random.default_rng(99)
    shuffled = [records[i] for i in rng.permutation(len(records))]
    result = run_analysis(parse_upload(to_csv(shuffled)), PARAMS)
    assert result == reference


def test_shuffled_duplicates_sum_identically() -> None:
    records = long_records()
    extra = [dict(r, value=r["value"] / 3 + 0.1) for r in records[:30]] + [
        dict(r, value=r["value"] / 7 + 0.3) for r in records[:30]
    ]
    data = records + extra
    a = run_analysis(parse_records(data))
    rng = np.random.default_rng(5)
    b = run_analysis(parse_records([data[i] for i in rng.permutation(len(data))]))
    assert a["cleaning"]["duplicates_merged"] == 60
    assert without_input(a) == without_input(b)


def test_wide_file_gives_identical_results(reference: dict[str, Any]) -> None:
    frame = pd.DataFrame(long_records()).pivot(index="date", columns="category", values="value")
    lines = ["periode," + ",".join(frame.columns)]
    for date, row in frame.iterrows():
        lines.append(date + "," + ",".join("" if pd.isna(v) else repr(float(v)) for v in row))
    wide = parse_upload("\n".join(lines).encode())
    assert wide.report.layout == "wide"
    assert without_input(run_analysis(wide, PARAMS)) == without_input(reference)


def test_json_upload_gives_identical_results(reference: dict[str, Any]) -> None:
    data = json.dumps({"data": long_records()}).encode()
    result = run_analysis(parse_upload(data, content_type="application/json"), PARAMS)
    assert result["meta"]["input"]["source"] == "json"
    assert without_input(result) == without_input(reference)


def test_cleaning_report_says_what_changed(reference: dict[str, Any]) -> None:
    cleaning = reference["cleaning"]
    assert cleaning["rows_received"] == 118
    assert cleaning["observations_used"] == 118
    assert cleaning["frequency_detected"] == "Q"
    assert cleaning["gaps_filled"] == 2
    karet = next(p for p in cleaning["per_category"] if p["category"] == "Karet")
    assert karet["filled_dates"] == ["2014-07-01", "2014-10-01"]
    sawit = next(p for p in cleaning["per_category"] if p["category"] == "Minyak Sawit")
    assert [o["date"] for o in sawit["outliers"]] == ["2018-04-01"]
    changes = " ".join(cleaning["changes"])
    assert "Filled 2 periods without data with zero" in changes
    assert "Detected quarterly frequency" in changes
    assert "Flagged 1 outlier;" in changes


def test_category_filter_at_analysis_time() -> None:
    dataset = parse_upload(to_csv(long_records()))
    result = run_analysis(dataset, AnalysisParams(category=["kopi"]))
    assert result["meta"]["categories"] == ["Kopi"]
    with pytest.raises(AnalyticsInputError) as caught:
        run_analysis(dataset, AnalysisParams(category=["Teh"]))
    assert caught.value.code == "unknown_category"


def test_short_categories_are_skipped_and_listed() -> None:
    records = [*long_records(), {"date": "2020-Q1", "category": "Teh", "value": 1.0}]
    result = run_analysis(parse_records(records))
    assert result["meta"]["skipped_categories"] == [
        {"category": "Teh", "reason": "fewer than 3 periods with data (1)", "observations": 1}
    ]
    assert "Teh" not in [c["category"] for c in result["categories"]]


@pytest.mark.parametrize(
    "records",
    [
        [{"date": "2024-01-01", "value": 5}],
        [{"date": "2024-01", "category": c, "value": 1} for c in "ABC"]
        + [{"date": "2024-02", "category": c, "value": 2} for c in "ABC"],
    ],
)
def test_not_enough_data(records: list[dict[str, Any]]) -> None:
    dataset = parse_records(records)
    with pytest.raises(AnalyticsInputError) as caught:
        run_analysis(dataset)
    assert caught.value.code == "not_enough_data"
    assert "at least 3" in caught.value.message


def test_quick_analysis_agrees_with_full_analysis(reference: dict[str, Any]) -> None:
    quick = quick_analysis(parse_upload(to_csv(long_records())))
    QuickAnalysisResult.model_validate(quick)
    assert quick["frequency"] == "Q"
    for row, full in zip(quick["categories"], reference["categories"], strict=True):
        assert row["category"] == full["category"]
        assert row["trend_slope"] == full["trend"]["ols"]["slope"]
        assert row["trend_direction"] == full["trend"]["direction"]
        assert row["pop_growth"] == full["growth"]["period_over_period"]["rate"]
        assert row["yoy_growth"] == full["growth"]["year_over_year"]["rate"]
        assert row["cagr"] == full["growth"]["cagr"]["value"]
        assert (row["last_value"], row["last_date"]) == (
            full["summary"]["last"],
            full["summary"]["last_date"],
        )


def test_chart_series_shape_and_thinning() -> None:
    s = pd.Series(
        np.arange(3000, dtype=float) + 10, index=pd.date_range("2010-01-01", periods=3000)
    )
    records = [{"date": d.strftime("%Y-%m-%d"), "value": float(v)} for d, v in s.items()]
    result = run_analysis(parse_records(records), AnalysisParams(chart_max_points=1000))
    chart = result["charts"]["categories"][0]
    assert chart["stride"] == 3
    assert len(chart["series"]) == 1001  # every third point plus the last
    assert chart["series"][-1]["ts"] == s.index[-1].strftime("%Y-%m-%d")
    assert set(chart["series"][0]) == {"ts", "value", "raw_value", "is_outlier", "is_filled"}
    assert chart["trend"][1]["value"] == pytest.approx(10 + 3.0)  # OLS line at t = 3
    assert result["categories"][0]["seasonality"]["method"] == "robust_moving"


def test_no_forecast_unless_asked() -> None:
    result = run_analysis(parse_upload(to_csv(long_records())))
    assert result["forecast"] is None
    assert all(c["forecast"] == [] for c in result["charts"]["categories"])


def attempt(dataset: Any) -> dict[str, Any] | AnalyticsInputError:
    try:
        return run_analysis(dataset)
    except AnalyticsInputError as exc:
        return exc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(
            st.just(0.0),
            st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
        ),
        min_size=3,
        max_size=60,
    ),
    freq=st.sampled_from(["D", "W-MON", "MS", "QS", "YS"]),
    gaps=st.sets(st.integers(min_value=1, max_value=58), max_size=10),
    duplicate=st.booleans(),
)
def test_any_series_gives_a_valid_strict_json_result(
    values: list[float], freq: str, gaps: set[int], duplicate: bool
) -> None:
    index = pd.date_range("2001-01-01", periods=len(values), freq=freq)
    records = [
        {"date": ts.strftime("%Y-%m-%d"), "category": "A", "value": v}
        for i, (ts, v) in enumerate(zip(index, values, strict=True))
        if i not in gaps or i == len(values) - 1
    ]
    if duplicate:
        records.append(dict(records[0]))
    outcome = attempt(parse_records(records))
    if isinstance(outcome, AnalyticsInputError):  # gaps left too few periods
        assert outcome.code == "not_enough_data"
        return
    result = outcome
    AnalysisResult.model_validate(result)
    json.dumps(result, allow_nan=False)
    assert export_csv(result).startswith("# summary")


def test_crlf_quoted_names_and_huge_values() -> None:
    data = (
        b'tanggal,komoditas,nilai\r\n2024-01,"Kopi, Arabika",1\r\n2024-02,"Kopi, Arabika",1e300\r\n'
        b'2024-03,"Kopi, Arabika",3\r\n2024-04,"Kopi, Arabika",4\r\n'
    )
    dataset = parse_upload(data, options=IngestOptions(max_bad_share=1.0))
    assert dataset.categories == ["Kopi, Arabika"]
    assert [(b.row, b.reason) for b in dataset.report.bad_rows.first] == [(2, "non_numeric_value")]
    result = run_analysis(dataset)
    assert result["cleaning"]["gaps_filled"] == 1


def test_too_many_periods_is_refused() -> None:
    records = [
        {"date": "1900-01-01", "value": 1.0},
        {"date": "1900-01-02", "value": 1.0},
        {"date": "2020-01-01", "value": 2.0},
    ]
    with pytest.raises(AnalyticsInputError) as caught:
        run_analysis(
            parse_records(records), AnalysisParams(frequency="D", max_periods_per_category=10_000)
        )
    assert (caught.value.code, caught.value.status) == ("too_many_rows", 413)
