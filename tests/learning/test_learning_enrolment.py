"""Enrolment, withdrawal, re-enrolment, "my learning" and the events they write."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, lesson_ids
from factories import assert_problem
from pintar_ekspor.accounts.models import User
from pintar_ekspor.courses.models import CourseStatus
from pintar_ekspor.learning.models import Enrollment, LearningEvent

API = "/api/v1"


async def _verbs(session: AsyncSession, user: User) -> list[str]:
    stmt = (
        select(LearningEvent.verb)
        .where(LearningEvent.user_id == user.id)
        .order_by(LearningEvent.occurred_at, LearningEvent.verb)
    )
    return [v.value for v in (await session.scalars(stmt)).all()]


async def test_enrol_is_idempotent_and_withdrawal_keeps_progress(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Dasar Ekspor")
    first_lesson = lesson_ids(course)[0]

    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "active"
    assert r.json()["course_id"] == str(course.id)
    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "active"

    r = await client.post(f"{API}/lessons/{first_lesson}/complete", headers=learner_headers)
    assert r.status_code == 200

    detail = (await client.get(f"{API}/courses/{course.slug}", headers=learner_headers)).json()
    assert detail["is_enrolled"] is True
    assert detail["enrollment_count"] == 1
    assert detail["progress"]["completed_lessons"] == 1
    assert detail["progress"]["completed_lesson_ids"] == [str(first_lesson)]

    r = await client.delete(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "withdrawn"
    assert r.json()["withdrawn_at"] is not None
    r = await client.delete(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "withdrawn"

    # Withdrawn: no lessons, not in "my learning", not counted in the catalogue.
    assert_problem(
        await client.get(f"{API}/lessons/{first_lesson}", headers=learner_headers),
        403,
        "not_enrolled",
    )
    assert (await client.get(f"{API}/me/courses", headers=learner_headers)).json()["total"] == 0
    catalogue = (await client.get(f"{API}/courses")).json()
    assert catalogue["items"][0]["enrollment_count"] == 0
    withdrawn = (
        await client.get(
            f"{API}/me/courses", params={"status": "withdrawn"}, headers=learner_headers
        )
    ).json()
    assert [i["course"]["id"] for i in withdrawn["items"]] == [str(course.id)]

    # Re-enrolling restores the old enrolment and its progress.
    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "active"
    assert r.json()["withdrawn_at"] is None
    progress = (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).json()
    assert progress["completed_lessons"] == 1

    rows = (
        await db_session.scalars(select(Enrollment).where(Enrollment.user_id == learner.id))
    ).all()
    assert len(rows) == 1
    assert await _verbs(db_session, learner) == [
        "enrolled",
        "lesson_completed",
        "withdrawn",
        "enrolled",
    ]
    restored = (
        await db_session.scalars(
            select(LearningEvent)
            .where(LearningEvent.user_id == learner.id, LearningEvent.verb == "enrolled")
            .order_by(LearningEvent.occurred_at)
        )
    ).all()
    assert [e.data["restored"] for e in restored] == [False, True]


async def test_enrolment_needs_a_published_course(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    draft = await add_course(db_session, "Draf", status=CourseStatus.DRAFT)
    archived = await add_course(db_session, "Arsip", status=CourseStatus.ARCHIVED)
    assert_problem(
        await client.post(f"{API}/courses/{draft.id}/enroll", headers=learner_headers),
        404,
        "course_not_found",
    )
    assert_problem(
        await client.post(f"{API}/courses/{archived.id}/enroll", headers=learner_headers), 404
    )
    assert_problem(
        await client.post(f"{API}/courses/{draft.id}/enroll", headers=admin_headers),
        409,
        "course_not_open",
    )
    assert_problem(
        await client.post(f"{API}/courses/{uuid.uuid4()}/enroll", headers=learner_headers), 404
    )
    assert_problem(
        await client.post(f"{API}/courses/not-a-uuid/enroll", headers=learner_headers), 422
    )
    assert_problem(await client.post(f"{API}/courses/{draft.id}/enroll"), 401)
    assert_problem(
        await client.delete(f"{API}/courses/{uuid.uuid4()}/enroll", headers=learner_headers),
        404,
        "enrollment_not_found",
    )


async def test_archived_course_stays_readable_for_its_learners(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Akan Diarsipkan")
    lesson = lesson_ids(course)[0]
    assert (
        await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    ).status_code == 201
    r = await client.delete(f"{API}/admin/courses/{course.id}", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "archived"

    assert (
        await client.get(f"{API}/courses/{course.id}", headers=learner_headers)
    ).status_code == 200
    assert (await client.get(f"{API}/lessons/{lesson}", headers=learner_headers)).status_code == 200
    assert (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).status_code == 200
    mine = (await client.get(f"{API}/me/courses", headers=learner_headers)).json()
    assert mine["total"] == 1
    # ...but it is read-only and closed to enrolment.
    assert_problem(
        await client.post(f"{API}/lessons/{lesson}/complete", headers=learner_headers),
        409,
        "course_not_open",
    )
    assert_problem(await client.get(f"{API}/courses/{course.id}"), 404)


async def test_my_learning_is_sorted_by_last_access(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
) -> None:
    courses = [await add_course(db_session, f"Kursus {i}") for i in range(3)]
    for course in courses:
        r = await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
        assert r.status_code == 201
    # Open a lesson of the first course: it becomes the most recent.
    first_lesson = lesson_ids(courses[0])[1]
    r = await client.get(f"{API}/lessons/{first_lesson}", headers=learner_headers)
    assert r.status_code == 200
    await client.post(
        f"{API}/lessons/{lesson_ids(courses[0])[0]}/complete", headers=learner_headers
    )

    body = (await client.get(f"{API}/me/courses", headers=learner_headers)).json()
    assert body["total"] == 3
    assert [i["course"]["title"] for i in body["items"]] == ["Kursus 0", "Kursus 2", "Kursus 1"]
    top = body["items"][0]
    assert top["last_lesson_id"] == str(lesson_ids(courses[0])[0])
    assert top["completed_lessons"] == 1
    assert top["total_lessons"] == 3
    assert top["progress_percent"] == 33
    assert top["next_lesson_id"] == str(lesson_ids(courses[0])[1])
    assert top["status"] == "active"
    assert top["completed_at"] is None
    assert top["course"]["lesson_count"] == 3
    assert top["course"]["enrollment_count"] == 1

    page = (
        await client.get(
            f"{API}/me/courses", params={"limit": 1, "offset": 2}, headers=learner_headers
        )
    ).json()
    assert page["total"] == 3
    assert [i["course"]["title"] for i in page["items"]] == ["Kursus 1"]
    assert_problem(
        await client.get(f"{API}/me/courses", params={"limit": -1}, headers=learner_headers), 422
    )
    assert_problem(
        await client.get(f"{API}/me/courses", params={"status": "bogus"}, headers=learner_headers),
        422,
    )
    assert_problem(await client.get(f"{API}/me/courses"), 401)


async def test_my_learning_query_count_does_not_grow(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    query_counter: Any,
) -> None:
    async def count() -> int:
        query_counter.reset()
        query_counter.active = True
        r = await client.get(f"{API}/me/courses", params={"limit": 100}, headers=learner_headers)
        query_counter.active = False
        assert r.status_code == 200
        return query_counter.count

    db_session.add(Enrollment(user_id=learner.id, course_id=(await add_course(db_session, "A")).id))
    await db_session.flush()
    few = await count()
    for i in range(12):
        db_session.add(
            Enrollment(user_id=learner.id, course_id=(await add_course(db_session, f"B{i}")).id)
        )
    await db_session.flush()
    assert await count() == few
