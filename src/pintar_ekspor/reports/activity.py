"""Learning activity over time: one grouped query over the daily roll-up per report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.learning.models import LearningDailyActivity as Daily
from pintar_ekspor.learning.models import LearningEvent, LearningVerb
from pintar_ekspor.reports.params import Granularity, ReportParams
from pintar_ekspor.reports.privacy import Audience, Rule, protect_all
from pintar_ekspor.reports.sql import sql_text

# Event counts are acts of the bucket's active learners: withheld with a small group.
ACTIVITY_RULE = Rule(
    counts=("active_learners", "enrolments", "course_completions"),
    derived={
        "lessons_viewed": "active_learners",
        "lessons_completed": "active_learners",
        "quiz_attempts": "active_learners",
    },
)
_VERB_FIELDS = {
    "enrolments": LearningVerb.ENROLLED,
    "lessons_viewed": LearningVerb.LESSON_VIEWED,
    "lessons_completed": LearningVerb.LESSON_COMPLETED,
    "quiz_attempts": LearningVerb.QUIZ_ATTEMPTED,
    "course_completions": LearningVerb.COURSE_COMPLETED,
}


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def in_range(params: ReportParams) -> list[ColumnElement[bool]]:
    """Events inside the range (and course) of `params`."""
    conditions = [
        LearningEvent.occurred_at >= params.start,
        LearningEvent.occurred_at < params.end,
    ]
    if params.course_id is not None:
        conditions.append(LearningEvent.course_id == params.course_id)
    return conditions


def days_in_range(params: ReportParams) -> list[ColumnElement[bool]]:
    """Daily roll-up rows inside the range (and course) of `params`.

    The range is whole UTC days, so these rows hold exactly the events `in_range` selects."""
    conditions = [Daily.day >= params.date_from, Daily.day <= params.date_to]
    if params.course_id is not None:
        conditions.append(Daily.course_id == params.course_id)
    return conditions


def day_bucket(granularity: Granularity, dialect: str) -> tuple[Any, ColumnElement[str]]:
    """The roll-up column to group by for `granularity`, and its ISO date text.

    Buckets are whole days, so the stored day, week start or month start is the bucket: no
    date function runs per row (that was most of the cost of reading the raw events)."""
    column = {
        Granularity.DAY: Daily.day,
        Granularity.WEEK: Daily.week_start,
        Granularity.MONTH: Daily.month_start,
    }[granularity]
    if dialect == "postgresql":
        return column, func.to_char(column, sql_text("YYYY-MM-DD"))
    return column, type_coerce(column, String)  # SQLite stores the ISO text itself


async def activity_series(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> list[dict[str, Any]]:
    """Per time bucket: active learners and counts of each kind of learning event."""
    group, period = day_bucket(params.granularity, dialect_of(session))
    stmt = (
        select(
            period.label("period"),
            func.count(func.distinct(Daily.user_id)).label("active_learners"),
            *(func.sum(getattr(Daily, name)).label(name) for name in _VERB_FIELDS),
        )
        .where(*days_in_range(params))
        .group_by(group)
    )
    found = {row.period: row._asdict() for row in await session.execute(stmt)}
    empty = dict.fromkeys(("active_learners", *_VERB_FIELDS), 0)
    rows = [{**empty, **found.get(p, {}), "period": p} for p in params.buckets()]
    for row in rows:
        for name in ("active_learners", *_VERB_FIELDS):
            row[name] = int(row[name] or 0)
    return protect_all(rows, ACTIVITY_RULE, audience)
