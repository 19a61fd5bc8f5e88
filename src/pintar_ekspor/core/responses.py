"""One-pass JSON: plain data (dicts of ids, enums, timezone-aware datetimes) straight to bytes.

orjson writes UUIDs, str enums and UTC datetimes (`...Z`) exactly as the Pydantic response
models do, so a hot route can build the response's plain data from typed rows and encode it
once, instead of ORM object -> Pydantic model -> dict -> JSON.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

_OPTIONS = orjson.OPT_UTC_Z


def _fallback(value: Any) -> str:
    # asyncpg hands back its own UUID type (uuid.UUID-like, not a subclass).
    if type(value).__name__ == "UUID":
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_bytes(data: Any) -> bytes:
    return orjson.dumps(data, option=_OPTIONS, default=_fallback)


class FastJSONResponse(Response):
    """A JSON response encoded by orjson (no validation: build it from typed data)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json_bytes(content)
