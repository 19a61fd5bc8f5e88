"""From a parsed table (CSV or JSON) to validated observations ``(row, date, category, value)``.

Column roles come from :mod:`.columns`, numbers from :mod:`.numbers`. Rows that are not
observations are recognised and reported, not counted as bad: total and subtotal rows
(a date or category cell starting with ``Jumlah``, ``Total``, ``Grand Total``,
``Subtotal``, ``Jumlah/Total``) and notes lines (one filled cell that is not a date, such as
``Sumber: BPS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from .columns import ColumnPlan
from .dates import parse_date_labels
from .errors import MissingColumnsError
from .numbers import parse_numbers
from .options import IngestOptions

BAD_REASONS = ("invalid_date", "missing_category", "missing_value", "non_numeric_value")
TOTAL_LABEL = re.compile(
    r"^\s*(grand\s*total|sub\s*-?\s*total|total|jumlah|sub\s*-?\s*jumlah)\b", re.IGNORECASE
)
CATEGORY_SEPARATOR = " | "

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
SmallArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]


def codes_and_labels(column: pd.Series) -> tuple[CodeArray, list[str]]:
    """Integer codes (-1 for missing) and the distinct labels of a text-like column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int32)
        labels = [_label(x) for x in column.cat.categories]
        return codes, labels
    codes_raw, uniques = pd.factorize(column, use_na_sentinel=True)
    return np.asarray(codes_raw, dtype=np.int32), [_label(x) for x in uniques]


def _label(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class DateColumn:
    """Parsed dates of every row."""

    days: IntArray
    valid: BoolArray
    present: BoolArray
    granularity: SmallArray
    """Per row: 0 day, 1 month, 2 quarter, 3 year; -1 where invalid."""
    formats: dict[str, int]
    codes: CodeArray
    labels: list[str]

    def text(self, index: int) -> str:
        code = int(self.codes[index])
        return self.labels[code] if code >= 0 else ""


def parse_dates(frame: pd.DataFrame, date_cols: list[str]) -> DateColumn:
    """Parse the date column (or the year and month columns) of every row."""
    codes, labels = codes_and_labels(frame[date_cols[0]])
    if len(date_cols) == 2:
        month_codes, month_labels = codes_and_labels(frame[date_cols[1]])
        month_labels = [label.rstrip(".") for label in month_labels]
        width = max(len(month_labels), 1)
        both = (codes >= 0) & (month_codes >= 0)
        key = np.where(both, codes.astype(np.int64) * width + month_codes, -1)
        combos, inverse = np.unique(key, return_inverse=True)
        labels = [
            f"{labels[k // width]}-{month_labels[k % width]}" if k >= 0 else ""
            for k in combos.tolist()
        ]
        codes = np.where(key >= 0, inverse, -1).astype(np.int32)
    parsed = parse_date_labels(labels)
    present = codes >= 0
    if not labels:
        zeros = np.zeros(len(codes), dtype=np.int64)
        unknown = np.full(len(codes), -1, dtype=np.int8)
        return DateColumn(zeros, present, present, unknown, {}, codes, labels)
    safe = np.where(present, codes, 0)
    valid = present & parsed.valid[safe]
    granularity = np.where(valid, parsed.granularity[safe], -1).astype(np.int8)
    return DateColumn(parsed.days[safe], valid, present, granularity, parsed.formats, codes, labels)


BadEntry = tuple[int, str | None, str, str | None]
"""``(row, column, reason, text)`` of one bad observation."""


@dataclass
class Observations:
    """Candidate observations of a table, with everything that went wrong."""

    row: IntArray
    days: IntArray
    code: CodeArray
    categories: list[str]
    """Distinct category names; ``code`` indexes into it."""
    value: FloatArray
    ok: BoolArray
    granularity: SmallArray
    date_formats: dict[str, int]
    received: int
    """Candidate observations: data rows (long) or non-empty value cells (wide)."""
    detail: CodeArray | None = None
    """Per observation, the combination of the category columns summed over (or None)."""
    extra: CodeArray | None = None
    """Per observation, the combination of every other column (measures, ignored columns)."""
    bad_counts: dict[str, int] = field(default_factory=dict)
    bad_first: list[BadEntry] = field(default_factory=list)
    """The first 20 bad observations in file order."""
    bad_by_reason: dict[str, list[BadEntry]] = field(default_factory=dict)
    """The first 20 bad observations of each reason."""
    empty_cells: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    number_formats: dict[str, str] = field(default_factory=dict)
    """Per value column: ``plain``, ``id`` or ``en`` (how its numbers were read)."""
    total_rows: list[tuple[int, str]] = field(default_factory=list)
    """``(row, label)`` of the total and subtotal rows skipped."""
    note_rows: list[tuple[int, str]] = field(default_factory=list)
    """``(row, text)`` of the notes lines skipped."""


def _cell_text(frame: pd.DataFrame, column: str, position: int) -> str | None:
    value = frame[column].iloc[position]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)[:100]


