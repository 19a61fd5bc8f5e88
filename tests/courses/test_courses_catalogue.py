"""Public catalogue and outline: visibility, search/filter/sort/pagination, query counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, quiz_lesson, text_lesson, video_lesson
from factories import create_user
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.models import Course, CourseStatus
from pintar_ekspor.learning.models import Enrollment, EnrollmentStatus

LEVELS = ["beginner", "intermediate", "advanced"]
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def _spec(i: int) -> dict[str, Any]:
    """Course i of the 60-course catalogue; the attributes follow simple rules tests re-derive."""
    tags = ["ekspor"]
    if i % 5 == 0:
        tags.append("Incoterms")
    if i % 2 == 0:
        tags.append("dokumen")
    title = f"Kursus {i:02d} " + ("Pembayaran L/C" if i % 6 == 0 else "Dasar Ekspor")
    summary = "Belajar kopi dan rempah" if i % 7 == 0 else "Materi umum perdagangan"
    return {
        "title": title,
        "summary": summary,
        "level": LEVELS[i % 3],
        "language": "en" if i % 4 == 0 else "id",
        "tags": tags,
        "slug": f"kursus-{i:02d}",
    }


SPECS = [_spec(i) for i in range(60)]


def _expected(pred: Any) -> list[str]:
    return [s["slug"] for s in SPECS if pred(s)]


async def _seed_catalogue(session: AsyncSession, n: int = 60, lessons: int = 2) -> list[Course]:
    courses = []
    for i, spec in enumerate(SPECS[:n]):
        section = {"title": "Isi", "lessons": [text_lesson(f"L{j}") for j in range(lessons)]}
        courses.append(
            await add_course(
                session,
                published_at=BASE_TIME + timedelta(days=i),
                sections=[section],
                **spec,
            )
        )
    # Not published: never in the public catalogue, whatever the query.
    await add_course(session, "Draf Rahasia Ekspor", status=CourseStatus.DRAFT, tags=["ekspor"])
    await add_course(session, "Arsip Lama Ekspor", status=CourseStatus.ARCHIVED, tags=["ekspor"])
    return courses


async def _all_slugs(client: httpx2.AsyncClient, **params: Any) -> tuple[list[str], int]:
    slugs: list[str] = []
    offset = 0
    total = -1
    while True:
        r = await client.get("/api/v1/courses", params={**params, "limit": 25, "offset": offset})
        assert r.status_code == 200, r.text
        body = r.json()
        total = body["total"]
        slugs += [c["slug"] for c in body["items"]]
        offset += 25
        if offset >= total:
            return slugs, total


async def test_catalogue_totals_filters_and_pagination(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    await _seed_catalogue(db_session)

    slugs, total = await _all_slugs(client)
    assert total == 60
    assert slugs == [s["slug"] for s in reversed(SPECS)]  # newest first

    r = await client.get("/api/v1/courses", params={"limit": 10, "offset": 55})
    body = r.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (60, 10, 55, 5)

    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"level": "beginner"}, _expected(lambda s: s["level"] == "beginner")),
        ({"language": "en"}, _expected(lambda s: s["language"] == "en")),
        ({"tag": "incoterms"}, _expected(lambda s: "Incoterms" in s["tags"])),
        ({"tag": "  INCOTERMS "}, _expected(lambda s: "Incoterms" in s["tags"])),
        ({"q": "l/c"}, _expected(lambda s: "L/C" in s["title"])),
        ({"q": "KOPI"}, _expected(lambda s: "kopi" in s["summary"])),
        ({"q": "incoterm"}, _expected(lambda s: "Incoterms" in s["tags"])),
        (
            {"q": "dokumen kopi"},
            _expected(lambda s: "dokumen" in s["tags"] and "kopi" in s["summary"]),
        ),
        (
            {"q": "ekspor", "level": "advanced", "language": "id", "tag": "dokumen"},
            _expected(
                lambda s: (
                    s["level"] == "advanced" and s["language"] == "id" and "dokumen" in s["tags"]
                )
            ),
        ),
        ({"q": "rahasia"}, []),  # drafts are invisible
        ({"q": "arsip"}, []),  # archived courses left the catalogue
        ({"q": "%"}, []),  # LIKE wildcards are escaped
        ({"q": "_"}, []),
        ({"tag": "tidak-ada"}, []),
    ]
    for params, expected in cases:
        got, total = await _all_slugs(client, **params)
        assert total == len(expected), params
        assert sorted(got) == sorted(expected), params


async def test_catalogue_sorts(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    courses = await _seed_catalogue(db_session, n=8)
    slugs, _ = await _all_slugs(client, sort="title")
    assert slugs == sorted(slugs, key=lambda s: SPECS[int(s.split("-")[1])]["title"].lower())

    # Popularity = current enrolments: course 3 has 3, course 5 has 2 (+1 withdrawn),
    # course 1 has 1.
    users: list[User] = [await create_user(db_session, settings) for _ in range(4)]
    plan = {3: [0, 1, 2], 5: [0, 1], 1: [3]}
    for index, learners in plan.items():
        for u in learners:
            db_session.add(Enrollment(user_id=users[u].id, course_id=courses[index].id))
    db_session.add(
        Enrollment(user_id=users[3].id, course_id=courses[5].id, status=EnrollmentStatus.WITHDRAWN)
    )
    await db_session.flush()
    r = await client.get("/api/v1/courses", params={"sort": "popularity", "limit": 3})
    items = r.json()["items"]
    assert [c["slug"] for c in items] == ["kursus-03", "kursus-05", "kursus-01"]
    assert [c["enrollment_count"] for c in items] == [3, 2, 1]


async def test_catalogue_item_shape(client: httpx2.AsyncClient, db_session: AsyncSession) -> None:
    await add_course(
        db_session,
        "Incoterms 2020",
        tags=["Incoterms", "pembayaran"],
        level="intermediate",
        estimated_minutes=90,
        cover_image_url="https://img.example.com/c.png",
    )
    r = await client.get("/api/v1/courses")
    item = r.json()["items"][0]
    assert set(item) == {
        "id",
        "slug",
        "title",
        "summary",
        "level",
        "tags",
        "language",
        "estimated_minutes",
        "cover_image_url",
        "published_at",
        "lesson_count",
        "enrollment_count",
    }
    assert item["slug"] == "incoterms-2020"
    assert sorted(item["tags"]) == ["incoterms", "pembayaran"]
    assert item["lesson_count"] == 3
    assert item["enrollment_count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"limit": -1},
        {"limit": 0},
        {"limit": 101},
        {"offset": -5},
        {"level": "expert"},
        {"sort": "random"},
        {"language": "Indonesian"},
        {"q": "x" * 101},
    ],
)
async def test_catalogue_rejects_bad_query(
    client: httpx2.AsyncClient, params: dict[str, Any]
) -> None:
    r = await client.get("/api/v1/courses", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 422


async def test_outline_has_no_lesson_bodies_and_hides_drafts(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Dokumen Ekspor", description_md="# Deskripsi")
    draft = await add_course(db_session, "Kursus Draf", status=CourseStatus.DRAFT)

    for ref in (str(course.id), course.slug, course.slug.upper()):
        r = await client.get(f"/api/v1/courses/{ref}")
        assert r.status_code == 200, ref
    body = r.json()
    assert body["description_md"] == "# Deskripsi"
    assert body["is_enrolled"] is False
    assert body["enrollment"] is None
    assert body["progress"] is None
    assert [s["title"] for s in body["sections"]] == ["Bagian 1", "Bagian 2"]
    lesson = body["sections"][0]["lessons"][0]
    assert set(lesson) == {"id", "title", "kind", "position", "duration_minutes", "is_required"}
    assert "Isi pelajaran" not in r.text
    assert "SECRET-EXPLANATION" not in r.text
    assert "youtube" not in r.text

    for headers in ({}, learner_headers):
        r = await client.get(f"/api/v1/courses/{draft.id}", headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get(f"/api/v1/courses/{draft.slug}", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "draft"


async def test_outline_of_unknown_course_is_404(client: httpx2.AsyncClient) -> None:
    for ref in (str(uuid.uuid4()), "tidak-ada"):
        r = await client.get(f"/api/v1/courses/{ref}")
        assert r.status_code == 404
        assert r.json()["code"] == "course_not_found"


async def test_catalogue_query_count_does_not_grow(
    client: httpx2.AsyncClient, db_session: AsyncSession, query_counter: Any
) -> None:
    await _seed_catalogue(db_session, n=5)
    counts = []
    for params in ({"limit": 100}, {"limit": 100, "q": "ekspor", "sort": "popularity"}):
        query_counter.reset()
        query_counter.active = True
        r = await client.get("/api/v1/courses", params=params)
        query_counter.active = False
        assert r.status_code == 200
        assert r.json()["total"] == 5
        counts.append(query_counter.count)
    for i, spec in enumerate(SPECS[5:], start=5):
        await add_course(db_session, published_at=BASE_TIME + timedelta(days=i), **spec)
    for index, params in enumerate(
        ({"limit": 100}, {"limit": 100, "q": "ekspor", "sort": "popularity"})
    ):
        query_counter.reset()
        query_counter.active = True
        r = await client.get("/api/v1/courses", params=params)
        query_counter.active = False
        assert r.status_code == 200
        assert r.json()["total"] == 60
        assert query_counter.count == counts[index], query_counter.statements


async def test_outline_query_count_does_not_grow(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    query_counter: Any,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    small = await add_course(
        db_session, "Kecil", sections=[{"title": "A", "lessons": [text_lesson()]}]
    )
    big_sections = [
        {
            "title": f"Bagian {s}",
            "lessons": [text_lesson(f"T{s}-{i}") for i in range(6)]
            + [video_lesson(), quiz_lesson()],
        }
        for s in range(6)
    ]
    big = await add_course(db_session, "Besar", sections=big_sections)
    for course in (small, big):
        db_session.add(Enrollment(user_id=learner.id, course_id=course.id))
    await db_session.flush()

    counts = {}
    for course in (small, big):
        for who, headers in (("anonymous", {}), ("learner", learner_headers)):
            query_counter.reset()
            query_counter.active = True
            r = await client.get(f"/api/v1/courses/{course.slug}", headers=headers)
            query_counter.active = False
            assert r.status_code == 200
            counts[(course.title, who)] = query_counter.count
    assert counts[("Kecil", "anonymous")] == counts[("Besar", "anonymous")]
    assert counts[("Kecil", "learner")] == counts[("Besar", "learner")]
    assert len(r.json()["sections"]) == 6
