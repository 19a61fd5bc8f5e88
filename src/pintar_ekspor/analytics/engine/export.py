"""CSV and JSON exports of an analysis result.

The CSV holds one table per section; each section starts with a ``# <section name>`` line,
then a header row, then data rows, and sections are separated by one blank line.

Spreadsheet formula injection: every *text* cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading single quote (``'=cmd`` is shown, not run).
Numbers are written as numbers (shortest round-trip form), so a negative value stays ``-12.5``
and remains numeric in a spreadsheet; only text (category names, labels, messages) is
neutralised. Missing values are empty cells; booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

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


def _g(mapping: Mapping[str, Any] | None, *keys: str) -> Any:
    current: Any = mapping
    for key in keys:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current


def _sections(result: Mapping[str, Any]) -> list[Section]:
    categories: list[Mapping[str, Any]] = list(result.get("categories") or [])
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
            ([c["category"], *(c["summary"].get(k) for k in summary_cols)] for c in categories),
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
            (
                [
                    c["category"],
                    _g(c, "trend", "slope_unit"),
                    _g(c, "trend", "direction"),
                    _g(c, "trend", "ols", "slope"),
                    _g(c, "trend", "ols", "intercept"),
                    _g(c, "trend", "ols", "r_squared"),
                    _g(c, "trend", "ols", "p_value"),
                    _g(c, "trend", "theil_sen", "slope"),
                    _g(c, "trend", "theil_sen", "slope_low95"),
                    _g(c, "trend", "theil_sen", "slope_high95"),
                    _g(c, "trend", "mann_kendall", "s"),
                    _g(c, "trend", "mann_kendall", "z"),
                    _g(c, "trend", "mann_kendall", "p_value"),
                    _g(c, "trend", "mann_kendall", "tau"),
                    _g(c, "trend", "mann_kendall", "direction"),
                ]
                for c in categories
            ),
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
            (
                [
                    c["category"],
                    _g(c, "growth", "period_over_period", "date"),
                    _g(c, "growth", "period_over_period", "change"),
                    _g(c, "growth", "period_over_period", "rate"),
                    _g(c, "growth", "year_over_year", "base_date"),
                    _g(c, "growth", "year_over_year", "value"),
                    _g(c, "growth", "year_over_year", "base_value"),
                    _g(c, "growth", "year_over_year", "rate"),
                    _g(c, "growth", "cagr", "value"),
                    _g(c, "growth", "cagr", "years"),
                    _g(c, "growth", "cagr", "first_value"),
                    _g(c, "growth", "cagr", "last_value"),
                    _g(c, "growth", "cagr", "reason"),
                    _g(c, "growth", "total_change", "absolute"),
                    _g(c, "growth", "total_change", "rate"),
                    _g(c, "volatility", "growth_mean"),
                    _g(c, "volatility", "growth_std"),
                    _g(c, "volatility", "growth_cv"),
                ]
                for c in categories
            ),
        ),
        (
            "seasonality",
            ["category", "method", "strength", "position", "label", "index", "ratio", "role"],
            (
                [
                    c["category"],
                    c["seasonality"]["method"],
                    c["seasonality"]["strength"],
                    i["position"],
                    i["label"],
                    i["index"],
                    i["ratio"],
                    "peak"
                    if i["label"] == c["seasonality"]["peak"]
                    else "trough"
                    if i["label"] == c["seasonality"]["trough"]
                    else "",
                ]
                for c in categories
                if c.get("seasonality")
                for i in c["seasonality"]["indices"]
            ),
        ),
    ]
    forecasts: list[Mapping[str, Any]] = list(result.get("forecast") or [])
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
    cleaning: Mapping[str, Any] = result.get("cleaning") or {}
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
                for p in cleaning.get("per_category", [])
            ),
        )
    )
    sections.append(("changes", ["change"], ([line] for line in cleaning.get("changes", []))))
    sections.append(
        (
            "bad rows",
            ["row", "column", "reason", "value"],
            (
                [b["row"], b["column"], b["reason"], b["value"]]
                for b in _g(cleaning, "bad_rows", "first") or []
            ),
        )
    )
    sections.append(
        (
            "outliers",
            ["category", "date", "raw_value", "expected_value", "score"],
            (
                [p["category"], o["date"], o["raw_value"], o["expected_value"], o["score"]]
                for p in cleaning.get("per_category", [])
                for o in p["outliers"]
            ),
        )
    )
    cross: Mapping[str, Any] = result.get("cross_category") or {}
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
                    cross.get("hhi"),
                    cross.get("hhi_label"),
                    s["category"] == _g(cross, "fastest_growing", "category"),
                ]
                for s in cross.get("shares", [])
            ),
        )
    )
    return sections


def export_csv(result: Mapping[str, Any]) -> str:
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
