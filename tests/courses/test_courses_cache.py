"""The cached catalogue and anonymous course pages: never a draft, never an archived course,
never a stale title after an edit; ETag / If-None-Match and Cache-Control; the Redis-shared
generation that lets several processes drop their copies together."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from course_builders import add_course
from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.content_cache import ContentCache, etag_matches
from pintar_ekspor.courses.models import CourseStatus

CATALOGUE = "/api/v1/courses"
ADMIN = "/api/v1/admin/courses"


def _titles(response: httpx2.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def _committed_admin(engine: AsyncEngine, settings: Settings) -> dict[str, str]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        admin = await create_user(session, settings, role=Role.ADMIN)
        await session.commit()
    return auth_headers(settings, admin)


async def _draft_with_lesson(client: httpx2.AsyncClient, headers: dict[str, str]) -> Any:
    r = await client.post(ADMIN, json={"title": "Kopi Ekspor Cache"}, headers=headers)
    assert r.status_code == 201, r.text
    course = r.json()
    r = await client.post(f"{ADMIN}/{course['id']}/sections", json={"title": "S"}, headers=headers)
    assert r.status_code == 201, r.text
    lesson = {"title": "Bacaan", "kind": "text", "body_md": "Isi."}
    r = await client.post(
        f"{ADMIN}/{course['id']}/sections/{r.json()['id']}/lessons", json=lesson, headers=headers
    )
    assert r.status_code == 201, r.text
    return course


async def test_cached_catalogue_follows_publish_edit_archive(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    headers = await _committed_admin(engine, settings)
    assert _titles(await committed_client.get(CATALOGUE)) == []  # cached, empty
    course = await _draft_with_lesson(committed_client, headers)
    cid, slug = course["id"], course["slug"]

    # A draft never shows, even after the catalogue and its page were asked for (and cached).
    assert _titles(await committed_client.get(CATALOGUE)) == []
    assert (await committed_client.get(f"{CATALOGUE}/{slug}")).status_code == 404

    r = await committed_client.post(f"{ADMIN}/{cid}/publish", headers=headers)
    assert r.status_code == 200, r.text
    assert _titles(await committed_client.get(CATALOGUE)) == ["Kopi Ekspor Cache"]
    page = await committed_client.get(f"{CATALOGUE}/{slug}")
    assert page.json()["title"] == "Kopi Ekspor Cache"
    assert _titles(await committed_client.get(CATALOGUE)) == ["Kopi Ekspor Cache"]  # a hit

    r = await committed_client.patch(f"{ADMIN}/{cid}", json={"title": "Kakao"}, headers=headers)
    assert r.status_code == 200, r.text
    # An edit of a published course waits in its draft revision (issue 16) until published.
    assert _titles(await committed_client.get(CATALOGUE)) == ["Kopi Ekspor Cache"]
    r = await committed_client.post(f"{ADMIN}/{cid}/publish-changes", headers=headers)
    assert r.status_code == 200, r.text
    assert _titles(await committed_client.get(CATALOGUE)) == ["Kakao"]
    assert _titles(await committed_client.get(CATALOGUE, params={"q": "kakao"})) == ["Kakao"]
    assert (await committed_client.get(f"{CATALOGUE}/{slug}")).json()["title"] == "Kakao"
    assert (await committed_client.get(f"{CATALOGUE}/{cid}")).json()["title"] == "Kakao"

    r = await committed_client.post(f"{ADMIN}/{cid}/archive", headers=headers)
    assert r.status_code == 200, r.text
    assert _titles(await committed_client.get(CATALOGUE)) == []
    assert (await committed_client.get(f"{CATALOGUE}/{slug}")).status_code == 404


async def test_rows_written_outside_a_request_drop_the_cache(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    assert _titles(await client.get(CATALOGUE)) == []
    course = await add_course(db_session, "Rempah Nusantara")
    assert _titles(await client.get(CATALOGUE)) == ["Rempah Nusantara"]
    course.title = "Rempah Baru"
    await db_session.flush()
    assert _titles(await client.get(CATALOGUE)) == ["Rempah Baru"]
    course.status = CourseStatus.ARCHIVED
    await db_session.flush()
    assert _titles(await client.get(CATALOGUE)) == []


async def test_counts_follow_enrolments(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    course = await add_course(db_session, "Logistik Laut")
    first = (await client.get(CATALOGUE)).json()["items"][0]
    assert (first["enrollment_count"], first["lesson_count"]) == (0, 3)
    learner = await create_user(db_session, settings)
    r = await client.post(
        f"{CATALOGUE}/{course.id}/enroll", headers=auth_headers(settings, learner)
    )
    assert r.status_code == 201, r.text
    assert (await client.get(CATALOGUE)).json()["items"][0]["enrollment_count"] == 1


async def test_etag_and_cache_control(client: httpx2.AsyncClient, db_session: AsyncSession) -> None:
    course = await add_course(db_session, "Pembayaran L/C")
    for path in (CATALOGUE, f"{CATALOGUE}/{course.slug}"):
        first = await client.get(path)
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert "max-age=" in first.headers["cache-control"]
        assert "stale-while-revalidate=" in first.headers["cache-control"]
        assert "authorization" in first.headers["vary"].lower()
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        other = await client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200
        assert other.json() == first.json()
    before = (await client.get(CATALOGUE)).headers["etag"]
    course.title = "Pembayaran Ekspor"
    await db_session.flush()
    changed = await client.get(CATALOGUE, headers={"If-None-Match": before})
    assert changed.status_code == 200
    assert changed.headers["etag"] != before


async def test_signed_in_course_page_is_not_shared(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    course = await add_course(db_session, "Draf Admin", status=CourseStatus.DRAFT)
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    r = await client.get(f"{CATALOGUE}/{course.id}", headers=auth_headers(settings, admin))
    assert r.status_code == 200  # admins see drafts...
    assert "etag" not in r.headers
    assert (await client.get(f"{CATALOGUE}/{course.id}")).status_code == 404  # ...nobody else


def test_if_none_match_comparison() -> None:
    assert etag_matches('"a", W/"b"', '"b"')
    assert etag_matches("*", '"b"')
    assert not etag_matches('"a"', '"b"')
    assert not etag_matches(None, '"b"')


async def test_concurrent_misses_build_once_and_a_failed_build_is_not_shared() -> None:
    cache = ContentCache()
    calls: list[str] = []
    release = asyncio.Event()

    async def slow_build() -> bytes:
        calls.append("built")
        await release.wait()
        return b'{"items":[1]}'

    waiting = [asyncio.create_task(cache.get_or_build("catalogue:y", slow_build)) for _ in range(5)]
    await asyncio.sleep(0.01)
    release.set()
    entries = await asyncio.gather(*waiting)
    assert calls == ["built"]
    assert {entry.body for entry in entries} == {b'{"items":[1]}'}
    assert (cache.misses, cache.hits) == (1, 4)

    failing = asyncio.Event()

    async def broken_build() -> bytes:
        calls.append("broken")
        await failing.wait()
        raise RuntimeError("database went away")

    async def good_build() -> bytes:
        calls.append("rebuilt")
        return b'{"items":[2]}'

    first = asyncio.create_task(cache.get_or_build("catalogue:z", broken_build))
    await asyncio.sleep(0.01)
    second = asyncio.create_task(cache.get_or_build("catalogue:z", good_build))
    await asyncio.sleep(0.01)
    failing.set()
    with pytest.raises(RuntimeError):
        await first
    assert (await second).body == b'{"items":[2]}'  # the waiter built its own
    assert calls[-2:] == ["broken", "rebuilt"]


async def test_redis_generation_is_shared_between_processes(redis_url: str) -> None:
    from redis.asyncio import Redis

    prefix = f"pintar-test-content-{uuid.uuid4().hex}"  # runs in parallel share the server
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    try:
        await first.delete(f"{prefix}:generation")
        one, two = (
            ContentCache(redis=first, prefix=prefix),
            ContentCache(redis=second, prefix=prefix),
        )
        calls: list[str] = []

        async def build() -> bytes:
            calls.append("built")
            return b'{"items":[]}'

        entry = await one.get_or_build("catalogue:x", build)
        shared = await two.get_or_build("catalogue:x", build)  # filled by the other process
        assert shared.body == entry.body
        assert calls == ["built"]
        before = await two.generation()
        await one.note_commit({"pintar_content_changed": True})  # a commit in process one
        assert await two.generation() != before
        await two.get_or_build("catalogue:x", build)
        assert calls == ["built", "built"]
    finally:
        keys = [key async for key in first.scan_iter(match=f"{prefix}:*")]
        if keys:
            await first.delete(*keys)
        await first.aclose()
        await second.aclose()


@pytest.mark.parametrize("sort", ["newest", "title", "popularity"])
async def test_one_query_catalogue_matches_orm_listing(
    client: httpx2.AsyncClient, db_session: AsyncSession, sort: str
) -> None:
    for title, tags in (("Bea Cukai", ["dokumen", "ekspor"]), ("Asuransi", ["risiko"])):
        await add_course(db_session, title, tags=tags)
    await add_course(db_session, "Draf", status=CourseStatus.DRAFT)
    page = (await client.get(CATALOGUE, params={"sort": sort, "limit": 1, "offset": 1})).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    past_end = (await client.get(CATALOGUE, params={"offset": 5})).json()
    assert (past_end["items"], past_end["total"]) == ([], 2)
    everything = (await client.get(CATALOGUE, params={"sort": "title"})).json()["items"]
    assert [c["title"] for c in everything] == ["Asuransi", "Bea Cukai"]
    assert everything[1]["tags"] == ["dokumen", "ekspor"]
