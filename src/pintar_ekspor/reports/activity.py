"""Learning activity over time: one grouped query over `learning_events` per report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.learning.models import LearningEvent, LearningVerb
from pintar_ekspor.reports.params import ReportParams
from pintar_ekspor.reports.privacy import Audience, Rule, protect_all
from pintar_ekspor.reports.sql import bucket

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


# SQLite's planner prefers the narrower (verb, occurred_at) index and then reads every row;
# the covering index is several times faster for a range scan over all courses.
COVERING_INDEX = "ix_learning_events_occurred_at_user_id"


def covering_hint(stmt: Any, params: ReportParams) -> Any:
    """Point SQLite at the covering index when the scan is not limited to one course."""
    if params.course_id is not None:
        return stmt
    return stmt.with_hint(LearningEvent, f"INDEXED BY {COVERING_INDEX}", dialect_name="sqlite")


def verb_count(verb: LearningVerb) -> ColumnElement[Any]:
    return func.sum(case((LearningEvent.verb == verb, 1), else_=0))


async def activity_series(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> list[dict[str, Any]]:
    """Per time bucket: active learners and counts of each kind of learning event."""
    period = bucket(LearningEvent.occurred_at, params.granularity, dialect_of(session))
    stmt = (
        select(
            period.label("period"),
            func.count(func.distinct(LearningEvent.user_id)).label("active_learners"),
            *(verb_count(verb).label(name) for name, verb in _VERB_FIELDS.items()),
        )
        .where(*in_range(params))
        .group_by(period)
    )
    stmt = covering_hint(stmt, params)
    found = {row.period: row._asdict() for row in await session.execute(stmt)}
    empty = dict.fromkeys(("active_learners", *_VERB_FIELDS), 0)
    rows = [{**empty, **found.get(p, {}), "period": p} for p in params.buckets()]
    for row in rows:
        for name in ("active_learners", *_VERB_FIELDS):
            row[name] = int(row[name] or 0)
    return protect_all(rows, ACTIVITY_RULE, audience)
