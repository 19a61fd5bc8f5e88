"""From a parsed table (CSV or JSON) to validated observations ``(row, date, category, value)``.

Column roles are found by name (case-insensitive, trimmed, spaces and punctuation read as
``_``) from the synonym lists below, or named explicitly in :class:`IngestOptions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .dates import parse_date_labels
from .errors import MissingColumnsError
from .options import IngestOptions

FULL_DATE_NAMES = ("date", "tanggal", "periode", "period", "time", "waktu")
MONTH_NAMES = ("month", "bulan")
YEAR_NAMES = ("tahun", "year")
DATE_NAMES = FULL_DATE_NAMES + MONTH_NAMES + YEAR_NAMES
CATEGORY_NAMES = (
    "category",
    "kategori",
    "komoditas",
    "commodity",
    "negara",
    "country",
    "market",
    "pasar",
    "produk",
    "product",
    "hs_code",
    "kode_hs",
)
VALUE_NAMES = (
    "value",
    "nilai",
    "fob",
    "nilai_fob",
    "fob_value",
    "amount",
    "jumlah",
    "usd",
    "nilai_ekspor",
    "export_value",
)
NA_TEXT = ["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-", "—"]
"""Text read as a missing value in value columns (date and category columns: only empty)."""

MAX_MAGNITUDE = 1e100
BAD_REASONS = ("invalid_date", "missing_category", "missing_value", "non_numeric_value")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
SmallArray = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]


def normalise_name(name: object) -> str:
    """Column name as matched against the synonym lists."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass(frozen=True)
class ColumnPlan:
    """Which columns play which role."""

    layout: Literal["long", "wide"]
    date: list[str]
    """One column, or ``[year, month]`` when the date is split over two columns."""
    category: str | None
    values: list[str]
    ignored: list[str]


def _find(names: list[str], wanted: tuple[str, ...], taken: set[str]) -> str | None:
    normalised = {name: normalise_name(name) for name in names if name not in taken}
    for synonym in wanted:
        for name, norm in normalised.items():
            if norm == synonym:
                return name
    return None


def _explicit(names: list[str], requested: str | None, role: str) -> str | None:
    if requested is None:
        return None
    for name in names:
        if name == requested or normalise_name(name) == normalise_name(requested):
            return name
    raise MissingColumnsError(
        f"The {role} column {requested!r} named in the options is not in the file; "
        f"found: {', '.join(map(str, names))}.",
        details={"expected": {role: [requested]}, "found": names},
    )


def plan_columns(names: list[str], options: IngestOptions) -> ColumnPlan:
    """Decide long or wide layout and the role of each column, from the header alone."""
    taken: set[str] = set()
    date_col = _explicit(names, options.date_column, "date")
    date_cols: list[str]
    if date_col is not None:
        date_cols = [date_col]
    else:
        full = _find(names, FULL_DATE_NAMES, taken)
        year = _find(names, YEAR_NAMES, taken)
        month = _find(names, MONTH_NAMES, taken)
        if full is not None:
            date_cols = [full]
        elif year is not None and month is not None:
            date_cols = [year, month]
        elif month is not None or year is not None:
            date_cols = [month or year or ""]
        else:
            raise MissingColumnsError(
                "No date column found. Expected a column named one of "
                f"{', '.join(DATE_NAMES)}; found: {', '.join(map(str, names)) or 'none'}.",
                details={"expected": {"date": list(DATE_NAMES)}, "found": names},
            )
    taken.update(date_cols)
    category = _explicit(names, options.category_column, "category") or _find(
        names, CATEGORY_NAMES, taken
    )
    if category is not None:
        taken.add(category)
    value = _explicit(names, options.value_column, "value") or _find(names, VALUE_NAMES, taken)
    rest = [name for name in names if name not in taken and name != value]
    if category is not None:
        if value is None and len(rest) == 1:
            value, rest = rest[0], []
        if value is None:
            raise MissingColumnsError(
                "No value column found. Expected a column named one of "
                f"{', '.join(VALUE_NAMES)}; found: {', '.join(map(str, names))}.",
                details={"expected": {"value": list(VALUE_NAMES)}, "found": names},
            )
        return ColumnPlan("long", date_cols, category, [value], rest)
    if value is not None:
        return ColumnPlan("long", date_cols, None, [value], rest)
    if not rest:
        raise MissingColumnsError(
            "No value columns found: a long file needs date, category and value columns "
            f"(value one of {', '.join(VALUE_NAMES)}), a wide file a date column and one "
            f"numeric column per category; found: {', '.join(map(str, names))}.",
            details={
                "expected": {"category": list(CATEGORY_NAMES), "value": list(VALUE_NAMES)},
                "found": names,
            },
        )
    return ColumnPlan("wide", date_cols, None, rest, [])


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
    bad_counts: dict[str, int] = field(default_factory=dict)
    bad_first: list[BadEntry] = field(default_factory=list)
    """The first 20 bad observations in file order."""
    bad_by_reason: dict[str, list[BadEntry]] = field(default_factory=dict)
    """The first 20 bad observations of each reason."""
    empty_cells: int = 0
    ignored_columns: list[str] = field(default_factory=list)


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
    date_col: str,
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


