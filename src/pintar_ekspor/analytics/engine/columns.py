"""Column roles from the header: date (or year + month), category dimensions, value, measures.

Names are matched case-insensitively after trimming, with spaces and punctuation read as
``_`` (``Nilai FOB (US$)`` → ``nilai_fob_us``). A name matches a role when it equals one of
the role's synonyms or its first word is one (``Negara Tujuan``, ``Kode HS``,
``Berat Bersih (Kg)``); explicit options win over guesses.

* **date**: one date column, or a year column plus a month column (``Tahun`` + ``Bulan``);
* **category dimensions**: columns named like a category (HS code, country, product, port,
  province …). By default the first one names the series and the others are summed over
  (reported, never as "duplicates"); ``category_columns`` picks one or several (several make
  one series per combination, e.g. HS code × destination);
* **value**: the first column named like a trade value (``nilai``, ``fob``, ``value``, ``usd``);
* **measures**: other numeric quantities recognised by name (``Berat Bersih (Kg)``, volume,
  quantity, or a second value column); reported, analysed only when picked as value_column.

Without a category column the file is long with one series (``total``) when it has a value
column, otherwise wide (a date column plus one numeric column per category).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import MissingColumnsError
from .options import IngestOptions

FULL_DATE_NAMES = ("date", "tanggal", "tgl", "periode", "period", "time", "waktu")
MONTH_NAMES = ("month", "bulan", "bln")
YEAR_NAMES = ("tahun", "year", "thn")
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
    "hs",
    "hs_code",
    "kode_hs",
    "kode",
    "code",
    "tujuan",
    "destination",
    "pelabuhan",
    "port",
    "provinsi",
    "province",
    "partner",
    "mitra",
    "sektor",
    "sector",
    "uraian",
    "description",
    "deskripsi",
    "jenis",
    "wilayah",
    "region",
    "benua",
    "continent",
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
    "us",
    "nilai_ekspor",
    "export_value",
    "ekspor",
    "export",
    "cif",
)
MEASURE_NAMES = (
    "berat",
    "berat_bersih",
    "netto",
    "neto",
    "weight",
    "net_weight",
    "bruto",
    "gross_weight",
    "volume",
    "kg",
    "ton",
    "quantity",
    "qty",
    "kuantitas",
    "jumlah_barang",
    "volume_kg",
)


def normalise_name(name: object) -> str:
    """Column name as matched against the synonym lists."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def _matches(name: str, synonyms: tuple[str, ...]) -> bool:
    norm = normalise_name(name)
    if norm in synonyms:
        return True
    first = norm.split("_", 1)[0]
    return bool(first) and first in synonyms


@dataclass(frozen=True)
class ColumnPlan:
    """Which columns play which role."""

    layout: Literal["long", "wide"]
    date: list[str]
    """One column, or ``[year, month]`` when the date is split over two columns."""
    categories: list[str]
    """Dimension columns that name a series (several: one series per combination)."""
    values: list[str]
    """The value column (long) or the category columns (wide)."""
    ignored: list[str]
    summed_over: list[str]
    """Category-like columns left out by ``category_columns``: values are summed over them."""
    measures: list[str]
    """Other quantities recognised by name (not analysed unless picked as value_column)."""

    @property
    def category(self) -> str | None:
        return " + ".join(self.categories) if self.categories else None


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


def _first(names: list[str], synonyms: tuple[str, ...], taken: set[str]) -> str | None:
    exact = [n for n in names if n not in taken and normalise_name(n) in synonyms]
    if exact:
        return min(exact, key=lambda n: synonyms.index(normalise_name(n)))
    loose = [n for n in names if n not in taken and _matches(n, synonyms)]
    return loose[0] if loose else None


