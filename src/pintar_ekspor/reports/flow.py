"""How learners move through courses: engagement per lesson, completion, cohorts, drop-off."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.courses.models import Course, CourseStatus, Lesson, Section
from pintar_ekspor.learning.models import LearningEvent, LearningVerb, LessonProgress
from pintar_ekspor.learning.models import LearningLessonDaily as LessonDay
from pintar_ekspor.learning.models import LearningLessonLearner as Pair
from pintar_ekspor.reports.activity import activity_series, dialect_of, in_range
from pintar_ekspor.reports.params import Granularity, ReportParams
from pintar_ekspor.reports.privacy import Audience, Rule, protect, protect_all
from pintar_ekspor.reports.sql import (
    bucket,
    cohort,
    lesson_order,
    listed_courses,
    rate,
    seconds_between,
)

LESSON_RULE = Rule(counts=("viewers", "completions"), derived={"views": "viewers"})
GAP_RULE = Rule(
    counts=("learners",),
    derived={"gaps": "learners", "median_hours_between_lessons": "learners"},
)
COMPLETION_RULE = Rule(
    counts=("enrolled", "completed", "not_started"),
    derived={"completion_rate": ("enrolled", "completed")},
)
COHORT_RULE = Rule(
    counts=("enrolled", "completed"), derived={"completion_rate": ("enrolled", "completed")}
)
FUNNEL_RULE = Rule(counts=("reached", "stopped"))
ORDER_BASE = 100_000  # lesson positions stay far below this within a section


# --- course-engagement ------------------------------------------------------------------------


def _lesson_events(params: ReportParams) -> Any:
    """Views, viewers and completers per lesson in the range, from two roll-ups.

    Views: the sum of the lesson's daily counts. Viewers (completers alike): a learner whose
    first or last view of the lesson falls inside the range viewed it there; one whose views
    all lie outside did not; only one with views before and after the whole range needs a
    look at the events (an index-only probe, and never one for a range reaching today)."""
    days = [LessonDay.day >= params.date_from, LessonDay.day <= params.date_to]
    pair_filter = []
    if params.course_id is not None:
        days.append(LessonDay.course_id == params.course_id)
        pair_filter.append(Pair.course_id == params.course_id)
    views = (
        select(
            LessonDay.lesson_id,
            func.sum(LessonDay.views).label("views"),
            literal(0).label("viewers"),
            literal(0).label("completions"),
        )
        .where(*days)
        .group_by(LessonDay.lesson_id)
    )

    start, end = params.start, params.end

    def overlaps(first: Any, last: Any) -> Any:
        return and_(first < end, last >= start)

    def spans(first: Any, last: Any) -> Any:
        return and_(first < start, last >= end)

    def probe(verb: LearningVerb) -> Any:
        return (
            select(LearningEvent.id)
            .where(
                LearningEvent.lesson_id == Pair.lesson_id,
                LearningEvent.user_id == Pair.user_id,
                LearningEvent.course_id == Pair.course_id,
                LearningEvent.verb == verb,
                LearningEvent.occurred_at >= start,
                LearningEvent.occurred_at < end,
            )
            .exists()
        )

    viewed = (Pair.first_viewed_at, Pair.last_viewed_at)
    completed = (Pair.first_completed_at, Pair.last_completed_at)
    # First or last inside the range: a viewer (completer) for sure.
    certain = (
        select(
            Pair.lesson_id,
            literal(0).label("views"),
            func.sum(case((and_(overlaps(*viewed), ~spans(*viewed)), 1), else_=0)).label("viewers"),
            func.sum(case((and_(overlaps(*completed), ~spans(*completed)), 1), else_=0)).label(
                "completions"
            ),
        )
        .where(*pair_filter, or_(overlaps(*viewed), overlaps(*completed)))
        .group_by(Pair.lesson_id)
    )

    # Before and after the whole range: probe the events of those learners only, one row
    # each (the outer query sums them; grouped here, SQLite would rather scan every pair in
    # key order than read the few through the index on the last view). The probe stays in
    # the select list (a per-row subplan): inside WHERE, PostgreSQL's generic plan of the
    # prepared statement turns it into a join driven by every event of the range.
    def spanning(first_last: tuple[Any, Any], verb: LearningVerb, name: str) -> Any:
        counted = case((probe(verb), 1), else_=0).label(name)
        others = [literal(0).label(n) for n in ("views", "viewers", "completions") if n != name]
        columns = {c.name: c for c in (counted, *others)}
        return select(
            Pair.lesson_id, columns["views"], columns["viewers"], columns["completions"]
        ).where(*pair_filter, spans(*first_last))

    spanning_viewers = spanning(viewed, LearningVerb.LESSON_VIEWED, "viewers")
    spanning_completers = spanning(completed, LearningVerb.LESSON_COMPLETED, "completions")
    both = union_all(views, certain, spanning_viewers, spanning_completers).subquery(
        "lesson_counts"
    )
    return select(
        both.c.lesson_id,
        func.sum(both.c.views).label("views"),
        func.sum(both.c.viewers).label("viewers"),
        func.sum(both.c.completions).label("completions"),
    ).group_by(both.c.lesson_id)


def _listed_lessons(params: ReportParams) -> Any:
    """Every lesson in reading order with its course's title and status.

    Joined with the event counts in Python: SQLite cannot push a join into the window-function
    subquery and would rescan it once per lesson."""
    lessons = lesson_order(params)
    return (
        select(
            lessons.c.course_id,
            Course.title.label("course_title"),
            Course.status,
            lessons.c.lesson_id,
            lessons.c.title,
            lessons.c.kind,
            lessons.c.ordinal,
        )
        .join(Course, Course.id == lessons.c.course_id)
        .order_by(Course.title, lessons.c.course_id, lessons.c.ordinal)
    )


def _gap_stats(params: ReportParams, dialect: str) -> Any:
    """Median time between one completed lesson and the learner's next (same course).

    The gaps are computed once (a CTE); the median is the average of the middle one or two
    of them, read with ORDER BY / LIMIT / OFFSET (a second window over every gap cost SQLite
    twice as much)."""
    previous = func.lag(LearningEvent.occurred_at).over(
        partition_by=(LearningEvent.user_id, LearningEvent.course_id),
        order_by=LearningEvent.occurred_at,
    )
    steps = (
        select(LearningEvent.user_id, LearningEvent.occurred_at, previous.label("prev"))
        .where(*in_range(params), LearningEvent.verb == LearningVerb.LESSON_COMPLETED)
        .subquery("steps")
    )
    gaps = (
        select(
            steps.c.user_id, seconds_between(steps.c.occurred_at, steps.c.prev, dialect).label("s")
        )
        .where(steps.c.prev.is_not(None))
        .cte("gaps")
    )
    n = select(func.count()).select_from(gaps).scalar_subquery()
    middle = (
        select(gaps.c.s)
        .order_by(gaps.c.s)
        .limit(2 - n % 2)  # n odd: the middle gap; even (or 0): the middle two
        .offset((n - 1) // 2)
        .subquery("middle")
    )
    return select(
        select(func.count(func.distinct(gaps.c.user_id))).scalar_subquery().label("learners"),
        n.label("gaps"),
        select(func.avg(middle.c.s)).scalar_subquery().label("median"),
    )


async def course_engagement(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> dict[str, Any]:
    """Activity over time, views and completions per lesson, and the median time between
    lessons, all counted from learning events inside the range."""
    # A lesson has events in the range exactly when it has views or completers there.
    counts = {
        row.lesson_id: row
        for row in await session.execute(_lesson_events(params))
        if row.views or row.completions
    }
    items = []
    for row in await session.execute(_listed_lessons(params)):
        seen = counts.get(row.lesson_id)
        if seen is None and params.course_id is None and row.status == CourseStatus.DRAFT:
            continue
        items.append(
            {
                "course_id": row.course_id,
                "course_title": row.course_title,
                "lesson_id": row.lesson_id,
                "title": row.title,
                "kind": row.kind.value if hasattr(row.kind, "value") else str(row.kind),
                "ordinal": row.ordinal,
                "views": int(seen.views or 0) if seen else 0,
                "viewers": int(seen.viewers or 0) if seen else 0,
                "completions": int(seen.completions or 0) if seen else 0,
            }
        )
    gap = (await session.execute(_gap_stats(params, dialect_of(session)))).one()
    median = None if gap.median is None else round(float(gap.median) / 3600, 2)
    between = {
        "learners": int(gap.learners or 0),
        "gaps": int(gap.gaps or 0),
        "median_hours_between_lessons": median,
    }
    return {
        "between_lessons": protect(between, GAP_RULE, audience),
        "items": protect_all(items, LESSON_RULE, audience),
        "series": await activity_series(session, params, audience),
    }


# --- completion-rates -------------------------------------------------------------------------


def _cohort_months(params: ReportParams, dialect: str) -> Any:
    members = cohort(params)
    month = bucket(members.c.enrolled_at, Granularity.MONTH, dialect)
    months = (
        select(
            members.c.course_id,
            month.label("month"),
            func.count().label("enrolled"),
            func.count(members.c.completed_at).label("completed"),
        )
        .group_by(members.c.course_id, month)
        .subquery("months")
    )
    return (
        listed_courses(params, months, months.c.course_id)
        .add_columns(months.c.month, months.c.enrolled, months.c.completed)
        .order_by(Course.title, Course.id, months.c.month)
    )


def _furthest_lessons(params: ReportParams) -> Any:
    """Per course: how many cohort learners have each lesson as the furthest one they opened
    (`learners`), and how many of those have not completed the course (`open`).

    The furthest lesson is the largest (section position, lesson position) pair, packed into
    one sortable key; `completion_rates` maps keys to reading-order places."""
    members = cohort(params)
    order_key = Section.position * ORDER_BASE + Lesson.position
    furthest = (
        select(
            members.c.course_id,
            members.c.user_id,
            func.max(order_key).label("far"),
            func.max(case((members.c.completed_at.is_not(None), 1), else_=0)).label("done"),
        )
        .join(
            LessonProgress,
            (LessonProgress.user_id == members.c.user_id)
            & (LessonProgress.course_id == members.c.course_id),
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Section, Section.id == Lesson.section_id)
        .where(LessonProgress.started_at < params.end)
        .group_by(members.c.course_id, members.c.user_id)
        .subquery("furthest")
    )
    return select(
        furthest.c.course_id,
        furthest.c.far,
        func.count().label("learners"),
        func.sum(1 - furthest.c.done).label("open"),
    ).group_by(furthest.c.course_id, furthest.c.far)


def _lessons_with_keys(params: ReportParams) -> Any:
    ordered = lesson_order(params)
    return (
        select(ordered, (Section.position * ORDER_BASE + Lesson.position).label("order_key"))
        .join(Lesson, Lesson.id == ordered.c.lesson_id)
        .join(Section, Section.id == Lesson.section_id)
        .order_by(ordered.c.course_id, ordered.c.ordinal)
    )


def _funnel(
    lessons: list[Any], histogram: dict[int, tuple[int, int]], audience: Audience
) -> list[dict[str, Any]]:
    steps = []
    reached = sum(learners for learners, _ in histogram.values())
    for lesson in lessons:
        learners_here, open_here = histogram.get(lesson.ordinal, (0, 0))
        steps.append(
            {
                "lesson_id": lesson.lesson_id,
                "title": lesson.title,
                "ordinal": lesson.ordinal,
                "reached": reached,
                "stopped": open_here,
            }
        )
        reached -= learners_here
    return protect_all(steps, FUNNEL_RULE, audience)


async def completion_rates(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> dict[str, Any]:
    """Per course: completion rate, cohorts by enrolment month, and the drop-off funnel."""
    dialect = dialect_of(session)
    lessons_by_course: dict[uuid.UUID, list[Any]] = defaultdict(list)
    ordinal_of: dict[tuple[uuid.UUID, int], int] = {}
    for lesson in await session.execute(_lessons_with_keys(params)):
        lessons_by_course[lesson.course_id].append(lesson)
        ordinal_of[(lesson.course_id, lesson.order_key)] = lesson.ordinal
    histograms: dict[uuid.UUID, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in await session.execute(_furthest_lessons(params)):
        ordinal = ordinal_of[(row.course_id, int(row.far))]
        histograms[row.course_id][ordinal] = (int(row.learners), int(row.open or 0))
    courses: dict[uuid.UUID, dict[str, Any]] = {}
    for row in await session.execute(_cohort_months(params, dialect)):
        course = courses.setdefault(
            row.id,
            {"course_id": row.id, "slug": row.slug, "title": row.title, "cohorts": []},
        )
        if row.month is not None:
            enrolled, completed = int(row.enrolled), int(row.completed)
            course["cohorts"].append(
                {
                    "month": row.month,
                    "enrolled": enrolled,
                    "completed": completed,
                    "completion_rate": rate(completed, enrolled),
                }
            )
    items = []
    for course_id, course in courses.items():
        enrolled = sum(c["enrolled"] for c in course["cohorts"])
        completed = sum(c["completed"] for c in course["cohorts"])
        histogram = histograms.get(course_id, {})
        started = sum(learners for learners, _ in histogram.values())
        entry = {
            **course,
            "enrolled": enrolled,
            "completed": completed,
            "completion_rate": rate(completed, enrolled),
            "not_started": enrolled - started,
        }
        protect(entry, COMPLETION_RULE, audience)
        entry["cohorts"] = protect_all(course["cohorts"], COHORT_RULE, audience)
        entry["funnel"] = _funnel(lessons_by_course.get(course_id, []), histogram, audience)
        items.append(entry)
    return {"items": items, "series": await activity_series(session, params, audience)}
