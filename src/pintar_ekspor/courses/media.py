"""Lesson video files: admin uploads (MP4/WebM, sniffed) and the packaged demo videos.

Files are addressed by name, `<uuid>.<ext>` for uploads (unguessable, never reused, so they
are cached for a year) and `demo-<name>.webm` for the demo videos shipped in the package.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pintar_ekspor.core.errors import DomainError, NotFoundError, ValidationFailedError

DEMO_DIR = Path(__file__).parent / "demo_media"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,80}\.(mp4|webm)$")
CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
CHUNK = 1024 * 1024


class MediaTooLargeError(DomainError):
    status_code = 413
    code = "payload_too_large"


@dataclass(frozen=True)
class StoredMedia:
    name: str
    content_type: str
    size_bytes: int
    sha256: str

    @property
    def url(self) -> str:
        return f"/media/{self.name}"


def sniff(head: bytes) -> str | None:
    """`mp4` or `webm` from the first bytes of a file, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "webm"
    return None


def save_upload(source: BinaryIO, media_dir: Path, *, max_bytes: int) -> StoredMedia:
    """Copy an uploaded file to the media folder (blocking: call from a thread).

    The type comes from the bytes, not from the file name or the client's content type; the
    file appears under its final name only when complete (no half-written video is served).
    """
    head = source.read(64)
    kind = sniff(head)
    if kind is None:
        raise ValidationFailedError(
            "The file is not an MP4 or WebM video.", code="unsupported_media_type"
        )
    media_dir.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4()}.{kind}"
    partial = media_dir / f".{name}.part"
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with partial.open("wb") as out:
            out.write(head)
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise MediaTooLargeError(
                        f"The video is larger than {max_bytes // (1024 * 1024)} MB."
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(media_dir / name)
    finally:
        partial.unlink(missing_ok=True)
    return StoredMedia(name, CONTENT_TYPES[kind], size, digest.hexdigest())


def locate(name: str, media_dir: Path) -> tuple[Path, str]:
    """The file and content type behind a media name (uploads, then the demo videos)."""
    match = NAME_PATTERN.match(name)
    if match is None:
        raise NotFoundError("No such media file.", code="media_not_found")
    for folder in (media_dir, DEMO_DIR):
        path = folder / name
        if path.is_file():
            return path, CONTENT_TYPES[match.group(1)]
    raise NotFoundError("No such media file.", code="media_not_found")
