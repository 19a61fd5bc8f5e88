"""Lesson completion, the progress page, and course completion (exactly once)."""

from __future__ import annotations

import asyncio

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from course_builders import add_course, lesson_ids, quiz_lesson, text_lesson, video_lesson
from factories import assert_problem, auth_headers, create_user
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo import build_course
from pintar_ekspor.learning.models import Enrollment, LearningEvent, LearningVerb

API = "/api/v1"
ALL_RIGHT = [
    {"question_id": "q1", "option_ids": ["a"]},
    {"question_id": "q2", "option_ids": ["c", "a"]},
]


async def _count_events(session: AsyncSession, user: User, verb: LearningVerb) -> int:
    stmt = (
        select(func.count())
        .select_from(LearningEvent)
        .where(LearningEvent.user_id == user.id, LearningEvent.verb == verb)
    )
    return int(await session.scalar(stmt) or 0)


async def test_completing_every_lesson_completes_the_course_once(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    course = await add_course(
        db_session,
        "Alur Ekspor",
        sections=[
            {"title": "Dasar", "lessons": [text_lesson("Pengantar"), video_lesson("Video")]},
            {
                "title": "Praktik",
                "lessons": [text_lesson("Bacaan tambahan", is_required=False), quiz_lesson()],
            },
        ],
    )
    text, video, optional, quiz = lesson_ids(course)
    assert (
        await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    ).status_code == 201

    progress = (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).json()
    assert (progress["percent"], progress["next_lesson_id"], progress["completed_at"]) == (
        0,
        str(text),
        None,
    )
    assert [s["status"] for s in progress["sections"]] == ["not_started", "not_started"]

    r = await client.post(f"{API}/lessons/{text}/complete", headers=learner_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "completed"
    assert body["completed_at"] is not None
    assert body["course"]["percent"] == 33
    assert body["course"]["course_completed"] is False
    assert body["course"]["next_lesson_id"] == str(video)
    again = (await client.post(f"{API}/lessons/{text}/complete", headers=learner_headers)).json()
    assert again["completed_at"] == body["completed_at"]  # idempotent

    await client.get(f"{API}/lessons/{quiz}", headers=learner_headers)
    progress = (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).json()
    assert [s["status"] for s in progress["sections"]] == ["in_progress", "in_progress"]
    items = {i["id"]: i for s in progress["sections"] for i in s["lessons"]}
    assert items[str(quiz)]["status"] == "in_progress"
    assert items[str(optional)]["is_required"] is False
    assert progress["last_lesson_id"] == str(quiz)

    await client.post(f"{API}/lessons/{video}/complete", headers=learner_headers)
    r = await client.post(
        f"{API}/lessons/{quiz}/attempts", json={"answers": ALL_RIGHT}, headers=learner_headers
    )
    result = r.json()
    assert result["passed"] is True
    assert result["course"]["course_completed"] is True
    assert result["course"]["percent"] == 100
    completed_at = result["course"]["completed_at"]
    assert completed_at is not None
    # The optional lesson was never needed, and is the next one to read.
    assert result["course"]["next_lesson_id"] == str(optional)

    progress = (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).json()
    assert progress["enrollment_status"] == "completed"
    assert progress["completed_at"] == completed_at
    assert progress["sections"][0]["status"] == "completed"

    # More actions do not complete it again.
    await client.post(f"{API}/lessons/{optional}/complete", headers=learner_headers)
    await client.post(f"{API}/lessons/{text}/complete", headers=learner_headers)
    assert await _count_events(db_session, learner, LearningVerb.COURSE_COMPLETED) == 1
    assert await _count_events(db_session, learner, LearningVerb.LESSON_COMPLETED) == 4

    # New content later: completed_at stays, the percentage reflects the new lesson.
    section_id = progress["sections"][1]["id"]
    r = await client.post(
        f"{API}/admin/courses/{course.id}/sections/{section_id}/lessons",
        json=text_lesson("Materi baru"),
        headers=admin_headers,
    )
    assert r.status_code == 201
    # The course is published: the new lesson waits in its draft revision until published.
    r = await client.post(f"{API}/admin/courses/{course.id}/publish-changes", headers=admin_headers)
    assert r.status_code == 200, r.text
    new_lesson = next(
        x["id"] for s in r.json()["sections"] for x in s["lessons"] if x["title"] == "Materi baru"
    )
    progress = (
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers)
    ).json()
    assert progress["completed_at"] == completed_at
    assert progress["enrollment_status"] == "completed"
    assert progress["percent"] == 75
    assert progress["next_lesson_id"] == new_lesson
    await client.post(f"{API}/lessons/{new_lesson}/complete", headers=learner_headers)
    mine = (await client.get(f"{API}/me/courses", headers=learner_headers)).json()["items"][0]
    assert (mine["status"], mine["completed_at"], mine["progress_percent"]) == (
        "completed",
        completed_at,
        100,
    )
    assert await _count_events(db_session, learner, LearningVerb.COURSE_COMPLETED) == 1

    # Withdrawing and coming back keeps the completion.
    await client.delete(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    assert r.json()["status"] == "completed"
    assert r.json()["completed_at"] == completed_at


async def test_failed_quiz_does_not_complete(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(
        db_session, "Satu Kuis", sections=[{"title": "S", "lessons": [quiz_lesson()]}]
    )
    (quiz,) = lesson_ids(course)
    await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    r = await client.post(
        f"{API}/lessons/{quiz}/attempts",
        json={
            "answers": [
                {"question_id": "q1", "option_ids": ["a"]},
                {"question_id": "q2", "option_ids": ["b"]},
            ]
        },
        headers=learner_headers,
    )
    assert r.json()["score"] == 50
    assert r.json()["course"]["course_completed"] is False
    assert await _count_events(db_session, learner, LearningVerb.COURSE_COMPLETED) == 0


async def test_progress_bad_input(
    client: httpx2.AsyncClient, db_session: AsyncSession, learner_headers: dict[str, str]
) -> None:
    import uuid

    course = await add_course(db_session, "K")
    assert_problem(
        await client.get(f"{API}/courses/{uuid.uuid4()}/progress", headers=learner_headers), 404
    )
    assert_problem(
        await client.get(f"{API}/courses/{course.slug}/progress", headers=learner_headers), 422
    )
    assert_problem(
        await client.post(f"{API}/lessons/{uuid.uuid4()}/complete", headers=learner_headers), 404
    )
    assert_problem(await client.get(f"{API}/courses/{course.id}/progress"), 401)


async def test_course_completes_once_under_concurrency(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    factory = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    async with factory() as session:
        user = await create_user(session, settings)
        course = build_course(
            {
                "title": "Cepat Selesai",
                "sections": [
                    {"title": "A", "lessons": [text_lesson("1"), text_lesson("2")]},
                    {"title": "B", "lessons": [video_lesson("3")]},
                ],
            }
        )
        session.add(course)
        await session.flush()
        session.add(Enrollment(user_id=user.id, course_id=course.id))
        await session.commit()
    headers = auth_headers(settings, user)
    ids = lesson_ids(course)
    order = [ids[0], ids[1], ids[2], ids[2], ids[1], ids[0], ids[2]]
    responses = await asyncio.gather(
        *[committed_client.post(f"{API}/lessons/{i}/complete", headers=headers) for i in order]
    )
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    completed = {
        r.json()["course"]["completed_at"]
        for r in responses
        if r.json()["course"]["course_completed"]
    }
    assert len(completed) == 1

    async with factory() as session:
        assert await _count_events(session, user, LearningVerb.COURSE_COMPLETED) == 1
        assert await _count_events(session, user, LearningVerb.LESSON_COMPLETED) == 3
        enrollment = (await session.scalars(select(Enrollment))).one()
        assert enrollment.status == "completed"
        assert enrollment.completed_at is not None
        assert enrollment.completed_at.isoformat().replace("+00:00", "Z") in {
            c.replace("+00:00", "Z") for c in completed
        }
