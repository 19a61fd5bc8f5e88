"""The cleaning report: every detection and change of ingestion and cleaning, in sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cleaning import FREQ_LABEL
from .numbers import LOCALE_LABEL
from .options import AnalysisParams, Frequency
from .schemas import IngestReport

ENCODING_NOTE = {
    "utf-8": "The file was read as UTF-8.",
    "utf-8-sig": "The file was read as UTF-8 (with a byte-order mark).",
    "windows-1252": (
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel saves on Windows); "
        "check that accented letters look right, or save it as CSV UTF-8."
    ),
}
GAP_METHOD = {
    "zero": "zero (a period without data is a period with nothing shipped)",
    "interpolate": "linear interpolation in time between the neighbouring observed values",
}


@dataclass(frozen=True)
class Regularisation:
    """What cleaning decided about frequency and categories, for the report."""

    freq: Frequency
    source: str
    median_spacing: float | None
    confidence: float
    filtered: bool
    skipped: list[tuple[str, str, int]]
    coarser: dict[str, Frequency]
    aggregated_from: Frequency | None


def _quoted(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def reading_sentences(report: IngestReport) -> list[str]:
    """How the upload was read: encoding, delimiter, title lines, layout and columns."""
    out: list[str] = []
    if report.encoding in ENCODING_NOTE and report.source == "csv":
        out.append(ENCODING_NOTE[report.encoding])
    if report.delimiter is not None:
        shown = "tab" if report.delimiter == "\t" else repr(report.delimiter)
        out.append(f"Read as CSV with {shown} as the delimiter.")
    if report.title_lines:
        out.append(
            f"Skipped {_plural(len(report.title_lines), 'title line')} above the header: "
            f"{_quoted(report.title_lines[:3])}{' …' if len(report.title_lines) > 3 else ''}."
        )
    cols = report.columns
    date = " + ".join(repr(c) for c in cols.date)
    if report.layout == "long":
        if cols.categories:
            kind = "one series per combination" if len(cols.categories) > 1 else "one series each"
            who = f"categories from {_quoted(cols.categories)} ({kind})"
        else:
            who = "a single series called 'total' (no category column)"
        out.append(f"Dates from {date}; {who}; values from {_quoted(cols.values)}.")
    else:
        out.append(
            f"Wide layout: dates from {date}, one category per column "
            f"({_plural(len(cols.values), 'column')})."
        )
    if cols.summed_over:
        out.append(
            f"Series are by {_quoted(cols.categories)}; values were summed over "
            f"{_quoted(cols.summed_over)} (name several in category_columns to analyse each "
            "combination)."
        )
    if cols.measures:
        out.append(
            f"Also recognised {_quoted(cols.measures)} as another measure; it was not analysed "
            "(choose it with value_column to analyse it)."
        )
    if cols.ignored:
        out.append(f"Ignored the columns {_quoted(cols.ignored)}.")
    if report.blank_rows:
        out.append(f"Skipped {_plural(report.blank_rows, 'blank line')}.")
    for column, locale in report.number_formats.items():
        if locale != "plain":
            how = "detected" if report.decimal == "auto" else f"decimal={report.decimal!r}"
            out.append(f"Numbers in {column!r} were read in {LOCALE_LABEL[locale]} ({how}).")
    return out


def value_sentences(report: IngestReport) -> list[str]:
    """Scale, skipped total and notes rows."""
    out: list[str] = []
    if report.value_scale != 1:
        out.append(f"Every value was multiplied by {report.value_scale:,g} (value_scale).")
    if report.total_rows:
        shown = ", ".join(f"row {r.row}: {r.text!r}" for r in report.total_rows[:5])
        out.append(
            f"Skipped {_plural(len(report.total_rows), 'total or subtotal row')} so nothing is "
            f"counted twice ({shown}{', …' if len(report.total_rows) > 5 else ''})."
        )
    if report.note_rows:
        shown = ", ".join(f"row {r.row}: {r.text!r}" for r in report.note_rows[:3])
        out.append(f"Skipped {_plural(len(report.note_rows), 'notes line')} ({shown}).")
    return out


def merge_sentences(report: IngestReport) -> list[str]:
    """Bad rows and duplicates."""
    out: list[str] = []
    bad = report.bad_rows
    if bad.total:
        rows = ", ".join(str(b.row) for b in bad.first)
        reasons = ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in bad.by_reason.items())
        out.append(f"Skipped {bad.total:,} bad observations ({reasons}); first rows: {rows}.")
    if report.exact_duplicates:
        out.append(
            f"{_plural(report.exact_duplicates, 'row')} were exact copies of another row; each "
            "was counted once."
        )
    if report.duplicates_combined:
        how = {"sum": "summed", "mean": "averaged", "last": "replaced by the last one"}
        out.append(
            f"{_plural(report.duplicates_combined, 'row')} repeated the date and category of "
            f"another row and were {how.get(report.duplicates_policy, 'combined')} "
            f"(duplicates={report.duplicates_policy})."
        )
    if report.rows_summed_over:
        out.append(
            f"Summed {_plural(report.rows_summed_over, 'row')} of the same date and category "
            f"over {_quoted(report.columns.summed_over)}."
        )
    return out


def cleaning_sentences(
    reg: Regularisation, params: AnalysisParams, totals: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Frequency, aggregation, gaps and outliers; returns ``(changes, warnings)``."""
    label = FREQ_LABEL[reg.freq]
    changes: list[str] = []
    warnings: list[str] = []
    if reg.filtered:
        changes.append("Only the requested categories were kept.")
    base = reg.aggregated_from or reg.freq
    if reg.source == "detected":
        spacing = reg.median_spacing
        changes.append(
            f"Detected {FREQ_LABEL[base]} frequency"
            + (f" (median spacing {spacing:g} days)" if spacing is not None else "")
            + f"; {reg.confidence:.0%} of consecutive observations are one period apart."
        )
    else:
        changes.append(f"Regularised to the requested {FREQ_LABEL[base]} frequency.")
    if reg.coarser:
        listed = ", ".join(f"{n!r} ({FREQ_LABEL[f]})" for n, f in list(reg.coarser.items())[:10])
        sentence = (
            f"Some categories are recorded less often than {FREQ_LABEL[base]}: {listed}. Every "
            f"category was aggregated to {label} periods so that no period is padded with "
            "invented values."
        )
        changes.append(sentence)
        warnings.append(sentence)
    if totals["aggregated"]:
        changes.append(f"Summed {totals['aggregated']:,} extra dates into their {label} periods.")
    if totals["gaps"]:
        changes.append(
            f"Filled {_plural(totals['gaps'], 'period')} without data with "
            f"{GAP_METHOD[params.gap_fill]} (gap_fill={params.gap_fill})."
        )
    else:
        changes.append(
            "No period was missing between a category's first and last date "
            f"(gap_fill={params.gap_fill} would fill them with {GAP_METHOD[params.gap_fill]})."
        )
    if totals["outliers"]:
        kept = (
            "their values were replaced by the expected value in every computation"
            if params.outlier_treatment == "replace"
            else "statistics use their raw values"
        )
        fit = (
            "forecasts are fitted on the series with them replaced by the expected value"
            if params.forecast_input == "treated"
            else "forecasts are fitted on the raw values"
        )
        changes.append(f"Flagged {_plural(totals['outliers'], 'outlier')}; {kept}; {fit}.")
    for name, reason, _ in reg.skipped:
        sentence = f"Category {name!r} was not analysed: {reason}."
        changes.append(sentence)
        warnings.append(sentence)
    return changes, warnings
