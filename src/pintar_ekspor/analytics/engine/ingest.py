"""Reading uploads (CSV or JSON, long or wide) into a validated :class:`Dataset`."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import (
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
from .options import IngestOptions
from .schemas import BadRow, BadRowsReport, ColumnsInfo, IngestReport
from .tabular import NA_TEXT, BadEntry, ColumnPlan, Observations, build_observations, plan_columns

DELIMITERS = (",", ";", "\t", "|")
ACCEPTED_DATES = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, Qn YYYY, YYYY or 'Mar 2024'"
BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class Dataset:
    """Validated observations of one upload, ready for analysis.

    ``frame`` has one row per valid observation, sorted by category, date and value:
    ``row`` (1-based data row in the upload), ``date`` (``datetime64[s]``), ``category``
    (categorical, categories sorted) and ``value`` (float64). Rows that were skipped are
    described in ``report.bad_rows``.
    """

    frame: pd.DataFrame
    report: IngestReport
    granularity: Literal["D", "M", "Q", "Y"]
    """Finest granularity the date labels were written in (``2024-03`` is monthly)."""

    @property
    def categories(self) -> list[str]:
        return list(self.report.categories)


def parse_upload(
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    options: IngestOptions | None = None,
) -> Dataset:
    """Parse an uploaded CSV or JSON file; raises :class:`AnalyticsInputError` subclasses."""
    options = options or IngestOptions()
    if len(data) > options.max_bytes:
        raise FileTooLargeError(
            f"The file is {len(data):,} bytes; the limit is {options.max_bytes:,} bytes.",
            details={"size": len(data), "limit": options.max_bytes},
        )
    _check_utf8(data)
    encoding = "utf-8-sig" if data.startswith(BOM) else "utf-8"
    body = data[len(BOM) :] if encoding == "utf-8-sig" else data
    if not body.strip():
        raise EmptyFileError("The file is empty.")
    if _is_json(body, filename, content_type):
        try:
            parsed = json.loads(body.decode("utf-8"), parse_constant=str)
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
        return parse_records(parsed, options, filename=filename, encoding=encoding)
    return _parse_csv(body, options, filename=filename, encoding=encoding)


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
    frame = pd.DataFrame.from_records(records)
    frame.columns = [str(c) for c in frame.columns]
    plan = plan_columns(list(frame.columns), options)
    for column in plan.date + ([plan.category] if plan.category else []):
        frame[column] = frame[column].astype(object)
    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    return _finish(
        frame,
        rows,
        plan,
        options,
        source="json",
        filename=filename,
        encoding=encoding,
        delimiter=None,
        blank_rows=0,
        rows_received=len(records),
    )


def _check_utf8(data: bytes) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    chunk = 1 << 20
    start = 0
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        position = start + exc.start
        line = data.count(b"\n", 0, position) + 1
        raise InvalidEncodingError(
            f"The file is not valid UTF-8 (byte {position:,}, line {line}); save it as UTF-8.",
            details={"byte": position, "line": line},
        ) from None


def _is_json(body: bytes, filename: str | None, content_type: str | None) -> bool:
    name = (filename or "").lower()
    kind = (content_type or "").lower()
    if name.endswith(".json") or "json" in kind:
        return True
    if name.endswith((".csv", ".tsv", ".txt")) or "csv" in kind:
        return False
    return body.lstrip()[:1] in (b"[", b"{")


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter among ``, ; tab |`` that splits every sampled line like the header."""
    cleaned = [re.sub(r'"[^"]*"', '""', line) for line in lines if line.strip()]
    if not cleaned:
        return ","
    header, data = cleaned[0], cleaned[1:] or cleaned[:1]
    best: tuple[float, int, int] | None = None
    chosen = ","
    for priority, delimiter in enumerate(DELIMITERS):
        expected = header.count(delimiter)
        if expected == 0:
            continue
        agree = sum(line.count(delimiter) == expected for line in data) / len(data)
        score = (agree, expected, -priority)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _parse_csv(
    body: bytes, options: IngestOptions, *, filename: str | None, encoding: str
) -> Dataset:
    head = body[: 1 << 16].decode("utf-8", errors="ignore")
    lines = head.splitlines()
    if len(body) > len(head.encode()) and len(lines) > 1:
        lines = lines[:-1]  # the last sampled line may be cut
    lines = lines[:100]
    delimiter = sniff_delimiter(lines)
    first = next((line for line in lines if line.strip()), "")
    header = next(csv.reader([first], delimiter=delimiter))
    names = _unique([name.strip() for name in header])
    plan = plan_columns(names, options)
    text_cols = set(plan.date) | ({plan.category} if plan.category else set())
    dtype = dict.fromkeys(text_cols, "category")
    na_values = {name: ([""] if name in text_cols else NA_TEXT) for name in names}
    skip = next(i for i, line in enumerate(lines) if line.strip()) + 1
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(body),
                sep=delimiter,
                header=None,
                names=names,
                skiprows=skip,
                index_col=False,
                dtype=dtype,
                keep_default_na=False,
                na_values=na_values,
                decimal=options.decimal,
                skip_blank_lines=False,
                nrows=options.max_rows + 1,
                encoding="utf-8",
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
    return _finish(
        frame,
        rows,
        plan,
        options,
        source="csv",
        filename=filename,
        encoding=encoding,
        delimiter=delimiter,
        blank_rows=int(blank.sum()),
        rows_received=len(blank),
    )


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


