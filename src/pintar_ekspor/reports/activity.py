"""Learning activity over time: one grouped query over the daily roll-up per report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, func, literal, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.learning.models import LearningDailyActivity as Daily
from pintar_ekspor.learning.models import LearningEvent, LearningVerb
from pintar_ekspor.learning.models import LearningPeriodActivity as Period
from pintar_ekspor.learning.models import LearningPeriodTotal as Total
from pintar_ekspor.reports.params import Granularity, ReportParams, next_bucket
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
    return column, _period_text(column, dialect)


@dataclass(frozen=True)
class Split:
    """A range cut into whole buckets (starts `first`..`last`, None when there is none) and
    the partial buckets at its edges: (bucket start as ISO text, first day, last day)."""

    first: date | None
    last: date | None
    edges: list[tuple[str, date, date]]


def split_range(params: ReportParams) -> Split:
    whole: list[date] = []
    edges: list[tuple[str, date, date]] = []
    for text in params.buckets():
        start = date.fromisoformat(text)
        end = next_bucket(start, params.granularity) - timedelta(days=1)
        if start >= params.date_from and end <= params.date_to:
            whole.append(start)
        else:
            edges.append((text, max(start, params.date_from), min(end, params.date_to)))
    if not whole:
        return Split(None, None, edges)
    return Split(whole[0], whole[-1], edges)


def _period_text(column: Any, dialect: str) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(column, sql_text("YYYY-MM-DD"))
    return type_coerce(column, String)  # SQLite stores the ISO text itself


def activity_statement(params: ReportParams, dialect: str) -> Any:
    """One statement: per bucket `period`, `active_learners` and the sum of each verb.

    Without a course filter, a whole bucket is one row of `learning_period_totals`, and the
    partial buckets at the range's edges count distinct learners over the day rows of
    `learning_period_activity` (one row per learner and day). With a course, the course's rows of
    the daily roll-up (a twelfth of it or less) are counted as before."""
    sums = [func.sum(getattr(Period, name)).label(name) for name in _VERB_FIELDS]
    if params.course_id is not None:
        group, period = day_bucket(params.granularity, dialect)
        return (
            select(
                period.label("period"),
                func.count(func.distinct(Daily.user_id)).label("active_learners"),
                *(func.sum(getattr(Daily, name)).label(name) for name in _VERB_FIELDS),
            )
            .where(*days_in_range(params))
            .group_by(group)
        )
    split = split_range(params)
    parts = []
    if split.first is not None and split.last is not None:
        parts.append(
            select(
                _period_text(Total.period_start, dialect).label("period"),
                Total.learners.label("active_learners"),
                *(getattr(Total, name).label(name) for name in _VERB_FIELDS),
            ).where(
                Total.granularity == params.granularity.value,
                Total.period_start >= split.first,
                Total.period_start <= split.last,
            )
        )
    for label, low, high in split.edges:
        parts.append(
            select(
                literal(label, String).label("period"),
                func.count(func.distinct(Period.user_id)).label("active_learners"),
                *sums,
            ).where(
                Period.granularity == Granularity.DAY.value,
                Period.period_start >= low,
                Period.period_start <= high,
            )
        )
    return union_all(*parts) if len(parts) > 1 else parts[0]


def active_total_statement(params: ReportParams) -> Any:
    """Distinct learners active in the range (in its course): whole months from the month
    rows, the edges from the day rows (or the course's daily rows)."""
    if params.course_id is not None:
        return select(func.count(func.distinct(Daily.user_id))).where(*days_in_range(params))
    split = split_range(replace(params, granularity=Granularity.MONTH))
    parts = []
    if split.first is not None and split.last is not None:
        parts.append(
            select(Period.user_id).where(
                Period.granularity == Granularity.MONTH.value,
                Period.period_start >= split.first,
                Period.period_start <= split.last,
            )
        )
    parts += [
        select(Period.user_id).where(
            Period.granularity == Granularity.DAY.value,
            Period.period_start >= low,
            Period.period_start <= high,
        )
        for _, low, high in split.edges
    ]
    active = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("active")
    return select(func.count(func.distinct(active.c.user_id)))


async def activity_series(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> list[dict[str, Any]]:
    """Per time bucket: active learners and counts of each kind of learning event."""
    stmt = activity_statement(params, dialect_of(session))
    found = {row.period: row._asdict() for row in await session.execute(stmt)}
    empty = dict.fromkeys(("active_learners", *_VERB_FIELDS), 0)
    rows = [{**empty, **found.get(p, {}), "period": p} for p in params.buckets()]
    for row in rows:
        for name in ("active_learners", *_VERB_FIELDS):
            row[name] = int(row[name] or 0)
    return protect_all(rows, ACTIVITY_RULE, audience)
