"""The daily roll-up the reports read follows the learning events as they are written."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
from report_history import History
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.learning.models import (
    LearningDailyActivity,
    LearningEvent,
    LearningLessonDaily,
    LearningLessonLearner,
    LearningPeriodActivity,
    LearningPeriodTotal,
    LearningVerb,
)


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


def _span(times: list[datetime]) -> tuple[datetime | None, datetime | None]:
    return (min(times), max(times)) if times else (None, None)


def _recount(events: list[LearningEvent]) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    """The 0018 roll-ups computed in Python from the raw events (the source of truth)."""
    fields = [v.value for v in _COUNTED]
    periods: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * (1 + len(fields)))
    days: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    pairs: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, [], 0, []])
    for e in events:
        day = e.occurred_at.astimezone(UTC).date()
        starts = {
            "day": day,
            "week": day - timedelta(days=day.weekday()),
            "month": day.replace(day=1),
        }
        for granularity, start in starts.items():
            row = periods[(granularity, start, e.user_id)]
            row[0] += 1
            if e.verb.value in fields:
                row[1 + fields.index(e.verb.value)] += 1
        viewed = e.verb == LearningVerb.LESSON_VIEWED
        if e.lesson_id is None or not (viewed or e.verb == LearningVerb.LESSON_COMPLETED):
            continue
        days[(e.lesson_id, day, e.course_id)][0 if viewed else 1] += 1
        pair = pairs[(e.lesson_id, e.user_id, e.course_id)]
        pair[0 if viewed else 2] += 1
        pair[1 if viewed else 3].append(e.occurred_at)
    totals: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * (2 + len(fields)))
    for (granularity, start, _), counts in periods.items():
        total = totals[(granularity, start)]
        total[0] += 1
        for i, n in enumerate(counts):
            total[1 + i] += n
    return {
        "periods": {k: tuple(v) for k, v in periods.items()},
        "totals": {k: tuple(v) for k, v in totals.items()},
        "days": {k: tuple(v) for k, v in days.items()},
        "pairs": {
            k: (views, *_span(seen), done, *_span(finished))
            for k, (views, seen, done, finished) in pairs.items()
        },
    }


async def _stored(session: AsyncSession) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    counts = ("events", "enrolments", "lessons_viewed", "lessons_completed", "quiz_attempts")
    counts += ("course_completions",)
    p = LearningPeriodActivity
    t = LearningPeriodTotal
    d = LearningLessonDaily
    q = LearningLessonLearner
    return {
        "periods": {
            (r.granularity, r.period_start, r.user_id): tuple(getattr(r, c) for c in counts)
            for r in (await session.scalars(select(p))).all()
        },
        "totals": {
            (r.granularity, r.period_start): (r.learners, *(getattr(r, c) for c in counts))
            for r in (await session.scalars(select(t))).all()
        },
        "days": {
            (r.lesson_id, r.day, r.course_id): (r.views, r.completions)
            for r in (await session.scalars(select(d))).all()
        },
        "pairs": {
            (r.lesson_id, r.user_id, r.course_id): (
                r.views,
                r.first_viewed_at,
                r.last_viewed_at,
                r.completions,
                r.first_completed_at,
                r.last_completed_at,
            )
            for r in (await session.scalars(select(q))).all()
        },
    }


_COUNTED = (
    LearningVerb.ENROLLED,
    LearningVerb.LESSON_VIEWED,
    LearningVerb.LESSON_COMPLETED,
    LearningVerb.QUIZ_ATTEMPTED,
    LearningVerb.COURSE_COMPLETED,
)


async def test_report_rollups_equal_a_recount_of_the_events_after_inserts_and_deletes(
    db_session: AsyncSession, history: History
) -> None:
    async def check() -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
        db_session.expire_all()
        events = (await db_session.scalars(select(LearningEvent))).all()
        stored = await _stored(db_session)
        assert stored == _recount(list(events))
        return stored

    learner_id, lesson_id = history.learners[4].id, history.lessons_a[0].id
    gone = history.learners[0].id
    course_id = history.course_a.id
    before = await check()
    assert all(before[name] for name in ("periods", "totals", "days", "pairs"))

    # Out of order, across weeks and months, twice on one day, a lesson-less event.
    added = [
        LearningEvent(
            user_id=learner_id, verb=verb, course_id=course_id, lesson_id=lid, occurred_at=when
        )
        for verb, lid, when in (
            (LearningVerb.LESSON_VIEWED, lesson_id, datetime(2026, 5, 4, 23, 59, tzinfo=UTC)),
            (LearningVerb.LESSON_VIEWED, lesson_id, datetime(2026, 1, 31, 8, tzinfo=UTC)),
            (LearningVerb.LESSON_VIEWED, lesson_id, datetime(2026, 5, 4, 1, tzinfo=UTC)),
            (LearningVerb.LESSON_COMPLETED, lesson_id, datetime(2026, 5, 5, tzinfo=UTC)),
            (LearningVerb.QUIZ_ATTEMPTED, lesson_id, datetime(2026, 6, 1, tzinfo=UTC)),
            (LearningVerb.WITHDRAWN, None, datetime(2026, 6, 2, tzinfo=UTC)),
        )
    ]
    db_session.add_all(added)
    await db_session.flush()
    grown = await check()
    pair = grown["pairs"][(lesson_id, learner_id, course_id)]
    assert pair[1] == datetime(2026, 1, 31, 8, tzinfo=UTC)  # the earliest, inserted second
    assert pair[2] == datetime(2026, 5, 4, 23, 59, tzinfo=UTC)  # the latest, inserted first

    # Deleting the first and the last view recomputes both from the views that remain.
    for event in (added[0], added[1]):
        await db_session.delete(event)
    await db_session.flush()
    shrunk = await check()
    pair = shrunk["pairs"][(lesson_id, learner_id, course_id)]
    assert pair[1] != datetime(2026, 1, 31, 8, tzinfo=UTC)

    # Every event of one learner gone: their rows and their share of the totals go too.
    await db_session.execute(delete(LearningEvent).where(LearningEvent.user_id == learner_id))
    emptied = await check()
    assert not [k for k in emptied["periods"] if k[2] == learner_id]
    assert not [k for k in emptied["pairs"] if k[1] == learner_id]

    # A deleted account takes its events with it (a cascade): the same recount still holds.
    assert [k for k in emptied["pairs"] if k[1] == gone]
    await db_session.execute(delete(User).where(User.id == gone))
    cascaded = await check()
    assert not [k for k in cascaded["pairs"] if k[1] == gone]