def _reject_or_fail(obs: Observations, options: IngestOptions, usable: int) -> None:
    """Raise when bad rows are not allowed, or when nothing usable is left."""
    counts = obs.bad_counts
    if not counts:
        return
    if options.on_bad_rows == "skip" and usable > 0:
        return
    reject = options.on_bad_rows == "reject"
    lead = "" if reject else "No usable rows are left: "
    dates = counts.get("invalid_date", 0)
    values = counts.get("non_numeric_value", 0) + counts.get("missing_value", 0)
    by_reason = obs.bad_by_reason
    if dates and (reject or dates >= values):
        examples = by_reason["invalid_date"]
        raise InvalidDatesError(
            f"{lead}{dates:,} row(s) have a date that could not be read (rows "
            f"{_rows_text(examples)}{', …' if dates > len(examples) else ''}; first value "
            f"{examples[0][3]!r}). Accepted formats: {ACCEPTED_DATES}.",
            details={"rows": [e[0] for e in examples], "total": dates},
        )
    if values:
        examples = sorted(
            by_reason.get("non_numeric_value", []) + by_reason.get("missing_value", []),
            key=lambda e: e[0],
        )[:20]
        raise NonNumericValuesError(
            f"{lead}{values:,} value(s) are missing or not numbers (rows "
            f"{_rows_text(examples)}{', …' if values > len(examples) else ''}).",
            details={"rows": [e[0] for e in examples], "total": values},
        )
    examples = by_reason.get("missing_category", [])
    missing = counts.get("missing_category", 0)
    raise InvalidRowsError(
        f"{lead}{missing:,} row(s) have no category (rows {_rows_text(examples)}).",
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


def _finish(
    frame: pd.DataFrame,
    rows: np.ndarray[Any, np.dtype[np.int64]],
    plan: ColumnPlan,
    options: IngestOptions,
    *,
    source: Literal["csv", "json"],
    filename: str | None,
    encoding: str | None,
    delimiter: str | None,
    blank_rows: int,
    rows_received: int,
) -> Dataset:
    obs = build_observations(frame, rows, plan, options)
    _reject_or_fail(obs, options, int(obs.ok.sum()))
    if not obs.ok.any():
        raise EmptyFileError("The file has no data rows.")
    ok = obs.ok
    all_ok = bool(ok.all())
    seen = np.bincount(obs.code if all_ok else obs.code[ok], minlength=len(obs.categories))
    names = sorted(obs.categories[i] for i in np.flatnonzero(seen).tolist())
    keep_names = select_categories(names, options.category)
    if len(keep_names) > options.max_categories:
        raise TooManyCategoriesError(
            f"The data has {len(keep_names):,} categories; the limit is "
            f"{options.max_categories:,}. Filter with the category option.",
            details={"categories": len(keep_names), "limit": options.max_categories},
        )
    keep_sorted = sorted(keep_names)
    new_code = {name: i for i, name in enumerate(keep_sorted)}
    lookup = np.array([new_code.get(name, -1) for name in obs.categories], dtype=np.int32)
    code = lookup[obs.code]
    if not all_ok:
        code[~ok] = -1
    keep = code >= 0
    use: npt.NDArray[np.bool_] | slice = slice(None) if bool(keep.all()) else keep
    code = code[use]
    days, value = obs.days[use], obs.value[use]
    order = sort_order(code, days, value)
    out = pd.DataFrame(
        {
            "row": obs.row[use][order].astype(np.int32),
            "date": days[order].view("datetime64[D]").astype("datetime64[s]"),
            "category": pd.Categorical.from_codes(
                code[order], dtype=pd.CategoricalDtype(keep_sorted)
            ),
            "value": value[order],
        },
        copy=False,
    )
    del order, code, days, value
    gran_used = obs.granularity[use]
    granularity = "DMQY"[int(gran_used.min())] if len(gran_used) else "D"
    bad_total = sum(obs.bad_counts.values())
    report = IngestReport(
        source=source,
        layout=plan.layout,
        filename=filename,
        encoding=encoding,
        delimiter=delimiter,
        decimal=options.decimal,
        columns=ColumnsInfo(
            date=plan.date,
            category=plan.category,
            values=[str(v) for v in plan.values if str(v) not in obs.ignored_columns],
            ignored=obs.ignored_columns,
        ),
        date_formats=obs.date_formats,
        rows_received=rows_received,
        blank_rows=blank_rows,
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
        observations_used=len(out),
        categories=keep_sorted,
        category_filter=options.category,
        categories_filtered_out=len(names) - len(keep_sorted),
    )
    return Dataset(frame=out, report=report, granularity=granularity)  # type: ignore[arg-type]
