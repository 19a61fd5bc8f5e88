"""Reading uploads (CSV or JSON, long or wide) into a validated :class:`Dataset`.

What is read, and what is done about it (every item is reported in ``IngestReport``):

* **Encoding**: UTF-8 (with or without BOM); otherwise Windows-1252 (what Excel saves on
  Indonesian Windows), with a note. Anything else is refused.
* **CSV layout**: the delimiter (``,`` ``;`` tab ``|``) is the one that splits most lines
  into the same number of fields; title and notes lines above the header are skipped (the
  header is the first line with two named cells and a date-like column name); blank lines,
  total/subtotal rows and notes lines below are skipped.
* **Text stays text**: date and category columns are never read as numbers, so HS code
  ``0901`` keeps its zero and never merges with ``901``.
* **Numbers** are read per column with locale detection (:mod:`.numbers`).
* **Bad rows** (unreadable date, missing category or value, not a number) are skipped and
  reported by row number, but when more than ``max_bad_share`` (5 %) of the rows are bad
  the file is refused with the likely cause: an analysis of what is left would be wrong.
* **Duplicates**: exact copies of a row are counted once; rows sharing a date and every
  category column are combined by the ``duplicates`` policy (sum, mean, last, reject); rows
  differing only in a category column left out by ``category_columns`` are summed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .columns import ColumnPlan, looks_like_header, plan_columns
from .errors import (
    AnalyticsInputError,
    DuplicateRowsError,
    EmptyFileError,
    FileTooLargeError,
    InvalidDatesError,
    InvalidEncodingError,
    InvalidRowsError,
    MalformedCSVError,
    MalformedJSONError,
    NonNumericValuesError,
    TooManyCategoriesError,
    TooManyRowsError,
    UnknownCategoryError,
)
from .numbers import other_locale_hint
from .options import IngestOptions
from .schemas import BadRow, BadRowsReport, ColumnsInfo, IngestReport, SkippedRow
from .tabular import BadEntry, Observations, build_observations

DELIMITERS = (",", ";", "\t", "|")
ACCEPTED_DATES = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, Qn YYYY, YYYY, 'Mar 2024' or Tahun + Bulan"
BOM = codecs.BOM_UTF8
HEADER_SEARCH_LINES = 30
LINE_BREAK = re.compile(r"\r\n|\r|\n")
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CategoryIngest:
    """What ingestion merged in one category."""

    duplicates: int = 0
    """Rows combined by the duplicates policy (beyond one per date)."""
    duplicate_days: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    exact_duplicates: int = 0
    summed_rows: int = 0
    """Rows summed over the category columns left out (beyond one per date)."""


@dataclass(frozen=True)
class Dataset:
    """Validated observations of one upload, ready for analysis.

    ``frame`` has one row per category and date: ``row`` (1-based data row in the upload;
    the first one when rows were combined), ``date`` (``datetime64[s]``), ``category``
    (categorical, categories sorted) and ``value`` (float64). Rows that were skipped or
    combined are described in ``report`` and ``per_category``.
    """

    frame: pd.DataFrame
    report: IngestReport
    granularity: Literal["D", "M", "Q", "Y"]
    """Finest granularity the date labels were written in (``2024-03`` is monthly)."""
    per_category: dict[str, CategoryIngest] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        return list(self.report.categories)


@dataclass(frozen=True)
class Source:
    """Where the table came from, for the report."""

    kind: Literal["csv", "json"]
    filename: str | None
    encoding: str | None
    delimiter: str | None = None
    blank_rows: int = 0
    rows_received: int = 0
    title_lines: tuple[str, ...] = ()


def decode_text(data: bytes) -> tuple[str, str]:
    """The upload as text and its encoding: UTF-8 (BOM optional), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidEncodingError(
            "The file is UTF-16 (Excel's 'Unicode Text'); save it as CSV UTF-8.",
            details={"byte": 0, "line": 1},
        )
    if data.startswith(BOM):
        data = data[len(BOM) :]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            position = utf8_error.start
            line = data.count(b"\n", 0, position) + 1
            raise InvalidEncodingError(
                f"The file is not text in UTF-8 or Windows-1252 (byte {position:,}, line "
                f"{line}); save it as CSV UTF-8.",
                details={"byte": position, "line": line},
            ) from None
        encoding = "windows-1252"
    if "\x00" in text[: 1 << 20]:
        raise InvalidEncodingError(
            "The file holds NUL bytes: it is a binary file, not CSV or JSON text.",
            details={"byte": text.index("\x00")},
        )
    return text, encoding


