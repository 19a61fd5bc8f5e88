"""Admin authoring: drafts, publishing, slugs, sections/lessons CRUD, ordering, quiz rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import (
    QUIZ_QUESTIONS,
    add_course,
    lesson_ids,
    quiz_lesson,
    text_lesson,
    video_lesson,
)
from factories import assert_problem
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.courses.models import Course, Lesson, Section
from pintar_ekspor.learning.models import (
    Enrollment,
    EnrollmentStatus,
    LearningEvent,
    LearningVerb,
    LessonProgress,
)

API = "/api/v1/admin/courses"


async def _create(
    client: httpx2.AsyncClient, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    r = await client.post(API, json={"title": "Dasar Ekspor", **body}, headers=headers)
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def _section(
    client: httpx2.AsyncClient, headers: dict[str, str], course_id: str, title: str, **extra: Any
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/{course_id}/sections", json={"title": title, **extra}, headers=headers
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def _lesson(
    client: httpx2.AsyncClient,
    headers: dict[str, str],
    course_id: str,
    section_id: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    r = await client.post(
        f"{API}/{course_id}/sections/{section_id}/lessons", json=body, headers=headers
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def test_only_admins_author(
    client: httpx2.AsyncClient, learner_headers: dict[str, str], db_session: AsyncSession
) -> None:
    course = await add_course(db_session, "Kursus")
    calls = [
        ("GET", API, None),
        ("POST", API, {"title": "X"}),
        ("GET", f"{API}/{course.id}", None),
        ("PATCH", f"{API}/{course.id}", {"title": "Y"}),
        ("POST", f"{API}/{course.id}/publish", None),
        ("DELETE", f"{API}/{course.id}", None),
        ("POST", f"{API}/{course.id}/sections", {"title": "S"}),
    ]
    for method, url, body in calls:
        r = await client.request(method, url, json=body)
        assert_problem(r, 401)
        r = await client.request(method, url, json=body, headers=learner_headers)
        assert_problem(r, 403)
    assert (await db_session.get(Course, course.id)) is not None


async def test_create_draft_with_generated_unique_slugs(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await _create(
        client,
        admin_headers,
        title="Dokumen Ekspor: Invoice & B/L",
        tags=["Dokumen", "dokumen ", "B/L"],
    )
    assert first["status"] == "draft"
    assert first["published_at"] is None
    assert first["slug"] == "dokumen-ekspor-invoice-b-l"
    assert first["tags"] == ["b/l", "dokumen"]
    assert first["sections"] == []
    assert first["lesson_count"] == 0
    second = await _create(client, admin_headers, title="Dokumen  Ekspor — Invoice & B/L!")
    third = await _create(client, admin_headers, title="dokumen ekspor invoice b l")
    assert second["slug"] == "dokumen-ekspor-invoice-b-l-2"
    assert third["slug"] == "dokumen-ekspor-invoice-b-l-3"

    r = await client.post(API, json={"title": "Lain", "slug": first["slug"]}, headers=admin_headers)
    assert_problem(r, 409, "slug_taken")
    own = await _create(client, admin_headers, title="Lain", slug="kursus-pilihan")
    assert own["slug"] == "kursus-pilihan"

    # The draft is not in the public catalogue, but is in the admin list.
    r = await client.get("/api/v1/courses")
    assert r.json()["total"] == 0
    r = await client.get(API, params={"status": "draft"}, headers=admin_headers)
    assert r.json()["total"] == 4


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": ""},
        {"title": "Ok", "slug": "Bad Slug"},
        {"title": "Ok", "slug": str(uuid.uuid4())},
        {"title": "Ok", "status": "published"},  # mass assignment is closed
        {"title": "Ok", "level": "expert"},
        {"title": "Ok", "tags": ["x"] * 11},
        {"title": "Ok", "tags": ["x" * 41]},
        {"title": "Ok", "cover_image_url": "javascript:alert(1)"},
        {"title": "Ok", "estimated_minutes": -1},
    ],
)
async def test_create_rejects_bad_input(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], body: dict[str, Any]
) -> None:
    assert_problem(await client.post(API, json=body, headers=admin_headers), 422)


async def test_patch_publish_unpublish_archive(
    app: Any, client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first_published = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    app.state.clock = ManualClock(start=first_published.timestamp())
    course = await _create(client, admin_headers)
    cid = course["id"]
    r = await client.patch(
        f"{API}/{cid}",
        json={"summary": "Baru", "tags": ["Ekspor"], "level": "advanced", "cover_image_url": None},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert (r.json()["summary"], r.json()["tags"], r.json()["level"]) == (
        "Baru",
        ["ekspor"],
        "advanced",
    )
    assert_problem(
        await client.patch(f"{API}/{cid}", json={"title": None}, headers=admin_headers), 422
    )
    assert_problem(
        await client.patch(f"{API}/{cid}", json={"status": "published"}, headers=admin_headers), 422
    )

    # Publishing an empty course is refused.
    assert_problem(
        await client.post(f"{API}/{cid}/publish", headers=admin_headers), 409, "course_empty"
    )
    section = await _section(client, admin_headers, cid, "Pengantar")
    await _lesson(client, admin_headers, cid, section["id"], text_lesson())
    r = await client.post(f"{API}/{cid}/publish", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "published"
    published_at = r.json()["published_at"]
    assert datetime.fromisoformat(published_at) == first_published  # the app's clock
    app.state.clock.advance(3600)
    assert (await client.get("/api/v1/courses")).json()["total"] == 1

    r = await client.post(f"{API}/{cid}/unpublish", headers=admin_headers)
    assert r.json()["status"] == "draft"
    assert (await client.get("/api/v1/courses")).json()["total"] == 0
    assert_problem(await client.get(f"/api/v1/courses/{cid}"), 404)

    r = await client.post(f"{API}/{cid}/publish", headers=admin_headers)
    assert r.json()["published_at"] == published_at  # first publication date is kept
    r = await client.post(f"{API}/{cid}/archive", headers=admin_headers)
    assert r.json()["status"] == "archived"
    assert (await client.get("/api/v1/courses")).json()["total"] == 0

    r = await client.get(API, params={"status": "archived"}, headers=admin_headers)
    assert [c["id"] for c in r.json()["items"]] == [cid]


async def test_delete_destroys_only_courses_without_enrolments(
    client: httpx2.AsyncClient,
    admin_headers: dict[str, str],
    db_session: AsyncSession,
    learner: User,
) -> None:
    lonely = await add_course(db_session, "Tanpa Peserta")
    popular = await add_course(db_session, "Ada Peserta")
    db_session.add(Enrollment(user_id=learner.id, course_id=popular.id))
    await db_session.flush()

    r = await client.delete(f"{API}/{lonely.id}", headers=admin_headers)
    assert r.status_code == 204
    assert r.content == b""
    assert (
        await db_session.scalar(
            select(func.count()).select_from(Lesson).where(Lesson.course_id == lonely.id)
        )
        == 0
    )
    assert_problem(
        await client.get(f"{API}/{lonely.id}", headers=admin_headers), 404, "course_not_found"
    )

    r = await client.delete(f"{API}/{popular.id}", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "archived"
    assert r.json()["lesson_count"] == 3
    assert_problem(await client.delete(f"{API}/{uuid.uuid4()}", headers=admin_headers), 404)


async def test_delete_refused_by_an_enrolment_keeps_every_learning_row(
    client: httpx2.AsyncClient,
    admin_headers: dict[str, str],
    db_session: AsyncSession,
    learner: User,
) -> None:
    """The database decides delete-vs-archive (the enrolment's ON DELETE RESTRICT): the
    refused attempt, which had cascaded to lessons and progress, is undone as a whole, and a
    withdrawn enrolment still counts as somebody having enrolled."""
    course = await add_course(db_session, "Pernah Diikuti")
    first = lesson_ids(course)[0]
    db_session.add_all(
        [
            Enrollment(
                user_id=learner.id,
                course_id=course.id,
                status=EnrollmentStatus.WITHDRAWN,
                last_lesson_id=first,
            ),
            LessonProgress(user_id=learner.id, course_id=course.id, lesson_id=first),
            LearningEvent(
                user_id=learner.id,
                verb=LearningVerb.LESSON_VIEWED,
                course_id=course.id,
                lesson_id=first,
            ),
        ]
    )
    await db_session.flush()

    r = await client.delete(f"{API}/{course.id}", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "archived"
    assert r.json()["lesson_count"] == 3

    async def count(model: Any, *where: Any) -> int:
        return int(await db_session.scalar(select(func.count()).select_from(model).where(*where)))

    assert await count(Lesson, Lesson.course_id == course.id) == 3
    assert await count(LessonProgress, LessonProgress.lesson_id == first) == 1
    assert await count(LearningEvent, LearningEvent.lesson_id == first) == 1
    last = await db_session.scalar(
        select(Enrollment.last_lesson_id).where(Enrollment.course_id == course.id)
    )
    assert last == first


async def test_sections_crud_and_reorder(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], db_session: AsyncSession
) -> None:
    cid = (await _create(client, admin_headers))["id"]
    a = await _section(client, admin_headers, cid, "A")
    b = await _section(client, admin_headers, cid, "B")
    c = await _section(client, admin_headers, cid, "C", position=1)
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    assert [(s["title"], s["position"]) for s in course["sections"]] == [
        ("C", 1),
        ("A", 2),
        ("B", 3),
    ]

    r = await client.get(f"{API}/{cid}/sections/{a['id']}", headers=admin_headers)
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["position"], r.json()["lessons"]) == ("A", 2, [])
    r = await client.patch(
        f"{API}/{cid}/sections/{a['id']}", json={"title": "A2"}, headers=admin_headers
    )
    assert r.status_code == 200
    assert r.json()["title"] == "A2"

    r = await client.put(
        f"{API}/{cid}/sections/order",
        json={"section_ids": [a["id"], b["id"], c["id"]]},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert [s["title"] for s in r.json()["sections"]] == ["A2", "B", "C"]

    other = await add_course(db_session, "Kursus Lain")
    foreign = other.sections[0].id
    bad_orders = [
        [a["id"], b["id"]],  # missing one
        [a["id"], b["id"], c["id"], str(foreign)],  # a section of another course
        [a["id"], a["id"], b["id"], c["id"]],  # duplicate
    ]
    for ids in bad_orders:
        r = await client.put(
            f"{API}/{cid}/sections/order", json={"section_ids": ids}, headers=admin_headers
        )
        body = assert_problem(r, 422, "invalid_order")
        assert body["errors"]
    r = await client.put(
        f"{API}/{cid}/sections/order",
        json={"section_ids": [a["id"], b["id"], c["id"], str(foreign)]},
        headers=admin_headers,
    )
    assert str(foreign) in r.json()["detail"]

    # Another course's section cannot be renamed or deleted through this course.
    assert_problem(
        await client.patch(
            f"{API}/{cid}/sections/{foreign}", json={"title": "x"}, headers=admin_headers
        ),
        404,
        "section_not_found",
    )
    r = await client.delete(f"{API}/{cid}/sections/{b['id']}", headers=admin_headers)
    assert r.status_code == 204
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    assert [(s["title"], s["position"]) for s in course["sections"]] == [("A2", 1), ("C", 2)]
    assert await db_session.get(Section, foreign) is not None


async def test_lessons_crud_reorder_and_move(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], db_session: AsyncSession
) -> None:
    cid = (await _create(client, admin_headers))["id"]
    s1 = await _section(client, admin_headers, cid, "S1")
    s2 = await _section(client, admin_headers, cid, "S2")
    t = await _lesson(client, admin_headers, cid, s1["id"], text_lesson("Teks"))
    v = await _lesson(client, admin_headers, cid, s1["id"], video_lesson("Video"))
    q = await _lesson(client, admin_headers, cid, s1["id"], quiz_lesson("Kuis", position=1))
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    assert [(x["title"], x["position"]) for x in course["sections"][0]["lessons"]] == [
        ("Kuis", 1),
        ("Teks", 2),
        ("Video", 3),
    ]
    # The admin sees answers and explanations.
    assert q["questions"][0]["options"][0]["correct"] is True
    assert q["questions"][0]["explanation"].startswith("SECRET-EXPLANATION-1")
    assert q["pass_mark"] == 70
    assert q["max_attempts"] == 3

    r = await client.put(
        f"{API}/{cid}/sections/{s1['id']}/lessons/order",
        json={"lesson_ids": [t["id"], v["id"], q["id"]]},
        headers=admin_headers,
    )
    assert [x["title"] for x in r.json()["lessons"]] == ["Teks", "Video", "Kuis"]

    other = await add_course(db_session, "Kursus Lain")
    foreign_lesson = other.sections[0].lessons[0].id
    foreign_section = other.sections[0].id
    r = await client.put(
        f"{API}/{cid}/sections/{s1['id']}/lessons/order",
        json={"lesson_ids": [t["id"], v["id"], str(foreign_lesson)]},
        headers=admin_headers,
    )
    assert_problem(r, 422, "invalid_order")
    # A lesson of another course is not reachable through this course.
    for method in ("GET", "PATCH", "DELETE"):
        r = await client.request(
            method,
            f"{API}/{cid}/lessons/{foreign_lesson}",
            json={"title": "x"} if method == "PATCH" else None,
            headers=admin_headers,
        )
        assert_problem(r, 404, "lesson_not_found")
    r = await client.post(
        f"{API}/{cid}/lessons/{t['id']}/move",
        json={"section_id": str(foreign_section)},
        headers=admin_headers,
    )
    assert_problem(r, 404, "section_not_found")

    r = await client.post(
        f"{API}/{cid}/lessons/{v['id']}/move", json={"section_id": s2["id"]}, headers=admin_headers
    )
    assert r.status_code == 200
    assert r.json()["section_id"] == s2["id"]
    assert r.json()["position"] == 1
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    layout = [[(x["title"], x["position"]) for x in s["lessons"]] for s in course["sections"]]
    assert layout == [[("Teks", 1), ("Kuis", 2)], [("Video", 1)]]

    r = await client.patch(
        f"{API}/{cid}/lessons/{t['id']}",
        json={"body_md": "## Baru", "is_required": False},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert r.json()["body_md"] == "## Baru"
    assert r.json()["is_required"] is False
    # Turning a quiz into a text lesson drops the quiz settings.
    r = await client.patch(
        f"{API}/{cid}/lessons/{q['id']}",
        json={"kind": "text", "body_md": "Teks"},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert (r.json()["questions"], r.json()["pass_mark"], r.json()["max_attempts"]) == (
        None,
        None,
        None,
    )
    # ...and a text lesson cannot become a quiz without questions.
    r = await client.patch(
        f"{API}/{cid}/lessons/{q['id']}", json={"kind": "quiz"}, headers=admin_headers
    )
    assert_problem(r, 422, "invalid_lesson")

    r = await client.delete(f"{API}/{cid}/lessons/{t['id']}", headers=admin_headers)
    assert r.status_code == 204
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    assert [(x["title"], x["kind"]) for x in course["sections"][0]["lessons"]] == [("Kuis", "text")]
    assert course["lesson_count"] == 2


def _question(**overrides: Any) -> dict[str, Any]:
    return {**QUIZ_QUESTIONS[0], **overrides}


@pytest.mark.parametrize(
    "lesson",
    [
        {"title": "T", "kind": "text"},  # no body
        {"title": "T", "kind": "text", "body_md": "x", "video_url": "https://v.example.com/1"},
        {"title": "V", "kind": "video"},  # no url
        {"title": "V", "kind": "video", "video_url": "ftp://x/y"},
        {"title": "Q", "kind": "quiz"},  # no questions
        {"title": "Q", "kind": "quiz", "questions": []},
        quiz_lesson(pass_mark=101),
        quiz_lesson(pass_mark=-1),
        quiz_lesson(max_attempts=0),
        quiz_lesson(questions=[_question(options=[{"text": "satu", "correct": True}])]),
        quiz_lesson(questions=[_question(options=[{"text": "a"}, {"text": "b"}])]),
        quiz_lesson(
            questions=[
                _question(
                    kind="single",
                    options=[{"text": "a", "correct": True}, {"text": "b", "correct": True}],
                )
            ]
        ),
        quiz_lesson(questions=[_question(), _question()]),  # duplicate question id
        quiz_lesson(
            questions=[
                _question(
                    options=[{"id": "a", "text": "x", "correct": True}, {"id": "a", "text": "y"}]
                )
            ]
        ),
        {**text_lesson(), "pass_mark": 50},
        {**text_lesson(), "unknown": 1},
    ],
)
async def test_lesson_rules(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], lesson: dict[str, Any]
) -> None:
    cid = (await _create(client, admin_headers))["id"]
    section = await _section(client, admin_headers, cid, "S")
    r = await client.post(
        f"{API}/{cid}/sections/{section['id']}/lessons", json=lesson, headers=admin_headers
    )
    assert_problem(r, 422)
    course = (await client.get(f"{API}/{cid}", headers=admin_headers)).json()
    assert course["lesson_count"] == 0


async def test_quiz_without_ids_gets_generated_ids_and_unlimited_attempts(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    cid = (await _create(client, admin_headers))["id"]
    section = await _section(client, admin_headers, cid, "S")
    body = quiz_lesson(
        questions=[
            {
                "prompt": "Berapa digit HS Code Indonesia (BTKI 2022)?",
                "options": [{"text": "6"}, {"text": "8", "correct": True}],
            }
        ],
        max_attempts=None,
        pass_mark=None,
    )
    lesson = await _lesson(client, admin_headers, cid, section["id"], body)
    question = lesson["questions"][0]
    assert question["id"]
    assert all(o["id"] for o in question["options"])
    assert question["kind"] == "single"
    assert (lesson["max_attempts"], lesson["pass_mark"]) == (None, 70)


async def test_unknown_ids_are_404(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    missing = uuid.uuid4()
    cid = (await _create(client, admin_headers))["id"]
    cases = [
        ("GET", f"{API}/{missing}", None),
        ("PATCH", f"{API}/{missing}", {"title": "x"}),
        ("POST", f"{API}/{missing}/publish", None),
        ("POST", f"{API}/{missing}/sections", {"title": "x"}),
        ("PUT", f"{API}/{missing}/sections/order", {"section_ids": []}),
        ("POST", f"{API}/{cid}/sections/{missing}/lessons", text_lesson()),
        ("DELETE", f"{API}/{cid}/sections/{missing}", None),
        ("GET", f"{API}/{cid}/lessons/{missing}", None),
    ]
    for method, url, body in cases:
        assert_problem(await client.request(method, url, json=body, headers=admin_headers), 404)
    assert_problem(await client.get(f"{API}/not-a-uuid", headers=admin_headers), 422)


async def test_patch_slug_rules(client: httpx2.AsyncClient, admin_headers: dict[str, str]) -> None:
    first = await _create(client, admin_headers, title="Pertama")
    second = await _create(client, admin_headers, title="Kedua")
    r = await client.patch(
        f"{API}/{second['id']}", json={"slug": first["slug"]}, headers=admin_headers
    )
    assert_problem(r, 409, "slug_taken")
    r = await client.patch(
        f"{API}/{second['id']}",
        json={"slug": "kedua-baru", "title": "Judul Baru"},
        headers=admin_headers,
    )
    assert r.status_code == 200
    assert (r.json()["slug"], r.json()["title"]) == ("kedua-baru", "Judul Baru")
    # Keeping its own slug is not a conflict; the title change never renames the slug.
    r = await client.patch(
        f"{API}/{second['id']}", json={"slug": "kedua-baru"}, headers=admin_headers
    )
    assert r.status_code == 200
    assert (
        await client.get("/api/v1/courses/kedua-baru", headers=admin_headers)
    ).status_code == 200
