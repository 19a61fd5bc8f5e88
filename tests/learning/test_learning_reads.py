"""Issue 17: progress and "my learning" are one query each, encoded once, never stale.

The two routes build their JSON from plain rows (no response-model pass), so these tests
check the JSON is exactly what the response models give, that both screens agree with each
other on the arithmetic, that a change shows on the very next read, and the query counts.
"""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, lesson_ids, text_lesson, video_lesson
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.pagination import Page
from pintar_ekspor.learning.schemas import CourseProgressRead, MyCourse

API = "/api/v1"


def _sections() -> list[dict[str, Any]]:
    """Two sections; one optional lesson; reading order differs from the title order."""
    return [
        {
            "title": "Bagian A",
            "lessons": [text_lesson("Satu"), video_lesson("Dua", is_required=False)],
        },
        {"title": "Bagian B", "lessons": [text_lesson("Tiga"), text_lesson("Empat")]},
    ]


async def _enrol(client: httpx2.AsyncClient, headers: dict[str, str], course_id: Any) -> None:
    r = await client.post(f"{API}/courses/{course_id}/enroll", headers=headers)
    assert r.status_code == 201, r.text


async def _complete(client: httpx2.AsyncClient, headers: dict[str, str], lesson_id: Any) -> None:
    r = await client.post(f"{API}/lessons/{lesson_id}/complete", headers=headers)
    assert r.status_code == 200, r.text