def _collect_bad(
    frame: pd.DataFrame,
    rows: IntArray,
    entries: list[tuple[IntArray, str, str]],
    dates: DateColumn,
) -> tuple[dict[str, int], list[BadEntry], dict[str, list[BadEntry]]]:
    """Counts and first examples of bad observations, given ``(positions, column, reason)``."""
    counts: dict[str, int] = {}
    examples: list[tuple[int, int, BadEntry]] = []
    by_reason: dict[str, list[BadEntry]] = {}
    for order, (positions, column, reason) in enumerate(entries):
        if not len(positions):
            continue
        counts[reason] = counts.get(reason, 0) + len(positions)
        for position in positions[:20].tolist():
            text: str | None
            if reason == "invalid_date":
                text = dates.text(position) or None
            elif reason == "non_numeric_value":
                text = _cell_text(frame, column, position)
            else:
                text = None
            entry: BadEntry = (int(rows[position]), column or None, reason, text)
            by_reason.setdefault(reason, []).append(entry)
            examples.append((int(rows[position]), order, entry))
    for reason, items in by_reason.items():
        by_reason[reason] = sorted(items, key=lambda e: e[0])[:20]
    examples.sort(key=lambda e: (e[0], e[1]))
    return counts, [e[2] for e in examples[:20]], by_reason


def combined_codes(frame: pd.DataFrame, columns: list[str]) -> tuple[CodeArray, list[str]]:
    """One code per row for the combination of ``columns`` (-1 when any is missing)."""
    if len(columns) == 1:
        return _text_codes(frame[columns[0]])
    parts = [_text_codes(frame[c]) for c in columns]
    key = np.zeros(len(frame), dtype=np.int64)
    missing = np.zeros(len(frame), dtype=bool)
    for codes, labels in parts:
        key = key * (len(labels) + 1) + np.maximum(codes, 0)
        missing |= codes < 0
    key[missing] = -1
    combos, inverse = np.unique(key, return_inverse=True)
    names: list[str] = []
    for combo in combos.tolist():
        if combo < 0:
            names.append("")
            continue
        pieces = []
        for _, labels in reversed(parts):
            combo, k = divmod(combo, len(labels) + 1)
            pieces.append(labels[k])
        names.append(CATEGORY_SEPARATOR.join(reversed(pieces)))
    codes_out = np.where(key >= 0, inverse, -1).astype(np.int32)
    return codes_out, names


def row_codes(frame: pd.DataFrame, columns: list[str]) -> CodeArray:
    """One code per distinct combination of the raw cells of ``columns`` (missing included)."""
    stacked = np.column_stack(
        [pd.factorize(frame[c].astype(object), use_na_sentinel=False)[0] for c in columns]
    )
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return np.asarray(inverse, dtype=np.int32).reshape(-1)


