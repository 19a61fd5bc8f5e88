"""Numbers written as text, read per column with locale detection.

Every distinct text of a column is classified once (a million rows cost one pass over the
distinct texts) after spaces, no-break spaces, ``_``, ``'`` and a leading currency sign
(``US$``, ``$``, ``Rp``) are removed:

===============  ===================================  =====================================
class            examples                             reading
===============  ===================================  =====================================
plain            ``2512345``, ``-7``, ``1e6``         the same in every locale
Indonesian       ``2.512.345``, ``1.234.567,89``,     ``.`` groups thousands, ``,`` is the
                 ``2,25``, ``1234,5``                 decimal separator
English          ``1,234,567``, ``1,234.5``,          ``,`` groups thousands, ``.`` is the
                 ``12.5``, ``0.125``                  decimal separator
ambiguous        ``812.345``, ``1,250``               one group of exactly three digits:
                                                      thousands in one locale, decimals in
                                                      the other
===============  ===================================  =====================================

With ``decimal="auto"`` a column is Indonesian when it holds Indonesian texts, English when
it holds English ones (ambiguous texts then follow the column), and refused with
:class:`AmbiguousNumbersError` naming the column when it holds both, or only ambiguous
texts; a column is never half-read. With ``decimal=","`` or ``"."`` the locale is given and
texts of the other locale are invalid cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import AmbiguousNumbersError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Locale = Literal["plain", "id", "en"]

MAX_MAGNITUDE = 1e100
NA_TEXT = frozenset(["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "-", "—"])
"""Text read as a missing value in value columns."""

_CLEAN = re.compile(r"[\s\u00a0_']+")
_CURRENCY = re.compile(r"^([+-]?)(?:US\$|USD|Rp\.?|IDR|\$)", re.IGNORECASE)
_CLASSES = re.compile(
    r"(?P<plain>[+-]?\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<amb_dot>[+-]?[1-9]\d{0,2}\.\d{3})"
    r"|(?P<amb_comma>[+-]?[1-9]\d{0,2},\d{3})"
    r"|(?P<id>[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*,\d+))"
    r"|(?P<en>[+-]?(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*\.\d+(?:[eE][+-]?\d+)?))"
)
KINDS = ("plain", "amb_dot", "amb_comma", "id", "en")
_KIND_CODE = {name: code for code, name in enumerate(KINDS)}
INVALID = -1
MISSING = -2
LOCALE_LABEL = {
    "plain": "plain numbers",
    "id": "Indonesian format (1.234.567,89)",
    "en": "English format (1,234,567.89)",
}


@dataclass(frozen=True)
class ParsedNumbers:
    values: FloatArray
    missing: BoolArray
    invalid: BoolArray
    locale: Locale
    """How the column was read (``plain``: no separator decided anything)."""


def _classify(text: str) -> int:
    if text in NA_TEXT:
        return MISSING
    match = _CLASSES.fullmatch(text)
    if match is None or match.lastgroup is None:
        return INVALID
    return _KIND_CODE[match.lastgroup]


def _normalise(text: object) -> str:
    cleaned = _CLEAN.sub("", str(text))
    return _CURRENCY.sub(r"\1", cleaned)


def _decide(column: str, kinds: npt.NDArray[np.int8], texts: list[str], decimal: str) -> Locale:
    if decimal == ",":
        return "id"
    if decimal == ".":
        return "en"
    present = {KINDS[k] for k in np.unique(kinds).tolist() if k >= 0}

    def example(kind: str) -> str:
        return next(t for t, k in zip(texts, kinds.tolist(), strict=True) if k == _KIND_CODE[kind])

    if "id" in present and "en" in present:
        raise AmbiguousNumbersError(
            f"Column {column!r} mixes number formats: {example('id')!r} is written the "
            f"Indonesian way (1.234.567,89) and {example('en')!r} the English way "
            "(1,234,567.89). Write the column one way, or set decimal=',' or decimal='.' "
            "to say which is right (cells written the other way are then reported as bad).",
            details={"column": column, "examples": [example("id"), example("en")]},
        )
    if "id" in present:
        return "id"
    if "en" in present:
        return "en"
    ambiguous = [kind for kind in ("amb_dot", "amb_comma") if kind in present]
    if ambiguous:
        sample = example(ambiguous[0])
        raise AmbiguousNumbersError(
            f"Column {column!r} has numbers such as {sample!r} that read differently in "
            "Indonesian and English format (thousands or decimals). Set decimal=',' when "
            "',' is the decimal separator (Indonesian: 1.234.567,89) or decimal='.' when "
            "'.' is (English: 1,234,567.89).",
            details={"column": column, "examples": [sample]},
        )
    return "plain"


def parse_numbers(column: str, series: pd.Series, decimal: str) -> ParsedNumbers:
    """Numbers of one column: ``(values, missing, invalid, locale)``.

    Numeric dtypes pass through; text is read as the module docstring says. Booleans and
    nested JSON values (objects, arrays) are invalid. Magnitudes above ``1e100`` are invalid
    too: sums and squares of them would overflow to infinity, which JSON cannot carry.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        return _bounded(values, missing, "plain")
    obj = np.asarray(series.astype(object).where(series.notna(), None), dtype=object)
    codes, uniques = pd.factorize(obj, use_na_sentinel=True)
    n_unique = len(uniques)
    unique_values = np.full(n_unique, np.nan)
    unique_kind = np.full(n_unique, INVALID, dtype=np.int8)
    texts: list[str] = []
    text_index: list[int] = []
    for index, item in enumerate(uniques.tolist()):
        if type(item) is str:
            texts.append(item)
            text_index.append(index)
        elif isinstance(item, bool | np.bool_ | dict | list | tuple):
            continue
        elif isinstance(item, int | float | np.integer | np.floating):
            unique_values[index] = float(item)
            unique_kind[index] = MISSING if np.isnan(unique_values[index]) else 0
        else:
            texts.append(str(item))
            text_index.append(index)
    where = np.asarray(text_index, dtype=np.intp)
    kinds, cleaned = _classify_all(texts)
    unique_kind[where] = kinds
    usable = kinds >= 0
    locale = _decide(
        column, kinds[usable], [t for t, u in zip(cleaned, usable, strict=True) if u], decimal
    )
    unique_values[where] = _convert(cleaned, kinds, locale)
    unique_missing = unique_kind == MISSING
    unique_values[unique_missing] = np.nan
    safe = np.where(codes >= 0, codes, 0)
    if n_unique == 0:
        values = np.full(len(codes), np.nan)
        return _bounded(values, np.ones(len(codes), dtype=bool), locale)
    values = np.where(codes >= 0, unique_values[safe], np.nan)
    missing = (codes < 0) | unique_missing[safe]
    return _bounded(values, missing, locale)


