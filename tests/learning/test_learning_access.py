"""Who may see what: drafts, lesson bodies, and one learner's data versus another's (API1)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, lesson_ids
from factories import assert_problem, auth_headers, create_user
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.models import CourseStatus
from pintar_ekspor.learning.models import LessonProgress, QuizAttempt

API = "/api/v1"


async def test_learner_cannot_see_drafts_anywhere(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    draft = await add_course(db_session, "Kursus Draf Rahasia", status=CourseStatus.DRAFT)
    lesson = lesson_ids(draft)[0]
    for headers in ({}, learner_headers):
        catalogue = (
            await client.get(f"{API}/courses", params={"q": "rahasia"}, headers=headers)
        ).json()
        assert catalogue["total"] == 0
        assert_problem(await client.get(f"{API}/courses/{draft.slug}", headers=headers), 404)
    assert_problem(
        await client.get(f"{API}/lessons/{lesson}", headers=learner_headers),
        404,
        "lesson_not_found",
    )
    assert_problem(
        await client.post(f"{API}/lessons/{lesson}/complete", headers=learner_headers), 404
    )
    assert_problem(
        await client.get(f"{API}/courses/{draft.id}/progress", headers=learner_headers), 404
    )
    # The admin reads it all.
    r = await client.get(f"{API}/lessons/{lesson}", headers=admin_headers)
    assert r.status_code == 200
    assert "Isi pelajaran" in r.json()["body_md"]

    # A learner enrolled before the course was unpublished loses sight of it too.
    published = await add_course(db_session, "Akan Ditarik")
    assert (
        await client.post(f"{API}/courses/{published.id}/enroll", headers=learner_headers)
    ).status_code == 201
    r = await client.post(f"{API}/admin/courses/{published.id}/unpublish", headers=admin_headers)
    assert r.status_code == 200
    assert_problem(
        await client.get(f"{API}/lessons/{lesson_ids(published)[0]}", headers=learner_headers), 404
    )
    assert (await client.get(f"{API}/me/courses", headers=learner_headers)).json()["total"] == 0


async def test_lesson_bodies_need_enrolment(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
) -> None:
    course = await add_course(db_session, "Dokumen Ekspor")
    text, video, quiz = lesson_ids(course)
    assert_problem(await client.get(f"{API}/lessons/{text}"), 401)
    for lesson in (text, video, quiz):
        body = assert_problem(
            await client.get(f"{API}/lessons/{lesson}", headers=learner_headers),
            403,
            "not_enrolled",
        )
        assert "Enrol" in body["detail"]
        assert "Dokumen Ekspor" in body["detail"]
        assert "Isi pelajaran" not in str(body)
    assert_problem(
        await client.post(f"{API}/lessons/{text}/complete", headers=learner_headers),
        403,
        "not_enrolled",
    )
    r = await client.post(
        f"{API}/lessons/{quiz}/attempts",
        json={"answers": [{"question_id": "q1", "option_ids": ["a"]}]},
        headers=learner_headers,
    )
    assert_problem(r, 403, "not_enrolled")
    assert_problem(
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers),
        403,
        "not_enrolled",
    )
    assert_problem(
        await client.get(f"{API}/lessons/{uuid.uuid4()}", headers=learner_headers),
        404,
        "lesson_not_found",
    )
    assert_problem(await client.get(f"{API}/lessons/not-a-uuid", headers=learner_headers), 422)

    assert (
        await client.post(f"{API}/courses/{course.id}/enroll", headers=learner_headers)
    ).status_code == 201
    r = await client.get(f"{API}/lessons/{text}", headers=learner_headers)
    assert r.status_code == 200
    body = r.json()
    assert body["body_md"].startswith("# Pengantar")
    assert body["progress"]["status"] == "in_progress"
    assert body["previous_lesson_id"] is None
    assert body["next_lesson_id"] == str(video)
    r = await client.get(f"{API}/lessons/{video}", headers=learner_headers)
    assert r.json()["video_url"] == "https://www.youtube-nocookie.com/embed/abc123"
    assert r.json()["previous_lesson_id"] == str(text)


async def test_one_learner_cannot_read_or_change_anothers_progress(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    """OWASP API1: every progress route acts on the caller's own rows only."""
    alice = await create_user(db_session, settings, email="alice@example.com")
    bob = await create_user(db_session, settings, email="bob@example.com")
    a, b = auth_headers(settings, alice), auth_headers(settings, bob)
    course = await add_course(db_session, "Incoterms 2020")
    other = await add_course(db_session, "Riset Pasar")
    text, video, quiz = lesson_ids(course)

    assert (await client.post(f"{API}/courses/{course.id}/enroll", headers=a)).status_code == 201
    assert (await client.post(f"{API}/lessons/{text}/complete", headers=a)).status_code == 200
    r = await client.post(
        f"{API}/lessons/{quiz}/attempts",
        json={
            "answers": [
                {"question_id": "q1", "option_ids": ["a"]},
                {"question_id": "q2", "option_ids": ["a", "c"]},
            ]
        },
        headers=a,
    )
    assert r.status_code == 201
    assert r.json()["score"] == 100

    # Bob, not enrolled, sees none of Alice's progress and cannot act on her course.
    assert_problem(
        await client.get(f"{API}/courses/{course.id}/progress", headers=b), 403, "not_enrolled"
    )
    detail = (await client.get(f"{API}/courses/{course.id}", headers=b)).json()
    assert detail["is_enrolled"] is False
    assert detail["progress"] is None
    assert detail["enrollment"] is None
    assert (await client.get(f"{API}/me/courses", headers=b)).json()["total"] == 0
    assert_problem(await client.delete(f"{API}/courses/{course.id}/enroll", headers=b), 404)
    assert (await client.get(f"{API}/lessons/{quiz}/attempts", headers=b)).json() == []

    # Bob enrols: he starts from zero, and his actions never touch Alice's rows.
    assert (await client.post(f"{API}/courses/{course.id}/enroll", headers=b)).status_code == 201
    assert (await client.post(f"{API}/courses/{other.id}/enroll", headers=b)).status_code == 201
    progress = (await client.get(f"{API}/courses/{course.id}/progress", headers=b)).json()
    assert progress["completed_lessons"] == 0
    assert progress["percent"] == 0
    lesson = (await client.get(f"{API}/lessons/{quiz}", headers=b)).json()
    assert lesson["progress"]["attempts_used"] == 0
    assert lesson["progress"]["best_score"] is None
    r = await client.post(
        f"{API}/lessons/{quiz}/attempts",
        json={
            "answers": [
                {"question_id": "q1", "option_ids": ["b"]},
                {"question_id": "q2", "option_ids": ["b"]},
            ]
        },
        headers=b,
    )
    assert r.status_code == 201
    assert r.json()["score"] == 0
    assert r.json()["attempts_used"] == 1
    assert (await client.post(f"{API}/lessons/{video}/complete", headers=b)).status_code == 200
    assert (await client.delete(f"{API}/courses/{course.id}/enroll", headers=b)).status_code == 200

    alice_progress = (await client.get(f"{API}/courses/{course.id}/progress", headers=a)).json()
    assert alice_progress["enrollment_status"] == "active"
    states = {item["id"]: item for s in alice_progress["sections"] for item in s["lessons"]}
    assert states[str(text)]["status"] == "completed"
    assert states[str(video)]["status"] == "not_started"
    assert states[str(quiz)]["best_score"] == 100
    assert states[str(quiz)]["attempts"] == 1
    alice_attempts = (await client.get(f"{API}/lessons/{quiz}/attempts", headers=a)).json()
    assert [x["score"] for x in alice_attempts] == [100]
    mine = (await client.get(f"{API}/me/courses", headers=a)).json()
    assert [i["course"]["id"] for i in mine["items"]] == [str(course.id)]

    rows = (
        await db_session.scalars(select(QuizAttempt).where(QuizAttempt.lesson_id == quiz))
    ).all()
    assert sorted((str(r.user_id), r.score) for r in rows) == sorted(
        [(str(alice.id), 100), (str(bob.id), 0)]
    )
    video_rows = (
        await db_session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == video))
    ).all()
    assert [r.user_id for r in video_rows] == [bob.id]


async def test_routes_take_no_user_id(app: Any) -> None:
    """No learning route lets a caller name a user: the owner is always the caller."""
    schema = app.openapi()
    checked = 0
    for path, operations in schema["paths"].items():
        for op in operations.values():
            if not {"courses", "learning"} & set(op.get("tags", [])):
                continue
            checked += 1
            assert "user" not in path, path
            names = {p["name"] for p in op.get("parameters", [])}
            assert not {"user_id", "userId", "user"} & names, (path, names)
    assert checked >= 10