def _text_codes(column: pd.Series) -> tuple[CodeArray, list[str]]:
    """Codes of a category column, merging labels equal after trimming; "" is missing."""
    raw_codes, raw_labels = codes_and_labels(column)
    remap, names = pd.factorize(pd.Series(raw_labels, dtype=object))
    labels = [str(x) for x in names]
    remap_arr = np.append(np.asarray(remap, dtype=np.int32), np.int32(-1))
    code = remap_arr[raw_codes]  # raw code -1 picks the appended -1
    empty = [i for i, name in enumerate(labels) if name == ""]
    if empty:
        code = np.where(np.isin(code, empty), -1, code)
    return code.astype(np.int32, copy=False), labels


def _total_mask(codes: CodeArray, labels: list[str]) -> BoolArray:
    hits = np.array([bool(TOTAL_LABEL.match(label)) for label in labels] + [False])
    return hits[np.where(codes >= 0, codes, len(labels))]


def _skipped_rows(
    frame: pd.DataFrame, plan: ColumnPlan, dates: DateColumn, rows: IntArray
) -> tuple[BoolArray, list[tuple[int, str]], list[tuple[int, str]]]:
    """Total rows and notes lines: not observations, reported apart from bad rows."""
    total = _total_mask(dates.codes, dates.labels)
    label_of: dict[int, str] = {}
    for column in plan.categories + plan.summed_over + plan.date:
        if column == plan.date[0] and len(plan.date) == 1:
            continue
        codes, labels = codes_and_labels(frame[column])
        hit = _total_mask(codes, labels)
        for position in np.flatnonzero(hit & ~total)[:50].tolist():
            label_of[position] = labels[int(codes[position])]
        total |= hit
    for position in np.flatnonzero(total)[:50].tolist():
        label_of.setdefault(position, dates.text(position))
    notes = np.zeros(len(frame), dtype=bool)
    candidates = np.flatnonzero(~dates.valid & ~total)
    if len(candidates):
        sub = frame.iloc[candidates]
        filled = (sub.notna() & (sub.astype(str).apply(lambda c: c.str.strip()) != "")).sum(axis=1)
        notes[candidates[filled.to_numpy() == 1]] = True
    note_rows = [
        (int(rows[p]), next(str(x) for x in frame.iloc[p].tolist() if _present(x))[:100])
        for p in np.flatnonzero(notes)[:20].tolist()
    ]
    total_rows = [(int(rows[p]), label_of.get(p, "")[:100]) for p in np.flatnonzero(total).tolist()]
    return total | notes, total_rows[:50], note_rows


def _present(value: object) -> bool:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    return str(value).strip() != ""


def build_observations(
    frame: pd.DataFrame, rows: IntArray, plan: ColumnPlan, options: IngestOptions
) -> Observations:
    """Validate every row of a table laid out as ``plan`` says."""
    dates = parse_dates(frame, plan.date)
    skip, total_rows, note_rows = _skipped_rows(frame, plan, dates, rows)
    if skip.any():
        keep = ~skip
        frame = frame.loc[keep].reset_index(drop=True)
        rows = rows[keep]
        dates = parse_dates(frame, plan.date)
    date_col = "+".join(plan.date)
    if plan.layout == "long":
        obs = _long(frame, rows, plan, options, dates, date_col)
    else:
        obs = _wide(frame, rows, plan, options, dates, date_col)
    obs.total_rows = total_rows
    obs.note_rows = note_rows
    return obs


