"""Lesson videos: admin uploads sniffed and stored, streamed with range requests, the demo
videos packaged with their transcripts, and media URLs accepted as lesson video URLs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import assert_problem
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo import seed_demo_courses
from pintar_ekspor.courses.media import DEMO_DIR, MediaTooLargeError, save_upload
from pintar_ekspor.courses.models import Lesson, LessonKind
from pintar_ekspor.courses.schemas import LessonCreate

API = "/api/v1"
DEMO = DEMO_DIR / "demo-alur-ekspor.webm"


def _upload(content: bytes, name: str = "video.webm") -> dict[str, Any]:
    return {"file": (name, content, "video/webm")}


async def test_admin_uploads_a_video_that_streams_with_ranges(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], settings: Settings
) -> None:
    content = DEMO.read_bytes()
    r = await client.post(f"{API}/admin/media", files=_upload(content), headers=admin_headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["content_type"] == "video/webm"
    assert body["size_bytes"] == len(content)
    assert body["url"] == f"/media/{body['name']}"
    assert (settings.media_dir / body["name"]).read_bytes() == content

    whole = await client.get(body["url"])
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/webm"
    assert whole.headers["accept-ranges"] == "bytes"
    assert "immutable" in whole.headers["cache-control"]
    assert whole.content == content

    part = await client.get(body["url"], headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(content)}"
    assert part.content == content[100:200]


async def test_only_admins_upload_and_only_videos(
    client: httpx2.AsyncClient,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    content = DEMO.read_bytes()
    assert_problem(await client.post(f"{API}/admin/media", files=_upload(content)), 401)
    assert_problem(
        await client.post(f"{API}/admin/media", files=_upload(content), headers=learner_headers),
        403,
    )
    fake = b"<html>" + b"x" * 200  # named .webm, sent as video/webm: the bytes decide
    assert_problem(
        await client.post(f"{API}/admin/media", files=_upload(fake), headers=admin_headers),
        422,
        code="unsupported_media_type",
    )


def test_an_oversized_video_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(MediaTooLargeError):
        save_upload(io.BytesIO(DEMO.read_bytes()), tmp_path, max_bytes=20_000)
    assert list(tmp_path.iterdir()) == []


async def test_unknown_and_malformed_names_are_404(client: httpx2.AsyncClient) -> None:
    assert_problem(await client.get("/media/00000000-0000-0000-0000-000000000000.mp4"), 404)
    assert_problem(await client.get("/media/..%2Fpintar_ekspor.db"), 404)
    assert_problem(await client.get("/media/demo-alur-ekspor.exe"), 404)


async def test_demo_videos_are_served_with_their_transcripts(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    await seed_demo_courses(db_session)
    videos = (await db_session.scalars(select(Lesson).where(Lesson.kind == LessonKind.VIDEO))).all()
    assert len(videos) == 4
    for lesson in videos:
        assert lesson.video_url is not None
        assert lesson.video_url.startswith("/media/demo-")
        assert "## Transkrip video" in lesson.body_md
        r = await client.get(lesson.video_url, headers={"Range": "bytes=0-3"})
        assert r.status_code == 206
        assert r.content == b"\x1a\x45\xdf\xa3"  # a WebM (EBML) file


def test_lesson_video_urls_accept_uploaded_media_only_as_paths() -> None:
    ok = LessonCreate(title="Video", kind=LessonKind.VIDEO, video_url="/media/abc-1.mp4")
    assert ok.video_url == "/media/abc-1.mp4"
    for bad in ("/etc/passwd", "/media/../x.mp4", "javascript:alert(1)", "/media/a.exe"):
        with pytest.raises(ValueError, match="absolute http"):
            LessonCreate(title="Video", kind=LessonKind.VIDEO, video_url=bad)
