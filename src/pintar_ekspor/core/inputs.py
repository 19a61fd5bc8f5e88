"""Input that no text column can store: NUL characters.

PostgreSQL text cannot hold U+0000, so a NUL in any string (login e-mail, search term,
profile name, ...) used to reach the database and come back as a 500. `reject_nul_bytes`,
a dependency of the whole API router, answers 422 naming the field instead. JSON bodies are
scanned as bytes first (a NUL can only be written `\\u0000` in JSON), so the common case costs
one `bytes.find`; the body is parsed again only to name the field when the scan hits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from pintar_ekspor.core.errors import FieldError, ValidationFailedError

NUL = "\x00"
_JSON_NUL = b"\\u0000"


def _nul_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*path, key)
            yield from _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def _pairs_with_nul(pairs: list[tuple[str, str]], where: str) -> list[tuple[str | int, ...]]:
    return [(where, key) for key, value in pairs if NUL in key or NUL in value]


async def _body_paths(request: Request) -> list[tuple[str | int, ...]]:
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        body = await request.body()  # cached: FastAPI reads the same bytes for the route
        if _JSON_NUL not in body:
            return []
        try:
            return list(_nul_paths(json.loads(body), ("body",)))
        except ValueError:
            return []  # malformed JSON: the route's own parsing answers 400
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # cached: the route sees the same parsed form
        # Uploaded files are the analytics reader's business; text fields are ours.
        pairs = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
        return _pairs_with_nul(pairs, "body")
    return []


async def reject_nul_bytes(request: Request) -> None:
    """422 naming every query, path or body field that contains a NUL character."""
    paths = _pairs_with_nul(list(request.query_params.multi_items()), "query")
    paths += _pairs_with_nul(list(request.path_params.items()), "path")
    paths += await _body_paths(request)
    if not paths:
        return
    errors = [
        FieldError(
            loc=list(path),
            field=".".join(str(p) for p in path[1:]),
            message="must not contain NUL (U+0000) characters",
            type="nul_character",
        )
        for path in paths
    ]
    names = ", ".join(e.field for e in errors[:5])
    raise ValidationFailedError(
        f"The request is invalid: NUL characters are not allowed ({names}).",
        code="nul_character",
        extra={"errors": [e.model_dump() for e in errors]},
    )