def build_observations(
    frame: pd.DataFrame, rows: IntArray, plan: ColumnPlan, options: IngestOptions
) -> Observations:
    """Validate every row of a table laid out as ``plan`` says."""
    dates = parse_dates(frame, plan.date)
    date_col = "+".join(plan.date)
    if plan.layout == "long":
        return _long(frame, rows, plan, options, dates, date_col)
    return _wide(frame, rows, plan, options, dates, date_col)


def _long(
    frame: pd.DataFrame,
    rows: IntArray,
    plan: ColumnPlan,
    options: IngestOptions,
    dates: DateColumn,
    date_col: str,
) -> Observations:
    n = len(frame)
    if plan.category is not None:
        raw_codes, raw_labels = codes_and_labels(frame[plan.category])
        remap, names = pd.factorize(pd.Series(raw_labels, dtype=object))
        category_names = [str(x) for x in names]
        remap_arr = np.append(np.asarray(remap, dtype=np.int32), np.int32(-1))
        code = remap_arr[raw_codes]  # raw code -1 picks the appended -1
        empty = [i for i, name in enumerate(category_names) if name == ""]
        if empty:
            code = np.where(np.isin(code, empty), -1, code)
    else:
        category_names = ["total"]
        code = np.zeros(n, dtype=np.int32)
    value_col = plan.values[0]
    values, missing, invalid = coerce_values(frame[value_col], options.decimal)
    bad_date = ~dates.valid
    no_cat = ~bad_date & (code < 0)
    no_value = ~bad_date & ~no_cat & missing
    bad_value = ~bad_date & ~no_cat & invalid
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
        date_col,
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
        bad_counts=counts,
        bad_first=first,
        bad_by_reason=by_reason,
        ignored_columns=[str(c) for c in plan.ignored],
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
    for column in plan.values:
        values, missing, invalid = coerce_values(frame[column], options.decimal)
        filled = int((~missing).sum())
        if filled == 0 or int(invalid.sum()) == filled or str(column).strip() == "":
            ignored.append(str(column))
            continue
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
    counts, first, by_reason = _collect_bad(frame, rows, entries, dates, date_col)
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
    )


def coerce_values(column: pd.Series, decimal: str) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Numbers of a value column: ``(values, missing, invalid)``.

    Numeric columns pass through. Text cells are trimmed, a thousands separator is removed
    only where it is unambiguous (``1,234,567.5`` or, with a decimal comma, ``1.234.567,5``),
    the decimal comma becomes a point, and anything else that is not a finite number is
    invalid. Booleans are invalid, not 0/1. Magnitudes above ``1e100`` are invalid too: sums
    and squares of them would overflow to infinity, which JSON cannot carry.
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        invalid = ~missing & ~(np.abs(values) <= MAX_MAGNITUDE)
        if invalid.any():
            values = np.where(invalid, np.nan, values)
        return values, missing, invalid
    obj = column.astype(object)
    missing = np.array(obj.isna().to_numpy(dtype=bool))
    values = np.full(len(obj), np.nan)
    kinds = obj.map(type)
    is_bool = kinds.isin([bool, np.bool_]).to_numpy(dtype=bool)
    is_text = kinds.isin([str]).to_numpy(dtype=bool)
    is_number = ~missing & ~is_bool & ~is_text
    if is_number.any():
        values[is_number] = pd.to_numeric(obj[is_number], errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
    if is_text.any():
        text = obj[is_text].astype("str").str.strip().str.replace(r"[\s\u00a0_']", "", regex=True)
        blank = text.isin(NA_TEXT).to_numpy(dtype=bool)
        if decimal == ",":
            grouped = text.str.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?").fillna(False)
            text = text.where(~grouped, text.str.replace(".", "", regex=False))
            text = text.str.replace(",", ".", regex=False)
        else:
            grouped = text.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?").fillna(False)
            text = text.where(~grouped, text.str.replace(",", "", regex=False))
        numbers = np.array(
            pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        )
        numbers[blank] = np.nan
        where = np.flatnonzero(is_text)
        values[where] = numbers
        missing[where[blank]] = True
    invalid = ~missing & ~(np.abs(values) <= MAX_MAGNITUDE)
    values[invalid] = np.nan
    return values, missing, invalid
