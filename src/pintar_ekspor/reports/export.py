"""CSV export of a report: one section per table (`# name` line, header, rows).

Nested lists (a course's quizzes, cohorts, funnel) become their own sections, each row
prefixed with its parent's id. Cells follow the analytics export's rules (numbers as numbers, text
that a spreadsheet would run as a formula gets a leading quote). That helper is not imported:
the analytics engine is a separate pure library whose import loads the numeric stack.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

META = (
    "report",
    "privacy",
    "min_group_size",
    "date_from",
    "date_to",
    "granularity",
    "course_id",
    "generated_at",
    "total",
    "limit",
    "offset",
)
TRAILING = ("suppressed", "suppressed_fields")
PARENT_KEYS = ("course_id", "lesson_id", "api_key_id")


DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One CSV cell: numbers as numbers, booleans as true/false, None empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def _value(value: Any) -> Any:
    return ";".join(map(str, value)) if isinstance(value, list) else value


def _table(
    name: str, rows: Sequence[Mapping[str, Any]]
) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    nested = sorted(
        {
            k
            for row in rows
            for k, v in row.items()
            if isinstance(v, list) and any(isinstance(x, dict) for x in v)
        }
    )
    keys = [k for k in (rows[0] if rows else {}) if k not in nested]
    # The privacy flags read best after the figures they describe.
    header = [k for k in keys if k not in TRAILING] + [k for k in keys if k in TRAILING]
    yield name, header, [[_value(row.get(k)) for k in header] for row in rows]
    for key in nested:
        children: list[dict[str, Any]] = []
        for row in rows:
            parent = next((k for k in PARENT_KEYS if k in row), None)
            for child in row.get(key) or []:
                children.append({parent: row[parent], **child} if parent else dict(child))
        yield from _table(f"{name}.{key}", children)


def sections(body: Mapping[str, Any]) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    yield "report", list(META), [[body.get(k) for k in META]]
    for key, value in body.items():
        if key in META:
            continue
        if isinstance(value, dict):
            yield from _table(key, [value])
        elif isinstance(value, list):
            yield from _table(key, value)


def to_csv(body: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, (name, header, rows) in enumerate(sections(body)):
        if index:
            out.write("\n")
        out.write(f"# {name}\n")
        writer.writerow([cell(h) for h in header])
        writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()
