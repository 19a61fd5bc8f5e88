"""URL slugs for courses: generated from the title when missing, unique, never UUID-shaped."""

from __future__ import annotations

import re
import unicodedata
import uuid

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_SLUG_LENGTH = 120
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 80) -> str:
    """`"Dokumen Ekspor: Invoice & B/L"` -> `"dokumen-ekspor-invoice-b-l"` (ASCII only)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "course"


def looks_like_uuid(value: str) -> bool:
    """`/courses/{id_or_slug}` tries ids first, so a slug must never parse as one."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def first_free(base: str, taken: set[str]) -> str:
    """`base`, else `base-2`, `base-3`, ... (the first one not taken)."""
    if looks_like_uuid(base):
        base = f"{base}-course"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