def _checked_text(data: bytes, options: IngestOptions) -> tuple[str, str]:
    """The upload's text and encoding, once its size is within ``options.max_bytes``.

    The one check of the upload size limit: the app streams uploads under its request-body
    guard and leaves the refusal (``file_too_large``, 413) to this function.
    """
    if len(data) > options.max_bytes:
        raise FileTooLargeError(
            f"The file is {len(data):,} bytes; the limit is {options.max_bytes:,} bytes.",
            details={"size": len(data), "limit": options.max_bytes},
        )
    text, encoding = decode_text(data)
    if not text.strip():
        raise EmptyFileError("The file is empty.")
    return text, encoding


def parse_upload(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    options: IngestOptions | None = None,
) -> Dataset:
    """Parse an uploaded CSV or JSON file; raises :class:`AnalyticsInputError` subclasses."""
    options = options or IngestOptions()
    text, encoding = _checked_text(data, options)
    if _is_json(text, filename, content_type):
        return parse_records(_load_json(text), options, filename=filename, encoding=encoding)
    return _parse_csv(text, options, Source("csv", filename, encoding))


def check_upload(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    options: IngestOptions | None = None,
    sample_rows: int = 2000,
) -> None:
    """Validate a large upload cheaply before it is queued as a background job.

    The whole file must decode (UTF-8 or Windows-1252) and, for JSON, parse; the header
    must have the required columns; the first ``sample_rows`` rows are read exactly as
    :func:`parse_upload` would read them (number formats, dates, the bad-row share).
    Raises the same :class:`AnalyticsInputError` the full parse would.
    """
    options = options or IngestOptions()
    text, encoding = _checked_text(data, options)
    if _is_json(text, filename, content_type):
        parsed = _load_json(text)
        if isinstance(parsed, list):
            parsed = parsed[:sample_rows]
        elif isinstance(parsed, dict) and isinstance(parsed.get("data"), list):
            parsed = {"data": parsed["data"][:sample_rows]}
        parse_records(parsed, options, filename=filename, encoding=encoding)
        return
    lines = 0
    end = 0
    while lines < sample_rows + HEADER_SEARCH_LINES and end != -1:
        end = text.find("\n", end + 1)
        lines += 1
    head = text if end == -1 else text[:end]
    _parse_csv(head, options, Source("csv", filename, encoding))


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=str)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = getattr(exc, "msg", str(exc))
        where = (
            f" at line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise MalformedJSONError(
            f"The file is not valid JSON: {detail}{where}.", details={"error": detail}
        ) from None


def parse_records(
    records: list[dict[str, Any]] | dict[str, Any] | Any,
    options: IngestOptions | None = None,
    *,
    filename: str | None = None,
    encoding: str | None = None,
) -> Dataset:
    """Build a dataset from JSON records: an array of objects or ``{"data": [...]}``."""
    options = options or IngestOptions()
    if isinstance(records, dict):
        inner = records.get("data", records.get("records"))
        if inner is None:
            raise MalformedJSONError(
                'A JSON object must hold the records under "data"; found keys: '
                f"{', '.join(map(str, list(records)[:20]))}.",
                details={"found": [str(k) for k in list(records)[:20]]},
            )
        records = inner
    if not isinstance(records, list):
        raise MalformedJSONError(
            'Expected a JSON array of records or {"data": [...]}, '
            f"got a JSON {type(records).__name__}."
        )
    if not records:
        raise EmptyFileError("The JSON holds no records.")
    if len(records) > options.max_rows:
        raise TooManyRowsError(
            f"The data has {len(records):,} records; the limit is {options.max_rows:,}.",
            details={"rows": len(records), "limit": options.max_rows},
        )
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise MalformedJSONError(
                f"Record {index + 1} is a JSON {type(record).__name__}, not an object.",
                details={"row": index + 1},
            )
    if any(isinstance(v, dict | list) for record in records for v in record.values()):
        records = [_flat_record(record) for record in records]
    frame = pd.DataFrame.from_records(records)
    frame.columns = _unique([str(c) for c in frame.columns])
    frame = frame.astype(object)
    plan = plan_columns(list(frame.columns), options)
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    source = Source("json", filename, encoding, rows_received=len(records))
    return _finish(frame, rows, plan, options, source)


