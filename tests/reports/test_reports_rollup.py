"""The daily roll-up the reports read follows the learning events as they are written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
from report_history import History
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers
from pintar_ekspor.core.config import Settings
from pintar_ekspor.learning.models import LearningDailyActivity, LearningEvent, LearningVerb


async def _today(
    client: httpx2.AsyncClient, report: str, history: History, headers: dict[str, str]
) -> dict[str, Any]:
    today = datetime.now(UTC).date().isoformat()
    response = await client.get(
        f"/api/v1/analytics/{report}",
        params={"from": today, "to": today, "course_id": str(history.course_a.id)},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_new_lesson_view_shows_in_the_next_report(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    history: History,
    admin_headers: dict[str, str],
) -> None:
    learner = history.learners[4]  # u5: enrolled in course A, last seen in March
    before = await _today(client, "course-progress", history, admin_headers)
    [point] = before["series"]
    assert (point["active_learners"], point["lessons_viewed"]) == (0, 0)

    lesson = history.lessons_a[0]
    for _ in range(2):
        response = await client.get(
            f"/api/v1/lessons/{lesson.id}", headers=auth_headers(settings, learner)
        )
        assert response.status_code == 200, response.text

    after = await _today(client, "course-engagement", history, admin_headers)
    [point] = after["series"]
    assert (point["active_learners"], point["lessons_viewed"]) == (1, 2)
    first = after["items"][0]
    assert (first["title"], first["views"], first["viewers"]) == ("A1", 2, 1)


async def test_removing_events_takes_them_out_of_the_roll_up(
    db_session: AsyncSession, history: History
) -> None:
    learner = history.learners[7]  # u8: one enrolment and one view of course B, on Jan 20
    rows = select(LearningDailyActivity).where(LearningDailyActivity.user_id == learner.id)
    [day] = (await db_session.scalars(rows)).all()
    assert (day.events, day.enrolments, day.lessons_viewed) == (2, 1, 1)

    await db_session.execute(
        delete(LearningEvent).where(
            LearningEvent.user_id == learner.id, LearningEvent.verb == LearningVerb.ENROLLED
        )
    )
    await db_session.refresh(day)
    assert (day.events, day.enrolments, day.lessons_viewed) == (1, 0, 1)

    await db_session.execute(delete(LearningEvent).where(LearningEvent.user_id == learner.id))
    db_session.expunge(day)
    assert (await db_session.scalars(rows)).all() == []