async def _progress(
    client: httpx2.AsyncClient, headers: dict[str, str], course_id: Any
) -> dict[str, Any]:
    r = await client.get(f"{API}/courses/{course_id}/progress", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _mine(
    client: httpx2.AsyncClient, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    r = await client.get(f"{API}/me/courses", params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    body: dict[str, Any] = r.json()
    return body


async def test_progress_json_is_exactly_the_response_model(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Progres Tepat", sections=_sections())
    one, two, three, four = lesson_ids(course)
    await _enrol(client, learner_headers, course.id)
    await _complete(client, learner_headers, three)

    body = await _progress(client, learner_headers, course.id)
    assert CourseProgressRead.model_validate(body).model_dump(mode="json") == body
    assert list(body) == list(CourseProgressRead.model_fields)
    assert body["percent"] == 33  # one of three required lessons
    assert (body["completed_lessons"], body["total_lessons"]) == (1, 4)
    assert body["next_lesson_id"] == str(one)
    assert [s["status"] for s in body["sections"]] == ["not_started", "in_progress"]
    lessons = [lesson for s in body["sections"] for lesson in s["lessons"]]
    assert [lesson["id"] for lesson in lessons] == [str(one), str(two), str(three), str(four)]
    assert [lesson["status"] for lesson in lessons] == [
        "not_started",
        "not_started",
        "completed",
        "not_started",
    ]
    assert lessons[2]["completed_at"] is not None
    assert lessons[2]["attempts"] == 0


async def test_progress_and_my_learning_show_a_change_at_once(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Tanpa Basi", sections=_sections())
    one, two, three, four = lesson_ids(course)
    await _enrol(client, learner_headers, course.id)
    before = await _progress(client, learner_headers, course.id)
    mine = (await _mine(client, learner_headers))["items"][0]
    assert (before["percent"], mine["progress_percent"]) == (0, 0)
    assert before["next_lesson_id"] == mine["next_lesson_id"] == str(one)

    await _complete(client, learner_headers, one)
    after = await _progress(client, learner_headers, course.id)
    mine = (await _mine(client, learner_headers))["items"][0]
    assert after["percent"] == mine["progress_percent"] == 33
    # The optional lesson is next in reading order even though it does not count.
    assert after["next_lesson_id"] == mine["next_lesson_id"] == str(two)

    for lesson in (two, three, four):
        await _complete(client, learner_headers, lesson)
    done = await _progress(client, learner_headers, course.id)
    mine = (await _mine(client, learner_headers))["items"][0]
    assert done["percent"] == mine["progress_percent"] == 100
    assert done["next_lesson_id"] is None
    assert mine["next_lesson_id"] is None
    assert done["completed_at"] is not None
    assert mine["completed_at"] == done["completed_at"]
    assert mine["status"] == done["enrollment_status"] == "completed"


async def test_my_learning_json_is_exactly_the_response_model(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    optional = [text_lesson(title, is_required=False) for title in ("A", "B")]
    optional_only = [{"title": "Bonus", "lessons": optional}]
    courses = [
        await add_course(db_session, "Kursus Satu", sections=_sections(), tags=["ekspor"]),
        await add_course(db_session, "Kursus Dua", sections=optional_only),
        await add_course(db_session, "Kursus Tiga", sections=[]),
    ]
    for course in courses:
        await _enrol(client, learner_headers, course.id)
    await _complete(client, learner_headers, lesson_ids(courses[1])[0])
    await _complete(client, learner_headers, lesson_ids(courses[0])[1])  # the optional one

    body = await _mine(client, learner_headers)
    assert Page[MyCourse].model_validate(body).model_dump(mode="json") == body
    assert list(body["items"][0]) == list(MyCourse.model_fields)
    by_title = {item["course"]["title"]: item for item in body["items"]}
    assert body["total"] == 3
    assert len(by_title) == 3
    first = by_title["Kursus Satu"]
    assert (first["progress_percent"], first["completed_lessons"], first["total_lessons"]) == (
        0,
        1,
        4,
    )
    assert first["course"]["tags"] == ["ekspor"]
    assert first["course"]["lesson_count"] == 4
    # All lessons optional: the percent counts every lesson.
    second = by_title["Kursus Dua"]
    assert (second["progress_percent"], second["completed_lessons"]) == (50, 1)
    assert second["next_lesson_id"] == str(lesson_ids(courses[1])[1])
    empty = by_title["Kursus Tiga"]
    assert (empty["progress_percent"], empty["total_lessons"], empty["next_lesson_id"]) == (
        0,
        0,
        None,
    )
    # Each course's numbers agree with its progress page.
    for course in courses:
        page = await _progress(client, learner_headers, course.id)
        item = by_title[course.title]
        assert (item["progress_percent"], item["next_lesson_id"]) == (
            page["percent"],
            page["next_lesson_id"],
        )


async def test_my_learning_pages_keep_their_total(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    for title in ("Halaman Satu", "Halaman Dua", "Halaman Tiga"):
        await _enrol(client, learner_headers, (await add_course(db_session, title)).id)
    whole = await _mine(client, learner_headers)
    pages = [await _mine(client, learner_headers, limit=2, offset=o) for o in (0, 2, 4)]
    assert [p["total"] for p in pages] == [3, 3, 3]
    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    ids = [i["course"]["id"] for p in pages for i in p["items"]]
    assert ids == [i["course"]["id"] for i in whole["items"]]
    assert (pages[2]["limit"], pages[2]["offset"]) == (2, 4)
    withdrawn = await _mine(client, learner_headers, status="withdrawn", offset=5)
    assert (withdrawn["items"], withdrawn["total"]) == ([], 0)
    # The largest offset the API accepts (2**53 - 1) is past any page, not a database error.
    farthest = await _mine(client, learner_headers, limit=2, offset=2**53 - 1)
    assert (farthest["items"], farthest["total"], farthest["offset"]) == ([], 3, 2**53 - 1)


async def test_one_learner_never_sees_another_learners_rows(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Milik Sendiri", sections=_sections())
    await _enrol(client, learner_headers, course.id)
    await _complete(client, learner_headers, lesson_ids(course)[0])
    # The admin is not enrolled: no enrolment of the learner's leaks into their view.
    r = await client.get(f"{API}/courses/{course.id}/progress", headers=admin_headers)
    assert r.status_code == 403
    assert r.json()["code"] == "not_enrolled"
    assert (await _mine(client, admin_headers))["total"] == 0
    await _enrol(client, admin_headers, course.id)
    theirs = await _progress(client, admin_headers, course.id)
    assert theirs["completed_lessons"] == 0
    assert (await _mine(client, admin_headers))["items"][0]["completed_lessons"] == 0


async def test_hot_reads_are_one_query_each(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    query_counter: Any,
) -> None:
    courses = [await add_course(db_session, f"Hitung {n}", sections=_sections()) for n in range(3)]
    for course in courses:
        await _enrol(client, learner_headers, course.id)
        await _complete(client, learner_headers, lesson_ids(course)[0])
    paths = [f"{API}/courses/{courses[0].id}/progress", f"{API}/me/courses", f"{API}/users/me"]
    for path in paths:
        assert (await client.get(path, headers=learner_headers)).status_code == 200
    counts = []
    for path in paths:
        query_counter.reset()
        query_counter.active = True
        r = await client.get(path, headers=learner_headers)
        query_counter.active = False
        assert r.status_code == 200
        counts.append(query_counter.count)
    # The signed-in user's row (one query), then one query for the page itself.
    assert counts == [2, 2, 1], query_counter.statements
