"""Lesson videos: admins upload them (API), everyone streams them with range requests.

`/media/{name}` is mounted outside `/api/v1`: a video element fetches many byte ranges and
must not spend the API rate limit; names of uploads are random UUIDs.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Path, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from pintar_ekspor.accounts.dependencies import SignedInAdmin
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.deps import AppSettings, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.courses import media

admin = APIRouter(prefix="/admin/media", tags=["admin"])
public = APIRouter(tags=["media"])


class MediaRead(BaseModel):
    name: str
    url: str
    content_type: str
    size_bytes: int
    sha256: str


@admin.post(
    "",
    operation_id="uploadLessonVideo",
    status_code=201,
    response_model=MediaRead,
    responses=problem_responses(401, 403, 413, 422),
)
async def upload_video(
    session: DbSession, settings: AppSettings, _admin: SignedInAdmin, file: UploadFile
) -> MediaRead:
    """Upload an MP4 or WebM lesson video; use the answer's `url` as the lesson's video_url."""
    stored = await anyio.to_thread.run_sync(
        lambda: media.save_upload(
            file.file, settings.media_dir, max_bytes=settings.media_max_upload_bytes
        )
    )
    await audit.record_event(
        session,
        "MEDIA_UPLOADED",
        details={"name": stored.name, "size_bytes": stored.size_bytes, "sha256": stored.sha256},
    )
    return MediaRead(
        name=stored.name,
        url=stored.url,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
    )


@public.get(
    "/media/{name}",
    operation_id="getLessonVideo",
    response_class=FileResponse,
    responses={
        200: {"content": {"video/mp4": {}, "video/webm": {}}, "description": "The video"},
        206: {"description": "A byte range of the video (`Range` request)"},
        **problem_responses(404),
    },
)
async def get_video(
    settings: AppSettings, name: Annotated[str, Path(max_length=90)]
) -> FileResponse:
    """Stream a lesson video; `Range` requests answer 206 so players can seek."""
    path, content_type = media.locate(name, settings.media_dir)
    return FileResponse(
        path,
        media_type=content_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