def _date_columns(names: list[str], options: IngestOptions) -> list[str]:
    if options.date_columns:
        return [_explicit(names, c, "date") or "" for c in options.date_columns]
    explicit = _explicit(names, options.date_column, "date")
    if explicit is not None:
        return [explicit]
    full = _first(names, FULL_DATE_NAMES, set())
    year = _first(names, YEAR_NAMES, set())
    month = _first(names, MONTH_NAMES, set())
    if full is not None:
        return [full]
    if year is not None and month is not None:
        return [year, month]
    if month is not None or year is not None:
        return [month or year or ""]
    raise MissingColumnsError(
        "No date column found. Expected a column named one of "
        f"{', '.join(DATE_NAMES)} (or Tahun + Bulan); found: "
        f"{', '.join(map(str, names)) or 'none'}. Name it with date_column.",
        details={"expected": {"date": list(DATE_NAMES)}, "found": names},
    )


def _category_columns(
    names: list[str], options: IngestOptions, taken: set[str]
) -> tuple[list[str], list[str]]:
    """The dimension columns used, and the category-like ones summed over."""
    found = [n for n in names if n not in taken and _matches(n, CATEGORY_NAMES)]
    requested = list(options.category_columns or [])
    if options.category_column:
        requested.append(options.category_column)
    if not requested:  # the first dimension; the others are summed over (and reported)
        return found[:1], found[1:]
    used = list(dict.fromkeys(_explicit(names, c, "category") or "" for c in requested))
    clash = [c for c in used if c in taken]
    if clash:
        raise MissingColumnsError(
            f"Column {clash[0]!r} cannot be both a date and a category column.",
            details={"found": names},
        )
    return used, [n for n in found if n not in used]


def plan_columns(names: list[str], options: IngestOptions) -> ColumnPlan:
    """Decide long or wide layout and the role of each column, from the header alone."""
    date_cols = _date_columns(names, options)
    taken = set(date_cols)
    explicit_value = _explicit(names, options.value_column, "value")
    if explicit_value is not None:
        taken.add(explicit_value)
    categories, summed_over = _category_columns(names, options, taken)
    if explicit_value in categories:
        raise MissingColumnsError(
            f"Column {explicit_value!r} cannot be both the value and a category column.",
            details={"found": names},
        )
    taken.update(categories)
    taken.update(summed_over)
    value = explicit_value or _first(names, VALUE_NAMES, taken)
    rest = [n for n in names if n not in taken and n != value]
    measures = [n for n in rest if _matches(n, VALUE_NAMES) or _matches(n, MEASURE_NAMES)]
    if categories:
        others = [n for n in rest if n not in measures]
        if value is None and len(rest) == 1:
            value, rest, measures, others = rest[0], [], [], []
        guessed = not (options.category_columns or options.category_column)
        loose = not any(normalise_name(c) in CATEGORY_NAMES for c in categories)
        if value is None and guessed and loose and len(rest) + len(categories) >= 2:
            # "Produk A, Produk B": category-like names of a wide file's columns
            wide = [n for n in names if n not in date_cols]
            return ColumnPlan("wide", date_cols, [], wide, [], [], [])
        if value is None:
            raise MissingColumnsError(
                "No value column found. Expected a column named like "
                f"{', '.join(VALUE_NAMES)}; found: {', '.join(map(str, names))}. Name it "
                "with value_column.",
                details={"expected": {"value": list(VALUE_NAMES)}, "found": names},
            )
        return ColumnPlan("long", date_cols, categories, [value], others, summed_over, measures)
    if value is not None:
        others = [n for n in rest if n not in measures]
        return ColumnPlan("long", date_cols, [], [value], others, summed_over, measures)
    if not rest:
        raise MissingColumnsError(
            "No value columns found: a long file needs date, category and value columns "
            f"(value named like {', '.join(VALUE_NAMES)}), a wide file a date column and "
            f"one numeric column per category; found: {', '.join(map(str, names))}.",
            details={
                "expected": {"category": list(CATEGORY_NAMES), "value": list(VALUE_NAMES)},
                "found": names,
            },
        )
    return ColumnPlan("wide", date_cols, [], rest, [], summed_over, [])


def looks_like_header(names: list[str], options: IngestOptions) -> bool:
    """True when a line could be the header: two named cells and a recognisable date."""
    filled = [n for n in names if n.strip()]
    if len(filled) < 2:
        return False
    wanted = [options.date_column, *(options.date_columns or [])]
    explicit = {normalise_name(w) for w in wanted if w}
    return any(_matches(n, DATE_NAMES) or normalise_name(n) in explicit for n in filled)
