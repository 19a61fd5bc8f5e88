"""CSV and JSON exports of an analysis result.

The CSV holds one table per section; each section starts with a ``# <section name>`` line,
then a header row, then data rows, and sections are separated by one blank line.

Spreadsheet formula injection: every *text* cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading single quote (``'=cmd`` is shown, not run).
Numbers are written as numbers (shortest round-trip form), so a negative value stays ``-12.5``
and remains numeric in a spreadsheet; only text (category names, labels, messages) is
neutralised. Missing values are empty cells; booleans are ``true``/``false``.

The result is read through its TypedDicts (:mod:`.result_types`, generated from the schema),
so mypy checks every key read here against the published shape.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from .result_types import (
    AnalysisResultDict,
    CategoryResultDict,
    CleaningReportDict,
    CrossCategoryDict,
    ForecastResultDict,
)

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Section = tuple[str, list[str], Iterable[list[Any]]]


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def cell(value: Any) -> str:
    """One CSV cell: numbers as numbers, text neutralised, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return neutralise(str(value))


def _summary_row(c: CategoryResultDict) -> list[Any]:
    s = c["summary"]
    return [
        c["category"],
        s["count"],
        s["observed"],
        s["mean"],
        s["median"],
        s["std"],
        s["min"],
        s["min_date"],
        s["max"],
        s["max_date"],
        s["first"],
        s["first_date"],
        s["last"],
        s["last_date"],
        s["total"],
    ]


def _trend_row(c: CategoryResultDict) -> list[Any]:
    trend = c["trend"]
    ols, theil_sen, mk = trend["ols"], trend["theil_sen"], trend["mann_kendall"]
    return [
        c["category"],
        trend["slope_unit"],
        trend["direction"],
        ols["slope"],
        ols["intercept"],
        ols["r_squared"],
        ols["p_value"],
        theil_sen["slope"],
        theil_sen["slope_low95"],
        theil_sen["slope_high95"],
        mk["s"],
        mk["z"],
        mk["p_value"],
        mk["tau"],
        mk["direction"],
    ]


def _growth_row(c: CategoryResultDict) -> list[Any]:
    growth, volatility = c["growth"], c["volatility"]
    pop, yoy, cagr = growth["period_over_period"], growth["year_over_year"], growth["cagr"]
    return [
        c["category"],
        pop["date"],
        pop["change"],
        pop["rate"],
        yoy["base_date"] if yoy else None,
        yoy["value"] if yoy else None,
        yoy["base_value"] if yoy else None,
        yoy["rate"] if yoy else None,
        cagr["value"],
        cagr["years"],
        cagr["first_value"],
        cagr["last_value"],
        cagr["reason"],
        growth["total_change"]["absolute"],
        growth["total_change"]["rate"],
        volatility["growth_mean"],
        volatility["growth_std"],
        volatility["growth_cv"],
    ]


def _seasonality_rows(categories: list[CategoryResultDict]) -> Iterable[list[Any]]:
    for c in categories:
        seasonality = c.get("seasonality")
        if not seasonality:
            continue
        for i in seasonality["indices"]:
            role = (
                "peak"
                if i["label"] == seasonality["peak"]
                else "trough"
                if i["label"] == seasonality["trough"]
                else ""
            )
            yield [
                c["category"],
                seasonality["method"],
                seasonality["strength"],
                i["position"],
                i["label"],
                i["index"],
                i["ratio"],
                role,
            ]