def _flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """Nested objects and arrays as their JSON text: a bad cell, reported like any other."""
    return {
        k: json.dumps(v, ensure_ascii=False)[:100] if isinstance(v, dict | list) else v
        for k, v in record.items()
    }


def _is_json(text: str, filename: str | None, content_type: str | None) -> bool:
    name = (filename or "").lower()
    kind = (content_type or "").lower()
    if name.endswith(".json") or "json" in kind:
        return True
    if name.endswith((".csv", ".tsv", ".txt")) or "csv" in kind:
        return False
    return text.lstrip()[:1] in ("[", "{")


def _field_count(line: str, delimiter: str) -> int:
    return re.sub(r'"[^"]*"', '""', line).count(delimiter) + 1


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter among ``, ; tab |`` that splits most lines into the same field count."""
    filled = [line for line in lines if line.strip()]
    best: tuple[int, int, int] | None = None
    chosen = ","
    for priority, delimiter in enumerate(DELIMITERS):
        counts = Counter(_field_count(line, delimiter) for line in filled)
        counts.pop(1, None)
        if not counts:
            continue
        fields, agree = counts.most_common(1)[0]
        score = (agree, fields, -priority)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def find_header(lines: list[str], delimiter: str, options: IngestOptions) -> int:
    """Index of the header line: the first that looks like one, else the first filled line."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise EmptyFileError("The file is empty.")
    for index in filled[:HEADER_SEARCH_LINES]:
        names = next(csv.reader([lines[index]], delimiter=delimiter), [])
        if looks_like_header([n.strip() for n in names], options):
            return index
    counts = Counter(_field_count(lines[i], delimiter) for i in filled)
    modal = counts.most_common(1)[0][0]
    return next(i for i in filled if _field_count(lines[i], delimiter) == modal)


def _parse_csv(text: str, options: IngestOptions, source: Source) -> Dataset:
    head = text[: 1 << 16]
    lines = LINE_BREAK.split(head)
    if len(text) > len(head) and len(lines) > 1:
        lines = lines[:-1]  # the last sampled line may be cut
    lines = lines[:200]
    delimiter = sniff_delimiter(lines)
    header_at = find_header(lines, delimiter, options)
    header = next(csv.reader([lines[header_at]], delimiter=delimiter))
    names = _unique([name.strip() for name in header])
    while len(names) > 1 and names[-1].startswith("column") and not header[-1].strip():
        names.pop()  # a trailing delimiter on the header line
    plan = plan_columns(names, options)
    titles = tuple(line.strip()[:200] for line in lines[:header_at] if line.strip())
    frame = _read_table(text, names, delimiter, header_at + 1, options)
    if len(frame) > options.max_rows:
        raise TooManyRowsError(
            f"The file has more than {options.max_rows:,} data rows.",
            details={"limit": options.max_rows},
        )
    blank = frame.isna().all(axis=1).to_numpy()
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        rows = rows[~blank]
    if len(frame) == 0:
        raise EmptyFileError("The file has a header but no data rows.")
    source = Source(
        "csv",
        source.filename,
        source.encoding,
        delimiter=delimiter,
        blank_rows=int(blank.sum()),
        rows_received=len(blank),
        title_lines=titles,
    )
    return _finish(frame, rows, plan, options, source)


def _read_table(
    text: str, names: list[str], delimiter: str, skip: int, options: IngestOptions
) -> pd.DataFrame:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=names,
                skiprows=skip,
                index_col=False,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                nrows=options.max_rows + 1,
                engine="c",
            )
    except pd.errors.EmptyDataError:
        raise EmptyFileError("The file has a header but no data rows.") from None
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        message = message.replace("Error tokenizing data. C error: ", "")
        raise MalformedCSVError(
            f"The CSV could not be read: {message}.", details={"error": message}
        ) from None
    if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
        raise MalformedCSVError(
            f"The CSV could not be read: a data row has more fields than the {len(names)} "
            "columns of the header.",
            details={"columns": len(names)},
        )
    return frame


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        label = name or "column"
        if label in seen:
            seen[label] += 1
            label = f"{label}.{seen[label]}"
        else:
            seen[label] = 0
        result.append(label)
    return result


def _rows_text(entries: list[BadEntry]) -> str:
    return ", ".join(str(entry[0]) for entry in entries)


