"""Uploads streamed to a temporary file: never held whole in the web process.

The body (or the multipart part) is written to disk chunk by chunk while its size and
SHA-256 are computed. A request's analysis worker reads the file itself (only its path
crosses the process boundary); a background job's payload is read from it once to be stored.

The size limit is not checked here. The request-body guard (`core.guards`, the analytics
routes' `ANALYTICS_MAX_UPLOAD_BYTES`) stops a body as soon as it passes the limit, so no more
is ever written; the engine's `UploadLimits.max_bytes` is the one check that refuses a file
as `file_too_large` (413), on every path (request, queued job, the engine used alone).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024


@dataclass
class StoredUpload:
    path: Path
    size: int
    sha256: str
    blank: bool  # nothing but whitespace

    def read(self) -> bytes:
        return self.path.read_bytes()

    def discard(self) -> None:
        _remove(self.path)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


async def spool(chunks: AsyncIterator[bytes]) -> StoredUpload:
    """Write the chunks to a temporary file (the body guard bounds how many there are).

    The writes are plain buffered file writes of request-sized chunks (they land in the
    page cache in microseconds), so they stay on the event loop."""
    digest = hashlib.sha256()
    size = 0
    blank = True
    fd, name = tempfile.mkstemp(prefix="pintar-upload-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                digest.update(chunk)
                blank = blank and not chunk.strip()
                out.write(chunk)
    except BaseException:
        _remove(path)
        raise
    return StoredUpload(path, size, digest.hexdigest(), blank)