def _long(
    frame: pd.DataFrame,
    rows: IntArray,
    plan: ColumnPlan,
    options: IngestOptions,
    dates: DateColumn,
    date_col: str,
) -> Observations:
    n = len(frame)
    if plan.categories:
        code, category_names = combined_codes(frame, plan.categories)
    else:
        category_names = ["total"]
        code = np.zeros(n, dtype=np.int32)
    detail: CodeArray | None = None
    if plan.summed_over:
        detail_codes, _ = combined_codes(frame, plan.summed_over)
        detail = detail_codes
    others = plan.measures + plan.ignored
    extra = row_codes(frame, others) if others else None
    value_col = plan.values[0]
    numbers = parse_numbers(value_col, frame[value_col], options.decimal)
    values = numbers.values * options.value_scale if options.value_scale != 1 else numbers.values
    bad_date = ~dates.valid
    no_cat = ~bad_date & (code < 0)
    no_value = ~bad_date & ~no_cat & numbers.missing
    bad_value = ~bad_date & ~no_cat & numbers.invalid
    ok = ~(bad_date | no_cat | no_value | bad_value)
    counts, first, by_reason = _collect_bad(
        frame,
        rows,
        [
            (np.flatnonzero(bad_date), date_col, "invalid_date"),
            (np.flatnonzero(no_cat), plan.category or "", "missing_category"),
            (np.flatnonzero(no_value), value_col, "missing_value"),
            (np.flatnonzero(bad_value), value_col, "non_numeric_value"),
        ],
        dates,
    )
    return Observations(
        row=rows,
        days=dates.days,
        code=np.where(ok, code, 0).astype(np.int32, copy=False),
        categories=category_names,
        value=values,
        ok=ok,
        granularity=dates.granularity,
        date_formats=dates.formats,
        received=n,
        detail=detail,
        extra=extra,
        bad_counts=counts,
        bad_first=first,
        bad_by_reason=by_reason,
        ignored_columns=[str(c) for c in plan.ignored],
        number_formats={value_col: numbers.locale},
    )


def _wide(
    frame: pd.DataFrame,
    rows: IntArray,
    plan: ColumnPlan,
    options: IngestOptions,
    dates: DateColumn,
    date_col: str,
) -> Observations:
    n = len(frame)
    used: list[tuple[str, FloatArray, BoolArray, BoolArray]] = []
    ignored: list[str] = []
    formats: dict[str, str] = {}
    for column in plan.values:
        numbers = parse_numbers(column, frame[column], options.decimal)
        missing, invalid = numbers.missing, numbers.invalid
        filled = int((~missing).sum())
        if filled == 0 or int(invalid.sum()) == filled or str(column).strip() == "":
            ignored.append(str(column))
            continue
        formats[column] = numbers.locale
        values = numbers.values * options.value_scale
        used.append((column, values, missing, invalid))
    if not used:
        raise MissingColumnsError(
            "No numeric category columns found in this wide file (every column besides the "
            f"date is empty or not numeric); found: {', '.join(map(str, frame.columns))}.",
            details={
                "expected": {"categories": "numeric columns"},
                "found": [str(c) for c in frame.columns],
            },
        )
    names = [str(column).strip() for column, *_ in used]
    unique_names = list(dict.fromkeys(names))
    code_of = {name: i for i, name in enumerate(unique_names)}
    date_ok = dates.valid
    any_cell = np.zeros(n, dtype=bool)
    for _, _, missing, _ in used:
        any_cell |= ~missing
    entries: list[tuple[IntArray, str, str]] = [
        (np.flatnonzero(~date_ok & any_cell), date_col, "invalid_date")
    ]
    parts_value: list[FloatArray] = []
    parts_pos: list[IntArray] = []
    parts_code: list[CodeArray] = []
    received = 0
    empty_cells = 0
    for (column, values, missing, invalid), name in zip(used, names, strict=True):
        received += int((~missing).sum())
        empty_cells += int((missing & date_ok).sum())
        entries.append((np.flatnonzero(date_ok & invalid), column, "non_numeric_value"))
        positions = np.flatnonzero(date_ok & ~missing & ~invalid)
        parts_pos.append(positions)
        parts_value.append(values[positions])
        parts_code.append(np.full(len(positions), code_of[name], dtype=np.int32))
    counts, first, by_reason = _collect_bad(frame, rows, entries, dates)
    positions_all = np.concatenate(parts_pos)
    return Observations(
        row=rows[positions_all],
        days=dates.days[positions_all],
        code=np.concatenate(parts_code),
        categories=unique_names,
        value=np.concatenate(parts_value),
        ok=np.ones(len(positions_all), dtype=bool),
        granularity=dates.granularity[positions_all],
        date_formats=dates.formats,
        received=received,
        bad_counts=counts,
        bad_first=first,
        bad_by_reason=by_reason,
        empty_cells=empty_cells,
        ignored_columns=ignored,
        number_formats=formats,
    )
