"""CSV / JSON exports and rendered charts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pintar_ekspor.analytics.engine import (
    AnalysisParams,
    AnalyticsInputError,
    export_csv,
    export_json,
    parse_records,
    render_chart,
    run_analysis,
)

DANGEROUS = "=cmd|' /C calc'!A0"


def sample_result(include_forecast: bool = True, negative: bool = True) -> dict[str, Any]:
    rng = np.random.default_rng(2)
    index = pd.date_range("2016-01-01", periods=48, freq="MS")
    records = []
    for name, level in ((DANGEROUS, 100.0), ("Kopi Arabika", 300.0), ("-neraca", -50.0)):
        if not negative:
            level = abs(level) + 100
        t = np.arange(48)
        values = level + 2 * t + 20 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 3, 48)
        records += [
            {"tanggal": ts.strftime("%Y-%m"), "komoditas": name, "nilai": float(v)}
            for ts, v in zip(index, values, strict=True)
        ]
    params = AnalysisParams(include_forecast=include_forecast, horizon=6)
    return run_analysis(parse_records(records), params)


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return sample_result()


_POSITIVE: list[dict[str, Any]] = []


def positive_result() -> dict[str, Any]:
    if not _POSITIVE:
        _POSITIVE.append(sample_result(negative=False))
    return _POSITIVE[0]


def sections(text: str) -> dict[str, list[list[str]]]:
    parsed: dict[str, list[list[str]]] = {}
    for block in text.split("\n\n"):
        first, _, body = block.partition("\n")
        assert first.startswith("# "), first
        parsed[first[2:]] = list(csv.reader(io.StringIO(body)))
    return parsed


def test_csv_has_one_section_per_table(result: dict[str, Any]) -> None:
    text = export_csv(result)
    assert text.startswith("# summary\n")
    parsed = sections(text)
    assert list(parsed) == [
        "summary",
        "trend",
        "growth",
        "seasonality",
        "forecast",
        "forecast evaluation",
        "cleaning report",
        "changes",
        "bad rows",
        "outliers",
        "cross-category",
    ]
    assert parsed["summary"][0][:3] == ["category", "count", "observed"]
    assert len(parsed["summary"]) == 4  # header + three categories
    assert len(parsed["forecast"]) == 1 + 3 * 6
    assert len(parsed["seasonality"]) == 1 + 3 * 12


def test_csv_neutralises_formula_text_but_keeps_numbers(result: dict[str, Any]) -> None:
    parsed = sections(export_csv(result))
    names = [row[0] for row in parsed["summary"][1:]]
    assert "'" + DANGEROUS in names
    assert DANGEROUS not in names
    assert "'-neraca" in names
    neraca = next(row for row in parsed["summary"][1:] if row[0] == "'-neraca")
    header = parsed["summary"][0]
    mean = neraca[header.index("mean")]
    assert mean.startswith("-")  # a negative number stays a number
    assert float(mean) == pytest.approx(
        next(c for c in result["categories"] if c["category"] == "-neraca")["summary"]["mean"]
    )
    for rows in parsed.values():
        for row in rows:
            for value in row:
                if value[:1] in ("=", "+", "@", "\t", "\r"):
                    pytest.fail(f"unneutralised cell {value!r}")
                if value.startswith("-"):
                    float(value)  # only numbers may start with a minus


def test_neutralise_every_dangerous_prefix() -> None:
    from pintar_ekspor.analytics.engine.export import cell

    for text in ("=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert cell(text) == "'" + text
    assert cell(-1.5) == "-1.5"
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell("Kopi") == "Kopi"


def test_export_json_round_trips(result: dict[str, Any]) -> None:
    data = export_json(result)
    assert isinstance(data, bytes)
    assert json.loads(data) == result
    assert b"NaN" not in data


@pytest.mark.parametrize(
    "name",
    ["series", "forecast", "forecast-kopi-arabika", "seasonality", "seasonality-neraca", "shares"],
)
def test_charts_render_as_svg_and_png(name: str) -> None:
    result = positive_result()
    svg = render_chart(result, name, "svg")
    assert svg.lstrip().startswith(b"<?xml")
    assert b"<svg" in svg
    assert svg == render_chart(result, name, "svg")  # deterministic
    png = render_chart(result, name, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5000


def test_shares_chart_refuses_negative_totals(result: dict[str, Any]) -> None:
    # the "-neraca" category sums to a negative total, so shares are undefined
    assert result["cross_category"]["shares_reason"]
    with pytest.raises(AnalyticsInputError) as caught:
        render_chart(result, "shares", "svg")
    assert caught.value.code == "unknown_chart"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("pie", "svg"), ("series", "gif"), ("forecast-teh", "svg"), ("shares-x", "png")],
)
def test_unknown_chart(result: dict[str, Any], name: str, fmt: str) -> None:
    with pytest.raises(AnalyticsInputError) as caught:
        render_chart(result, name, fmt)
    assert caught.value.code == "unknown_chart"
    assert caught.value.status == 404


def test_forecast_chart_needs_a_forecast() -> None:
    with pytest.raises(AnalyticsInputError) as caught:
        render_chart(sample_result(include_forecast=False), "forecast", "svg")
    assert "include_forecast" in caught.value.message