_SIMPLE = "0123456789.,+-"


def _classify_all(texts: list[str]) -> tuple[npt.NDArray[np.int8], list[str]]:
    """Kind of every distinct text, and the text without spaces or currency signs.

    Digits-only texts and ``123.45``-like texts (the common cases) are classified with
    vectorised string functions; only the rest go through the regular expressions.
    """
    kinds = np.full(len(texts), INVALID, dtype=np.int8)
    if not texts:
        return kinds, []
    text = np.asarray(texts, dtype=np.str_)
    digits = np.strings.isdigit(text)
    dot = np.strings.find(text, ".")
    one_dot = (dot >= 0) & (np.strings.count(text, ".") == 1)
    decimal_like = (
        one_dot
        & np.strings.isdigit(np.strings.replace(text, ".", ""))
        & (np.strings.str_len(text) > dot + 1)
    )
    after = np.strings.str_len(text) - dot - 1
    ambiguous = (
        decimal_like & (dot >= 1) & (dot <= 3) & (after == 3) & ~np.strings.startswith(text, "0")
    )
    kinds[digits] = _KIND_CODE["plain"]
    kinds[decimal_like] = _KIND_CODE["en"]
    kinds[ambiguous] = _KIND_CODE["amb_dot"]
    cleaned = list(texts)
    for k in np.flatnonzero(~(digits | decimal_like)).tolist():
        item = texts[k]
        if item.strip(_SIMPLE):  # spaces, currency signs, letters: normalise first
            item = _normalise(item)
            cleaned[k] = item
        kinds[k] = _classify(item)
    return kinds, cleaned


def _convert(cleaned: list[str], kinds: npt.NDArray[np.int8], locale: Locale) -> FloatArray:
    """Floats of classified texts read in ``locale`` (vectorised); NaN where not a number."""
    if not cleaned:
        return np.zeros(0)
    text = np.asarray(cleaned, dtype=np.str_)
    thousands, decimal = (".", ",") if locale == "id" else (",", ".")
    readable = kinds >= 0
    if locale != "id":
        readable &= kinds != _KIND_CODE["id"]
    if locale != "en":
        readable &= kinds != _KIND_CODE["en"]
    plain = kinds == 0
    text = np.where(plain, text, np.strings.replace(text, thousands, ""))
    text = np.where(plain, text, np.strings.replace(text, decimal, "."))
    numbers = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce")
    values = np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.where(readable, values, np.nan)


def _bounded(values: FloatArray, missing: BoolArray, locale: Locale) -> ParsedNumbers:
    invalid = ~missing & ~(np.abs(values) <= MAX_MAGNITUDE)
    if invalid.any():
        values = np.where(invalid, np.nan, values)
    return ParsedNumbers(values, missing, invalid, locale)


def other_locale_hint(texts: list[str]) -> str | None:
    """A sentence naming the decimal setting that would read these invalid cells, if any."""
    kinds = {_classify(_normalise(t)) for t in texts}
    if _KIND_CODE["id"] in kinds:
        return "they look like Indonesian numbers (1.234.567,89): set decimal=','"
    if _KIND_CODE["en"] in kinds:
        return "they look like English numbers (1,234,567.89): set decimal='.'"
    return None