def _likely_cause(reason: str, obs: Observations, column: str | None) -> str:
    texts = [e[3] for e in obs.bad_by_reason.get(reason, []) if e[3]]
    if reason == "invalid_date":
        if any(re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", t.strip()) for t in texts):
            return "dates are written day-first or month-first (31/03/2024); write YYYY-MM-DD"
        return f"the date column {column!r} holds other text; name it with date_column"
    if reason == "non_numeric_value":
        hint = other_locale_hint(texts)
        if hint:
            return f"the numbers are written another way: {hint}"
        return f"the value column {column!r} holds text; name the right one with value_column"
    if reason == "missing_value":
        return f"the value column {column!r} is mostly empty; name the right one with value_column"
    return "the category column is empty on these rows; name it with category_columns"


def _reject_or_fail(obs: Observations, options: IngestOptions, usable: int) -> None:
    """Raise when bad rows are not allowed, too many, or when nothing usable is left."""
    counts = obs.bad_counts
    if not counts:
        return
    bad = sum(counts.values())
    share = bad / max(obs.received, 1)
    too_many = share > options.max_bad_share
    if options.on_bad_rows == "skip" and usable > 0 and not too_many:
        return
    reject = options.on_bad_rows == "reject"
    if reject:
        lead = ""
    elif usable == 0:
        lead = "No usable rows are left: "
    else:
        lead = (
            f"{bad:,} of {obs.received:,} rows ({share:.0%}) cannot be used, more than the "
            f"{options.max_bad_share:.0%} allowed, so the file was not analysed: "
        )
    dates = counts.get("invalid_date", 0)
    values = counts.get("non_numeric_value", 0) + counts.get("missing_value", 0)
    by_reason = obs.bad_by_reason

    def cause(reason: str) -> str:
        column = next((e[1] for e in by_reason.get(reason, []) if e[1]), None)
        return "" if reject else f" Likely cause: {_likely_cause(reason, obs, column)}."

    if dates and (reject or dates >= values):
        examples = by_reason["invalid_date"]
        raise InvalidDatesError(
            f"{lead}{dates:,} row(s) have a date that could not be read (rows "
            f"{_rows_text(examples)}{', …' if dates > len(examples) else ''}; first value "
            f"{examples[0][3]!r}). Accepted formats: {ACCEPTED_DATES}.{cause('invalid_date')}",
            details={"rows": [e[0] for e in examples], "total": dates},
        )
    if values:
        examples = sorted(
            by_reason.get("non_numeric_value", []) + by_reason.get("missing_value", []),
            key=lambda e: e[0],
        )[:20]
        main = (
            "non_numeric_value"
            if counts.get("non_numeric_value", 0) >= counts.get("missing_value", 0)
            else "missing_value"
        )
        raise NonNumericValuesError(
            f"{lead}{values:,} value(s) are missing or not numbers (rows "
            f"{_rows_text(examples)}{', …' if values > len(examples) else ''}).{cause(main)}",
            details={"rows": [e[0] for e in examples], "total": values},
        )
    examples = by_reason.get("missing_category", [])
    missing = counts.get("missing_category", 0)
    raise InvalidRowsError(
        f"{lead}{missing:,} row(s) have no category (rows {_rows_text(examples)})."
        f"{cause('missing_category')}",
        details={"rows": [e[0] for e in examples], "total": missing},
    )


def select_categories(names: list[str], wanted: list[str] | None) -> list[str]:
    """The categories named in ``wanted`` (exact, else case-insensitive); all when empty."""
    if not wanted:
        return names
    exact = set(names)
    folded = {name.casefold(): name for name in names}
    picked: list[str] = []
    unknown: list[str] = []
    for name in wanted:
        match = name if name in exact else folded.get(name.casefold())
        if match is None:
            unknown.append(name)
        elif match not in picked:
            picked.append(match)
    if unknown:
        raise UnknownCategoryError(
            f"Unknown categor{'y' if len(unknown) == 1 else 'ies'}: "
            f"{', '.join(map(repr, unknown))}. Available: {', '.join(names[:50])}"
            f"{', …' if len(names) > 50 else ''}.",
            details={"unknown": unknown, "available": names[:200]},
        )
    return picked


def sort_order(
    code: npt.NDArray[np.int32], days: npt.NDArray[np.int64], value: npt.NDArray[np.float64]
) -> npt.NDArray[np.intp]:
    """Order by category, date, then value (ties only matter for duplicates being summed)."""
    if len(code) == 0:
        return np.arange(0, dtype=np.intp)
    low = int(days.min())
    key = code.astype(np.int64)
    key *= int(days.max()) - low + 1
    key += days
    key -= low
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    del key
    tie = ordered[1:] == ordered[:-1]
    if tie.any():
        # re-sort only the runs of equal (category, date) by value, for a deterministic sum
        starts = np.flatnonzero(np.r_[True, ~tie])
        lengths = np.diff(np.r_[starts, len(ordered)])
        run_id = np.repeat(np.arange(len(starts)), lengths)
        dup = lengths[run_id] > 1
        sub = np.flatnonzero(dup)
        within = np.lexsort((value[order[sub]], run_id[sub]))
        order[sub] = order[sub][within]
    return order


@dataclass
class _Merged:
    code: npt.NDArray[np.int32]
    days: IntArray
    value: npt.NDArray[np.float64]
    row: IntArray
    exact: int
    duplicates: int
    summed: int
    per_category: dict[int, CategoryIngest]


def _frame_of(
    code: npt.NDArray[np.int32], days: IntArray, value: Any, row: IntArray, **extra: Any
) -> pd.DataFrame:
    data: dict[str, Any] = {"code": code, "days": days, "value": value, "row": row}
    data.update({k: v for k, v in extra.items() if v is not None})
    return pd.DataFrame(data, copy=False)


def merge_rows(
    code: npt.NDArray[np.int32],
    days: IntArray,
    value: npt.NDArray[np.float64],
    row: IntArray,
    detail: npt.NDArray[np.int32] | None,
    extra: npt.NDArray[np.int32] | None,
    policy: str,
) -> _Merged:
    """Drop exact copies, apply the duplicates policy, sum over left-out category columns."""
    table = _frame_of(code, days, value, row, detail=detail, extra=extra)
    exact = table.duplicated([c for c in table.columns if c != "row"], keep="first").to_numpy()
    per: dict[int, dict[str, Any]] = {}
    if exact.any():
        for c, k in zip(*np.unique(code[exact], return_counts=True), strict=True):
            per.setdefault(int(c), {})["exact_duplicates"] = int(k)
        table = table.loc[~exact]
    key = ["code", "days"] + (["detail"] if detail is not None else [])
    repeated = table.duplicated(key, keep=False).to_numpy()
    duplicates = 0
    if repeated.any():
        dup = table.loc[repeated].sort_values([*key, "value"])  # a sum independent of order
        if policy == "reject":
            first = dup.sort_values("row")["row"].head(20).tolist()
            raise DuplicateRowsError(
                f"{len(dup):,} rows repeat the date and category of another row (rows "
                f"{', '.join(map(str, first))}). Remove them, or set duplicates to sum, mean "
                "or last.",
                details={"rows": first, "total": len(dup)},
            )
        groups = dup.groupby(key, sort=False)
        sizes = groups.size()
        duplicates = int((sizes - 1).sum())
        by_code = sizes.groupby(level="code")
        for c, part in by_code:
            dates = np.sort(part.index.get_level_values("days").unique().to_numpy())
            per.setdefault(int(str(c)), {}).update(
                duplicates=int((part - 1).sum()), duplicate_days=dates[:20].astype(np.int64)
            )
        agg = {"sum": "sum", "mean": "mean", "last": "last"}[policy]
        merged = groups.agg(value=("value", agg), row=("row", "min")).reset_index()
        if policy == "last":
            last_rows = dup.sort_values("row").groupby(key, sort=False).tail(1)
            merged = last_rows.drop(columns=["extra"], errors="ignore")
        table = pd.concat([table.loc[~repeated], merged], ignore_index=True)
    summed = 0
    if detail is not None:
        over = table.duplicated(["code", "days"], keep=False).to_numpy()
        if over.any():
            table = table.sort_values(["code", "days", "value"])
            grouped = table.groupby(["code", "days"], sort=False)
            sizes = grouped.size()
            summed = int((sizes - 1).sum())
            for c, part in sizes.groupby(level="code"):
                per.setdefault(int(str(c)), {})["summed_rows"] = int((part - 1).sum())
            table = grouped.agg(value=("value", "sum"), row=("row", "min")).reset_index()
    return _Merged(
        code=table["code"].to_numpy(dtype=np.int32),
        days=table["days"].to_numpy(dtype=np.int64),
        value=table["value"].to_numpy(dtype=np.float64),
        row=table["row"].to_numpy(dtype=np.int64),
        exact=int(exact.sum()),
        duplicates=duplicates,
        summed=summed,
        per_category={c: CategoryIngest(**fields) for c, fields in per.items()},
    )


def _finish(
    frame: pd.DataFrame,
    rows: IntArray,
    plan: ColumnPlan,
    options: IngestOptions,
    source: Source,
) -> Dataset:
    obs = build_observations(frame, rows, plan, options)
    _reject_or_fail(obs, options, int(obs.ok.sum()))
    if not obs.ok.any():
        raise EmptyFileError("The file has no data rows.")
    ok = obs.ok
    seen = np.bincount(obs.code[ok], minlength=len(obs.categories))
    names = sorted(obs.categories[i] for i in np.flatnonzero(seen).tolist())
    keep_names = select_categories(names, options.category)
    if len(keep_names) > options.max_categories:
        raise TooManyCategoriesError(
            f"The data has {len(keep_names):,} categories; the limit is "
            f"{options.max_categories:,}. Filter with the category option, or pick fewer "
            "category_columns.",
            details={"categories": len(keep_names), "limit": options.max_categories},
        )
    keep_sorted = sorted(keep_names)
    new_code = {name: i for i, name in enumerate(keep_sorted)}
    lookup = np.array([new_code.get(name, -1) for name in obs.categories], dtype=np.int32)
    code = lookup[obs.code]
    code[~ok] = -1
    use = np.flatnonzero(code >= 0)
    merged = merge_rows(
        code[use],
        obs.days[use],
        obs.value[use],
        obs.row[use],
        obs.detail[use] if obs.detail is not None else None,
        obs.extra[use] if obs.extra is not None else None,
        options.duplicates,
    )
    order = sort_order(merged.code, merged.days, merged.value)
    out = pd.DataFrame(
        {
            "row": merged.row[order].astype(np.int32),
            "date": merged.days[order].view("datetime64[D]").astype("datetime64[s]"),
            "category": pd.Categorical.from_codes(
                merged.code[order], dtype=pd.CategoricalDtype(keep_sorted)
            ),
            "value": merged.value[order],
        },
        copy=False,
    )
    gran_used = obs.granularity[use]
    granularity = "DMQY"[int(gran_used.min())] if len(gran_used) else "D"
    report = _report(obs, plan, options, source, merged, keep_sorted, len(names))
    per_category = {keep_sorted[c]: info for c, info in merged.per_category.items()}
    return Dataset(out, report, granularity, per_category)  # type: ignore[arg-type]


def _report(
    obs: Observations,
    plan: ColumnPlan,
    options: IngestOptions,
    source: Source,
    merged: _Merged,
    categories: list[str],
    found: int,
) -> IngestReport:
    bad_total = sum(obs.bad_counts.values())
    return IngestReport(
        source=source.kind,
        layout=plan.layout,
        filename=source.filename,
        encoding=source.encoding,
        delimiter=source.delimiter,
        decimal=options.decimal,
        number_formats=obs.number_formats,
        value_scale=options.value_scale,
        columns=ColumnsInfo(
            date=plan.date,
            category=plan.category,
            categories=plan.categories,
            summed_over=plan.summed_over,
            values=[str(v) for v in plan.values if str(v) not in obs.ignored_columns],
            measures=plan.measures,
            ignored=obs.ignored_columns,
        ),
        date_formats=obs.date_formats,
        rows_received=source.rows_received,
        blank_rows=source.blank_rows,
        title_lines=list(source.title_lines),
        total_rows=[SkippedRow(row=r, text=t) for r, t in obs.total_rows],
        note_rows=[SkippedRow(row=r, text=t) for r, t in obs.note_rows],
        observations_received=obs.received,
        empty_cells=obs.empty_cells,
        bad_rows=BadRowsReport(
            total=bad_total,
            by_reason=dict(sorted(obs.bad_counts.items())),
            first=[
                BadRow(row=r, column=c, reason=reason, value=t) for r, c, reason, t in obs.bad_first
            ],
        ),
        on_bad_rows=options.on_bad_rows,
        exact_duplicates=merged.exact,
        duplicates_policy=options.duplicates,
        duplicates_combined=merged.duplicates,
        rows_summed_over=merged.summed,
        observations_used=len(merged.code),
        categories=categories,
        category_filter=options.category,
        categories_filtered_out=found - len(categories),
    )


__all__ = [
    "AnalyticsInputError",
    "BadEntry",
    "CategoryIngest",
    "Dataset",
    "check_upload",
    "decode_text",
    "parse_records",
    "parse_upload",
    "select_categories",
    "sort_order",
]