def _sections(result: AnalysisResultDict) -> list[Section]:
    categories: list[CategoryResultDict] = list(result.get("categories") or [])
    summary_cols = [
        "count",
        "observed",
        "mean",
        "median",
        "std",
        "min",
        "min_date",
        "max",
        "max_date",
        "first",
        "first_date",
        "last",
        "last_date",
        "total",
    ]
    sections: list[Section] = [
        (
            "summary",
            ["category", *summary_cols],
            (_summary_row(c) for c in categories),
        ),
        (
            "trend",
            [
                "category",
                "slope_unit",
                "direction",
                "ols_slope",
                "ols_intercept",
                "r_squared",
                "p_value",
                "theil_sen_slope",
                "theil_sen_low95",
                "theil_sen_high95",
                "mann_kendall_s",
                "mann_kendall_z",
                "mann_kendall_p",
                "mann_kendall_tau",
                "mann_kendall_direction",
            ],
            (_trend_row(c) for c in categories),
        ),
        (
            "growth",
            [
                "category",
                "last_date",
                "pop_change",
                "pop_rate",
                "yoy_base_date",
                "yoy_value",
                "yoy_base_value",
                "yoy_rate",
                "cagr",
                "cagr_years",
                "cagr_first_value",
                "cagr_last_value",
                "cagr_note",
                "total_change",
                "total_change_rate",
                "growth_mean",
                "growth_std",
                "growth_cv",
            ],
            (_growth_row(c) for c in categories),
        ),
        (
            "seasonality",
            ["category", "method", "strength", "position", "label", "index", "ratio", "role"],
            _seasonality_rows(categories),
        ),
    ]
    forecasts: list[ForecastResultDict] = list(result.get("forecast") or [])
    sections.append(
        (
            "forecast",
            ["category", "model", "ts", "mean", "lower80", "upper80", "lower95", "upper95"],
            (
                [
                    f["category"],
                    f["model"],
                    p["ts"],
                    p["mean"],
                    p["lower80"],
                    p["upper80"],
                    p["lower95"],
                    p["upper95"],
                ]
                for f in forecasts
                for p in f["points"]
            ),
        )
    )
    sections.append(
        (
            "forecast evaluation",
            ["category", "model", "status", "mase", "smape", "chosen", "note"],
            (
                [
                    f["category"],
                    s["model"],
                    s["status"],
                    s["mase"],
                    s["smape"],
                    s["model"] == f["model"],
                    s["note"] or (f["message"] if s["model"] == f["model"] else None),
                ]
                for f in forecasts
                for s in f["candidates"]
            ),
        )
    )
    cleaning: CleaningReportDict | None = result.get("cleaning")
    sections.append(
        (
            "cleaning report",
            [
                "category",
                "observations",
                "first_date",
                "last_date",
                "duplicates_merged",
                "aggregated_into_periods",
                "periods",
                "gaps_filled",
                "outliers_flagged",
                "outlier_method",
            ],
            (
                [
                    p["category"],
                    p["observations"],
                    p["first_date"],
                    p["last_date"],
                    p["duplicates_merged"],
                    p["aggregated_into_periods"],
                    p["periods"],
                    p["gaps_filled"],
                    p["outliers_flagged"],
                    p["outlier_method"],
                ]
                for p in (cleaning["per_category"] if cleaning else [])
            ),
        )
    )
    changes = cleaning["changes"] if cleaning else []
    sections.append(("changes", ["change"], ([line] for line in changes)))
    sections.append(
        (
            "bad rows",
            ["row", "column", "reason", "value"],
            (
                [b["row"], b["column"], b["reason"], b["value"]]
                for b in (cleaning["bad_rows"]["first"] if cleaning else [])
            ),
        )
    )
    sections.append(
        (
            "outliers",
            ["category", "date", "raw_value", "expected_value", "score"],
            (
                [p["category"], o["date"], o["raw_value"], o["expected_value"], o["score"]]
                for p in (cleaning["per_category"] if cleaning else [])
                for o in p["outliers"]
            ),
        )
    )
    cross: CrossCategoryDict | None = result.get("cross_category")
    fastest = cross["fastest_growing"] if cross else None
    sections.append(
        (
            "cross-category",
            [
                "category",
                "common_span_total",
                "full_total",
                "share",
                "rank",
                "hhi",
                "hhi_label",
                "fastest_growing",
            ],
            (
                [
                    s["category"],
                    s["total"],
                    s.get("full_total"),
                    s["share"],
                    s["rank"],
                    cross["hhi"] if cross else None,
                    cross["hhi_label"] if cross else None,
                    s["category"] == (fastest["category"] if fastest else None),
                ]
                for s in (cross["shares"] if cross else [])
            ),
        )
    )
    return sections


def export_csv(result: AnalysisResultDict) -> str:
    """The result as CSV sections (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, (name, header, rows) in enumerate(_sections(result)):
        if index:
            out.write("\n")
        out.write(f"# {name}\n")
        writer.writerow([cell(h) for h in header])
        writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def export_json(result: Mapping[str, Any]) -> bytes:
    """The result as compact UTF-8 JSON (NaN and infinities are refused, never written)."""
    return json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
        "utf-8"
    )
