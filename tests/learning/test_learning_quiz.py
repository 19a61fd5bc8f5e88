"""Quizzes: no answers before an attempt, server-side grading, best score, attempts limit."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from course_builders import add_course, lesson_ids, quiz_lesson, text_lesson
from factories import assert_problem, auth_headers, create_user
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo import build_course
from pintar_ekspor.learning.models import (
    Enrollment,
    LearningEvent,
    LearningVerb,
    LessonProgress,
    QuizAttempt,
)

API = "/api/v1"
ALL_RIGHT = [
    {"question_id": "q1", "option_ids": ["a"]},
    {"question_id": "q2", "option_ids": ["a", "c"]},
]
HALF_RIGHT = [
    {"question_id": "q1", "option_ids": ["a"]},
    {"question_id": "q2", "option_ids": ["a"]},
]
ALL_WRONG = [{"question_id": "q1", "option_ids": ["b"]}, {"question_id": "q2", "option_ids": ["b"]}]


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


async def _enrolled_quiz(
    client: httpx2.AsyncClient, session: AsyncSession, headers: dict[str, str], **quiz: Any
) -> tuple[Any, Any]:
    course = await add_course(
        session,
        "Kuis Ekspor",
        sections=[{"title": "S", "lessons": [text_lesson(), quiz_lesson(**quiz)]}],
    )
    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=headers)
    assert r.status_code == 201
    return course, lesson_ids(course)[1]


async def _attempt(
    client: httpx2.AsyncClient, headers: dict[str, str], lesson: Any, answers: list[dict[str, Any]]
) -> httpx2.Response:
    return await client.post(
        f"{API}/lessons/{lesson}/attempts", json={"answers": answers}, headers=headers
    )


async def test_no_answers_in_any_response_before_an_attempt(
    client: httpx2.AsyncClient, db_session: AsyncSession, learner_headers: dict[str, str]
) -> None:
    course, quiz = await _enrolled_quiz(client, db_session, learner_headers)
    responses = [
        await client.get(f"{API}/courses"),
        await client.get(f"{API}/courses/{course.slug}", headers=learner_headers),
        await client.get(f"{API}/lessons/{quiz}", headers=learner_headers),
        await client.get(f"{API}/courses/{course.id}/progress", headers=learner_headers),
        await client.get(f"{API}/me/courses", headers=learner_headers),
        await client.get(f"{API}/lessons/{quiz}/attempts", headers=learner_headers),
    ]
    for r in responses:
        assert r.status_code == 200, r.text
        assert "SECRET-EXPLANATION" not in r.text
        assert not {"correct", "explanation", "correct_option_ids"} & _keys(r.json()), r.text
    lesson = responses[2].json()
    assert lesson["quiz"]["question_count"] == 2
    assert lesson["quiz"]["questions"][1] == {
        "id": "q2",
        "prompt": "Incoterms mana yang khusus angkutan laut?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "FOB"},
            {"id": "b", "text": "DAP"},
            {"id": "c", "text": "CIF"},
        ],
    }
    assert (lesson["quiz"]["pass_mark"], lesson["quiz"]["max_attempts"]) == (70, 3)
    assert lesson["progress"]["attempts_remaining"] == 3


async def test_grading_best_score_and_attempts_limit(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    _, quiz = await _enrolled_quiz(client, db_session, learner_headers)

    r = await _attempt(client, learner_headers, quiz, HALF_RIGHT)
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["score"], first["passed"], first["best_score"]) == (50, False, 50)
    assert (first["attempt_number"], first["attempts_used"], first["attempts_remaining"]) == (
        1,
        1,
        2,
    )
    assert first["lesson_completed"] is False
    results = {q["question_id"]: q for q in first["questions"]}
    assert results["q1"]["correct"] is True
    # A failed attempt with attempts left reveals nothing a second guess could use.
    assert first["answers_revealed"] is False
    assert results["q2"] == {
        "question_id": "q2",
        "correct": False,
        "selected_option_ids": ["a"],
        "correct_option_ids": None,
        "explanation": None,
    }
    assert "SECRET-EXPLANATION" not in r.text

    second = (await _attempt(client, learner_headers, quiz, ALL_WRONG)).json()
    assert (second["score"], second["best_score"], second["attempts_remaining"]) == (0, 50, 1)
    assert second["answers_revealed"] is False
    third = (await _attempt(client, learner_headers, quiz, ALL_RIGHT)).json()
    assert (third["score"], third["passed"], third["best_score"], third["lesson_completed"]) == (
        100,
        True,
        100,
        True,
    )
    assert third["attempts_remaining"] == 0
    assert third["answers_revealed"] is True
    revealed = {q["question_id"]: q for q in third["questions"]}
    assert revealed["q2"]["correct_option_ids"] == ["a", "c"]
    assert revealed["q2"]["explanation"] == "SECRET-EXPLANATION-2: FAS, FOB, CFR, CIF."

    body = assert_problem(
        await _attempt(client, learner_headers, quiz, ALL_RIGHT), 409, "attempts_exhausted"
    )
    assert (body["attempts_used"], body["max_attempts"]) == (3, 3)

    history = (await client.get(f"{API}/lessons/{quiz}/attempts", headers=learner_headers)).json()
    assert [(a["attempt_number"], a["score"], a["passed"]) for a in history] == [
        (1, 50, False),
        (2, 0, False),
        (3, 100, True),
    ]
    events = (
        await db_session.scalars(
            select(LearningEvent)
            .where(
                LearningEvent.user_id == learner.id,
                LearningEvent.verb == LearningVerb.QUIZ_ATTEMPTED,
            )
            .order_by(LearningEvent.occurred_at)
        )
    ).all()
    assert [e.data["score"] for e in events] == [50, 0, 100]
    assert all(e.lesson_id == quiz for e in events)


async def test_unlimited_attempts_and_blank_answers(
    client: httpx2.AsyncClient, db_session: AsyncSession, learner_headers: dict[str, str]
) -> None:
    """Issue 11 item 4: a blank first attempt used to return every correct option id."""
    _, quiz = await _enrolled_quiz(
        client, db_session, learner_headers, max_attempts=None, pass_mark=50
    )
    blank_answers: list[list[dict[str, Any]]] = [
        [],
        [{"question_id": "q1", "option_ids": ["a"]}],
        [{"question_id": "q1", "option_ids": ["a"]}, {"question_id": "q2", "option_ids": []}],
    ]
    for answers in blank_answers:
        r = await _attempt(client, learner_headers, quiz, answers)
        body = assert_problem(r, 422, "unanswered_questions")
        assert "q2" in body["detail"]
        assert "q2" in {e.get("question_id") for e in body["errors"]}
        assert "correct_option_ids" not in r.text
    r = await _attempt(client, learner_headers, quiz, ALL_WRONG)
    assert r.json()["attempts_used"] == 1  # the refused blanks cost nothing
    assert r.json()["answers_revealed"] is False  # unlimited attempts: never used up
    assert all(q["correct_option_ids"] is None for q in r.json()["questions"])
    r = await _attempt(client, learner_headers, quiz, HALF_RIGHT)
    assert r.json()["passed"] is True
    assert r.json()["attempts_used"] == 2
    assert r.json()["answers_revealed"] is True


async def test_answers_are_revealed_when_the_last_attempt_fails(
    client: httpx2.AsyncClient, db_session: AsyncSession, learner_headers: dict[str, str]
) -> None:
    _, quiz = await _enrolled_quiz(client, db_session, learner_headers, max_attempts=1)
    r = await _attempt(client, learner_headers, quiz, ALL_WRONG)
    assert (r.json()["passed"], r.json()["attempts_remaining"]) == (False, 0)
    assert r.json()["answers_revealed"] is True
    assert {q["question_id"]: q["correct_option_ids"] for q in r.json()["questions"]} == {
        "q1": ["a"],
        "q2": ["a", "c"],
    }


@pytest.mark.parametrize(
    ("policy", "after_fail", "after_pass"),
    [
        ("after_pass_or_last_attempt", False, True),
        ("after_last_attempt", False, False),
        ("after_submit", True, True),
    ],
)
async def test_the_author_chooses_when_answers_are_revealed(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
    policy: str,
    after_fail: bool,
    after_pass: bool,
) -> None:
    _, quiz = await _enrolled_quiz(
        client, db_session, learner_headers, max_attempts=3, review_policy=policy
    )
    failed = (await _attempt(client, learner_headers, quiz, ALL_WRONG)).json()
    assert failed["answers_revealed"] is after_fail
    hidden = [q["correct_option_ids"] for q in failed["questions"]]
    assert (hidden != [None, None]) is after_fail
    assert [q["correct"] for q in failed["questions"]] == [False, False]  # what was wrong
    passed = (await _attempt(client, learner_headers, quiz, ALL_RIGHT)).json()
    assert passed["passed"] is True
    assert passed["answers_revealed"] is after_pass


@pytest.mark.parametrize(
    ("answers", "mentions"),
    [
        ([{"question_id": "nope", "option_ids": ["a"]}], "nope"),
        (
            [{"question_id": "q1", "option_ids": ["a"]}, {"question_id": "q9", "option_ids": []}],
            "q9",
        ),
        ([{"question_id": "q1", "option_ids": ["zz"]}], "zz"),
        ([{"question_id": "q1", "option_ids": ["a", "b"]}], "single choice"),
        (
            [
                {"question_id": "q1", "option_ids": ["a"]},
                {"question_id": "q1", "option_ids": ["b"]},
            ],
            "twice",
        ),
    ],
)
async def test_bad_answers_are_422_and_cost_no_attempt(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
    answers: list[dict[str, Any]],
    mentions: str,
) -> None:
    _, quiz = await _enrolled_quiz(client, db_session, learner_headers)
    body = assert_problem(
        await _attempt(client, learner_headers, quiz, answers), 422, "invalid_answers"
    )
    assert mentions in body["detail"]
    assert body["errors"]
    assert mentions in json.dumps(body["errors"])
    lesson = (await client.get(f"{API}/lessons/{quiz}", headers=learner_headers)).json()
    assert lesson["progress"]["attempts_used"] == 0


async def test_malformed_attempts_and_wrong_lesson_kinds(
    client: httpx2.AsyncClient, db_session: AsyncSession, learner_headers: dict[str, str]
) -> None:
    course, quiz = await _enrolled_quiz(client, db_session, learner_headers)
    text = lesson_ids(course)[0]
    url = f"{API}/lessons/{quiz}/attempts"
    assert_problem(await client.post(url, json={}, headers=learner_headers), 422)
    assert_problem(await client.post(url, json={"answers": "a"}, headers=learner_headers), 422)
    assert_problem(
        await client.post(url, json={"answers": [], "score": 100}, headers=learner_headers), 422
    )
    assert_problem(
        await client.post(url, json={"answers": [{"question_id": "q1"}]}, headers=learner_headers),
        422,
    )
    assert_problem(
        await client.post(
            url, content=b"{", headers={**learner_headers, "content-type": "application/json"}
        ),
        400,
    )
    assert_problem(await _attempt(client, learner_headers, text, ALL_RIGHT), 409, "not_a_quiz")
    assert_problem(
        await client.post(f"{API}/lessons/{quiz}/complete", headers=learner_headers),
        409,
        "lesson_is_quiz",
    )


async def _committed_quiz_setup(
    engine: AsyncEngine, settings: Settings, *, max_attempts: int | None
) -> tuple[User, Any, Any]:
    factory = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    async with factory() as session:
        user = await create_user(session, settings)
        course = build_course(
            {
                "title": "Kuis Serentak",
                "slug": "kuis-serentak",
                "sections": [{"title": "S", "lessons": [quiz_lesson(max_attempts=max_attempts)]}],
            }
        )
        session.add(course)
        await session.flush()
        session.add(Enrollment(user_id=user.id, course_id=course.id))
        await session.commit()
    return user, course, lesson_ids(course)[0]


async def test_attempts_limit_holds_under_concurrency(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    user, _, quiz = await _committed_quiz_setup(engine, settings, max_attempts=3)
    headers = auth_headers(settings, user)
    responses = await asyncio.gather(
        *[_attempt(committed_client, headers, quiz, HALF_RIGHT) for _ in range(5)]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 201, 201, 409, 409], [r.text for r in responses]
    assert sorted(r.json()["attempt_number"] for r in responses if r.status_code == 201) == [
        1,
        2,
        3,
    ]

    async with async_sessionmaker(engine)() as session:
        progress = (
            await session.scalars(select(LessonProgress).where(LessonProgress.lesson_id == quiz))
        ).one()
        assert progress.attempts == 3
        attempts = await session.scalar(
            select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user.id)
        )
        assert attempts == 3
        events = await session.scalar(
            select(func.count())
            .select_from(LearningEvent)
            .where(
                LearningEvent.user_id == user.id, LearningEvent.verb == LearningVerb.QUIZ_ATTEMPTED
            )
        )
        assert events == 3


async def test_concurrent_enrolment_creates_one_enrolment(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    factory = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    async with factory() as session:
        user = await create_user(session, settings)
        course = build_course(
            {"title": "Serbu", "sections": [{"title": "S", "lessons": [text_lesson()]}]}
        )
        session.add(course)
        await session.commit()
    headers = auth_headers(settings, user)
    responses = await asyncio.gather(
        *[
            committed_client.post(f"{API}/courses/{course.id}/enroll", headers=headers)
            for _ in range(5)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201], [
        r.text for r in responses
    ]
    assert len({r.json()["id"] for r in responses}) == 1
    async with factory() as session:
        assert await session.scalar(select(func.count()).select_from(Enrollment)) == 1
        enrolled = await session.scalar(
            select(func.count())
            .select_from(LearningEvent)
            .where(LearningEvent.verb == LearningVerb.ENROLLED)
        )
        assert enrolled == 1
