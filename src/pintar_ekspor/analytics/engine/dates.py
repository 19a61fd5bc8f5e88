"""Vectorised parsing of date labels into days since 1970-01-01.

Labels are parsed once per *distinct* label (callers factorise the column first), with one
regular expression per accepted format, so a million rows with ten thousand distinct dates
cost ten thousand parses. Accepted formats (after trimming; ``/`` and ``.`` are read as ``-``):

========================  ===============================  ==========================
format                    examples                         date used
========================  ===============================  ==========================
``YYYY-MM-DD``            2024-03-31, 2024/3/1              that day
``YYYY-MM-DD hh:mm[:ss]`` 2024-03-31T10:00:00+07:00        that day (time dropped)
``YYYY-MM``, ``MM-YYYY``  2024-03, 03/2024                 first day of the month
``Month YYYY``            Mar 2024, Maret 2024, 2024-Mei   first day of the month
``YYYY-Qn``, ``Qn YYYY``  2024-Q1, 2024 Q1, 2024Q1, Q1 2024  first day of the quarter
``YYYY``                  2024                             1 January
========================  ===============================  ==========================

Day-first or month-first dates such as ``31/03/2024`` are refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

GRANULARITY_RANK = {"D": 0, "M": 1, "Q": 2, "Y": 3}

MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("jan", "january", "januari"),
        ("feb", "february", "februari", "peb", "pebruari"),
        ("mar", "march", "maret"),
        ("apr", "april"),
        ("may", "mei"),
        ("jun", "june", "juni"),
        ("jul", "july", "juli"),
        ("aug", "august", "agu", "ags", "agt", "agustus"),
        ("sep", "sept", "september"),
        ("oct", "october", "okt", "oktober"),
        ("nov", "november", "nop", "nopember"),
        ("dec", "december", "des", "desember"),
    ],
    start=1,
):
    for _name in _names:
        MONTH_NAMES[_name] = _number

DateArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ParsedDates:
    """Result of :func:`parse_date_labels`, aligned with the input labels."""

    days: DateArray
    """Days since 1970-01-01 (meaningless where ``valid`` is false)."""
    valid: npt.NDArray[np.bool_]
    granularity: npt.NDArray[np.int8]
    """0 day, 1 month, 2 quarter, 3 year; -1 where invalid."""
    formats: dict[str, int]
    """How many labels each format matched."""


def month_start_days(year: npt.NDArray[np.int64], month: npt.NDArray[np.int64]) -> DateArray:
    """Days since epoch of the first day of ``month`` (1-12) of ``year``."""
    months = (year - 1970) * 12 + (month - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _ints(frame: pd.DataFrame, column: int) -> npt.NDArray[np.int64]:
    return np.asarray(frame[column].to_numpy(), dtype=np.int64)


def parse_date_labels(labels: npt.ArrayLike) -> ParsedDates:
    """Parse distinct date labels; see the module docstring for the formats."""
    raw = pd.Series(np.asarray(labels, dtype=object), dtype="str")
    size = len(raw)
    days = np.zeros(size, dtype=np.int64)
    valid = np.zeros(size, dtype=bool)
    granularity = np.full(size, -1, dtype=np.int8)
    formats: dict[str, int] = {}
    if size == 0:
        return ParsedDates(days, valid, granularity, formats)
    iso = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    exact = (iso.notna() & (raw.str.len() == 10)).to_numpy(dtype=bool)
    if exact.any():  # ISO days, the common case, parsed in C
        days[exact] = iso[exact].to_numpy().astype("datetime64[D]").astype(np.int64)
        valid[exact] = True
        granularity[exact] = 0
        formats["YYYY-MM-DD"] = int(exact.sum())
        if exact.all():
            return ParsedDates(days, valid, granularity, formats)
    text = raw.str.strip().str.replace(r"[/.]", "-", regex=True).str.upper()
    text = text.fillna("")

    def assign(
        name: str,
        mask: npt.NDArray[np.bool_],
        values: DateArray,
        ok: npt.NDArray[np.bool_],
        gran: int,
    ) -> None:
        where = np.flatnonzero(mask)[ok]
        days[where] = values[ok]
        valid[where] = True
        granularity[where] = gran
        if len(where):
            formats[name] = formats.get(name, 0) + len(where)

    def pending(pattern: str) -> npt.NDArray[np.bool_]:
        remaining = np.flatnonzero(~valid)
        matched = np.zeros(size, dtype=bool)
        if len(remaining):
            hits = text.iloc[remaining].str.fullmatch(pattern).fillna(False)
            matched[remaining[hits.to_numpy(dtype=bool)]] = True
        return matched

    def days_from_ymd(
        parts: pd.DataFrame, y: int, m: int, d: int
    ) -> tuple[DateArray, npt.NDArray[np.bool_]]:
        year, month, day = _ints(parts, y), _ints(parts, m), _ints(parts, d)
        ok = (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
        start = month_start_days(year, np.clip(month, 1, 12))
        result = start + day - 1
        # the day must stay inside its month (rejects 2023-02-30)
        same_month = result.astype("datetime64[D]").astype("datetime64[M]") == start.astype(
            "datetime64[D]"
        ).astype("datetime64[M]")
        return result, ok & same_month

    day_re = r"(\d{4})-(\d{1,2})-(\d{1,2})"
    mask = pending(day_re)
    if mask.any():
        parts = text[mask].str.extract(day_re)
        assign("YYYY-MM-DD", mask, *days_from_ymd(parts, 0, 1, 2), gran=0)

    datetime_re = day_re + r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    mask = pending(datetime_re)
    if mask.any():
        parts = text[mask].str.extract(datetime_re)
        assign("YYYY-MM-DD hh:mm", mask, *days_from_ymd(parts, 0, 1, 2), gran=0)

    for name, pattern, y_col, m_col in (
        ("YYYY-MM", r"(\d{4})-(\d{1,2})", 0, 1),
        ("MM-YYYY", r"(\d{1,2})-(\d{4})", 1, 0),
    ):
        mask = pending(pattern)
        if mask.any():
            parts = text[mask].str.extract(pattern)
            year, month = _ints(parts, y_col), _ints(parts, m_col)
            ok = (month >= 1) & (month <= 12)
            assign(name, mask, month_start_days(year, np.clip(month, 1, 12)), ok, gran=1)

    for pattern, y_col, name_col in (
        (r"([A-Z]+)\s*-?\s*(\d{4})", 1, 0),
        (r"(\d{4})\s*-?\s*([A-Z]+)", 0, 1),
    ):
        mask = pending(pattern)
        if mask.any():
            parts = text[mask].str.extract(pattern)
            month_f = parts[name_col].str.lower().map(MONTH_NAMES).to_numpy(dtype=float)
            ok = ~np.isnan(month_f)
            month = np.where(ok, month_f, 1).astype(np.int64)
            values = month_start_days(_ints(parts, y_col), month)
            assign("Month YYYY", mask, values, ok, gran=1)

    for name, pattern, y_col, q_col in (
        ("YYYY-Qn", r"(\d{4})\s*-?\s*Q([1-4])", 0, 1),
        ("Qn YYYY", r"Q([1-4])\s*-?\s*(\d{4})", 1, 0),
    ):
        mask = pending(pattern)
        if mask.any():
            parts = text[mask].str.extract(pattern)
            quarter = _ints(parts, q_col)
            values = month_start_days(_ints(parts, y_col), (quarter - 1) * 3 + 1)
            assign(name, mask, values, np.ones(len(values), dtype=bool), gran=2)

    mask = pending(r"\d{4}")
    if mask.any():
        year = np.asarray(text[mask].astype(np.int64).to_numpy(), dtype=np.int64)
        values = month_start_days(year, np.ones_like(year))
        assign("YYYY", mask, values, np.ones(len(values), dtype=bool), gran=3)

    return ParsedDates(days, valid, granularity, formats)


def days_to_iso(days: npt.ArrayLike) -> list[str]:
    """ISO ``YYYY-MM-DD`` strings for days since epoch."""
    stamps = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return list(np.datetime_as_string(stamps, unit="D").tolist())
