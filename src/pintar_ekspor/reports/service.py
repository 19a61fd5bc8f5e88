"""Course progress, the distribution of learner progress, and one learner's drill-down.

A report is computed whole (every course in scope) with a fixed number of grouped queries,
then cached and paginated by the router. Figures are about the *cohort*: enrolments made
between `from` and `to`, in their state at the end of `to`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.errors import NotFoundError
from pintar_ekspor.courses.models import Course, LessonKind
from pintar_ekspor.learning.models import Enrollment, LessonProgress, QuizAttempt
from pintar_ekspor.learning.models import LearningDailyActivity as Daily
from pintar_ekspor.reports.activity import (
    activity_series,
    day_bucket,
    days_in_range,
    dialect_of,
)
from pintar_ekspor.reports.params import ReportParams
from pintar_ekspor.reports.privacy import Audience, Rule, protect, protect_all
from pintar_ekspor.reports.sql import (
    cohort,
    enrolment_progress,
    lesson_order,
    listed_courses,
    median_by,
    rate,
    ratio,
    seconds_between,
)

COURSE_RULE = Rule(
    counts=("enrolled", "withdrawn", "completed", "active_7d", "active_30d"),
    derived={
        "completion_rate": ("enrolled", "completed"),
        "average_progress": "enrolled",
        "median_days_to_complete": "completed",
    },
)
QUIZ_RULE = Rule(
    counts=("attempted_learners", "passed_learners"),
    derived={
        "pass_rate": ("attempted_learners", "passed_learners"),
        "attempts": "attempted_learners",
        "average_score": "attempted_learners",
    },
)
BUCKETS = ("progress_0", "progress_1_24", "progress_25_49", "progress_50_74", "progress_75_99")
BUCKET_FIELDS = (*BUCKETS, "progress_100")
BUCKETS_RULE = Rule(
    counts=("enrolments", "learners", *BUCKET_FIELDS),
    derived={"average_progress": "enrolments"},
)


async def ensure_course(session: AsyncSession, course_id: uuid.UUID | None) -> None:
    """404 `course_not_found` for a course filter naming no course."""
    if course_id is not None and await session.get(Course, course_id) is None:
        raise NotFoundError(f"Course {course_id} does not exist.", code="course_not_found")


# --- course-progress --------------------------------------------------------------------------


def _course_stats(params: ReportParams, dialect: str) -> Any:
    members = cohort(params)
    progress = enrolment_progress(params, members)
    # Last active day per learner and course in the range's last 30 days (whole UTC days, so
    # "within 7 days of the end" is exactly "on one of its last 7 days").
    recent = [Daily.day >= params.date_to - timedelta(days=29), Daily.day <= params.date_to]
    if params.course_id is not None:
        recent.append(Daily.course_id == params.course_id)
    last_seen = (
        select(Daily.user_id, Daily.course_id, func.max(Daily.day).label("last_day"))
        .where(*recent)
        .group_by(Daily.user_id, Daily.course_id)
        .subquery("last_seen")
    )
    week_start = params.date_to - timedelta(days=6)
    stats = (
        select(
            progress.c.course_id,
            func.count().label("enrolled"),
            func.sum(progress.c.withdrawn).label("withdrawn"),
            func.count(progress.c.completed_at).label("completed"),
            func.sum(case((last_seen.c.last_day >= week_start, 1), else_=0)).label("active_7d"),
            func.count(last_seen.c.last_day).label("active_30d"),
            func.avg(progress.c.percent).label("average_progress"),
        )
        .select_from(progress)
        .outerjoin(
            last_seen,
            and_(
                last_seen.c.user_id == progress.c.user_id,
                last_seen.c.course_id == progress.c.course_id,
            ),
        )
        .group_by(progress.c.course_id)
        .subquery("stats")
    )
    durations = (
        select(
            members.c.course_id,
            seconds_between(members.c.completed_at, members.c.enrolled_at, dialect).label("s"),
        )
        .where(members.c.completed_at.is_not(None))
        .subquery("durations")
    )
    medians = median_by(durations, "s", ["course_id"])
    return (
        listed_courses(params, stats, stats.c.course_id)
        .add_columns(
            stats.c.enrolled,
            stats.c.withdrawn,
            stats.c.completed,
            stats.c.active_7d,
            stats.c.active_30d,
            stats.c.average_progress,
            medians.c.median,
        )
        .outerjoin(medians, medians.c.course_id == Course.id)
        .order_by(Course.title, Course.id)
    )


def _quiz_stats(params: ReportParams) -> Any:
    members = cohort(params)
    attempts = (
        select(
            QuizAttempt.lesson_id,
            func.count(func.distinct(QuizAttempt.user_id)).label("attempted_learners"),
            func.count(func.distinct(case((QuizAttempt.passed, QuizAttempt.user_id)))).label(
                "passed_learners"
            ),
            func.count().label("attempts"),
            func.avg(QuizAttempt.score).label("average_score"),
        )
        .join(
            members,
            and_(
                members.c.user_id == QuizAttempt.user_id,
                members.c.course_id == QuizAttempt.course_id,
            ),
        )
        .where(QuizAttempt.submitted_at < params.end)
        .group_by(QuizAttempt.lesson_id)
        .subquery("quiz_stats")
    )
    lessons = lesson_order(params)
    return (
        select(lessons.c.lesson_id, lessons.c.course_id, lessons.c.title, lessons.c.ordinal)
        .add_columns(*(c for c in attempts.c if c.name != "lesson_id"))
        .outerjoin(attempts, attempts.c.lesson_id == lessons.c.lesson_id)
        .where(lessons.c.kind == LessonKind.QUIZ)
        .order_by(lessons.c.course_id, lessons.c.ordinal)
    )


def _quiz_row(row: Any, audience: Audience) -> dict[str, Any]:
    attempted = int(row.attempted_learners or 0)
    passed = int(row.passed_learners or 0)
    return protect(
        {
            "lesson_id": row.lesson_id,
            "title": row.title,
            "ordinal": row.ordinal,
            "attempted_learners": attempted,
            "passed_learners": passed,
            "pass_rate": rate(passed, attempted),
            "attempts": int(row.attempts or 0),
            "average_score": ratio(row.average_score),
        },
        QUIZ_RULE,
        audience,
    )


async def course_progress(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> dict[str, Any]:
    """Per course: enrolled, active, completed, completion rate, median time to complete,
    average progress, and each quiz's pass rate; plus activity over time."""
    quizzes: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in await session.execute(_quiz_stats(params)):
        quizzes.setdefault(row.course_id, []).append(_quiz_row(row, audience))
    items = []
    for row in await session.execute(_course_stats(params, dialect_of(session))):
        enrolled, completed = int(row.enrolled or 0), int(row.completed or 0)
        median = None if row.median is None else round(float(row.median) / 86400, 2)
        course = {
            "course_id": row.id,
            "slug": row.slug,
            "title": row.title,
            "enrolled": enrolled,
            "withdrawn": int(row.withdrawn or 0),
            "completed": completed,
            "completion_rate": rate(completed, enrolled),
            "active_7d": int(row.active_7d or 0),
            "active_30d": int(row.active_30d or 0),
            "average_progress": ratio(row.average_progress),
            "median_days_to_complete": median,
        }
        protect(course, COURSE_RULE, audience)
        course["quizzes"] = quizzes.get(row.id, [])
        items.append(course)
    series = await activity_series(session, params, audience)
    return {"items": items, "series": series}


# --- user-progress ----------------------------------------------------------------------------


def _bucket_counts(percent: Any) -> list[Any]:
    bounds = ((0, 0), (1, 24), (25, 49), (50, 74), (75, 99))
    columns = [
        func.sum(case((percent.between(low, high), 1), else_=0)).label(name)
        for name, (low, high) in zip(BUCKETS, bounds, strict=True)
    ]
    columns.append(func.sum(case((percent >= 100, 1), else_=0)).label("progress_100"))
    return columns


async def user_progress(
    session: AsyncSession, params: ReportParams, audience: Audience
) -> dict[str, Any]:
    """How far learners got: enrolments per progress bucket, per course and overall."""
    members = cohort(params)
    progress = enrolment_progress(params, members)
    stats = (
        select(
            progress.c.course_id,
            func.count().label("enrolments"),
            func.sum(progress.c.percent).label("percent_sum"),
            *_bucket_counts(progress.c.percent),
        )
        .group_by(progress.c.course_id)
        .subquery("stats")
    )
    learners = select(func.count(func.distinct(members.c.user_id))).scalar_subquery()
    stmt = (
        listed_courses(params, stats, stats.c.course_id)
        .add_columns(*(c for c in stats.c if c.name != "course_id"), learners.label("learners"))
        .order_by(Course.title, Course.id)
    )
    rows = (await session.execute(stmt)).all()
    items: list[dict[str, Any]] = []
    overall: dict[str, Any] = dict.fromkeys(("enrolments", *BUCKET_FIELDS), 0)
    percent_total = 0
    for row in rows:
        counts = {name: int(getattr(row, name) or 0) for name in ("enrolments", *BUCKET_FIELDS)}
        for name, value in counts.items():
            overall[name] += value
        percent_total += int(row.percent_sum or 0)
        average = rate(int(row.percent_sum or 0), counts["enrolments"])
        items.append(
            {
                "course_id": row.id,
                "slug": row.slug,
                "title": row.title,
                **counts,
                "average_progress": None if average is None else round(average, 2),
            }
        )
    overall_average = rate(percent_total, overall["enrolments"])
    overall["average_progress"] = None if overall_average is None else round(overall_average, 2)
    overall["learners"] = int(rows[0].learners or 0) if rows else 0
    return {
        "overall": protect(overall, BUCKETS_RULE, audience),
        "items": protect_all(items, BUCKETS_RULE, audience),
        "series": await activity_series(session, params, audience),
    }


# --- one learner (admins only) ----------------------------------------------------------------


async def learner_progress(
    session: AsyncSession, params: ReportParams, user_id: uuid.UUID
) -> dict[str, Any]:
    """One learner: identity, every enrolment with progress, quiz results, activity."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"User {user_id} does not exist.", code="user_not_found")
    members_stmt = select(
        Enrollment.id.label("enrollment_id"),
        Enrollment.user_id,
        Enrollment.course_id,
        Enrollment.completed_at,
    ).where(Enrollment.user_id == user_id)
    if params.course_id is not None:
        members_stmt = members_stmt.where(Enrollment.course_id == params.course_id)
    progress = enrolment_progress(params, members_stmt.subquery("members"))
    enrolments = await session.execute(
        select(Enrollment, Course.slug, Course.title, progress.c.percent)
        .join(progress, progress.c.enrollment_id == Enrollment.id)
        .join(Course, Course.id == Enrollment.course_id)
        .order_by(Enrollment.enrolled_at)
    )
    lessons = lesson_order(params)
    quizzes = await session.execute(
        select(LessonProgress, lessons.c.title)
        .join(lessons, lessons.c.lesson_id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user_id, LessonProgress.attempts > 0)
        .order_by(LessonProgress.course_id, lessons.c.ordinal)
    )
    return {
        "learner": {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role.value,
            "is_active": user.is_active,
            "created_at": user.created_at,
            "last_login_at": user.last_login_at,
        },
        "enrolments": [_enrolment(e, slug, title, pct) for e, slug, title, pct in enrolments],
        "quizzes": [
            {
                "lesson_id": lp.lesson_id,
                "course_id": lp.course_id,
                "title": title,
                "attempts": lp.attempts,
                "best_score": lp.best_score,
                "passed": lp.completed_at is not None,
            }
            for lp, title in quizzes
        ],
        "series": await _learner_series(session, params, user_id),
    }


def _enrolment(e: Enrollment, slug: str, title: str, percent: int) -> dict[str, Any]:
    return {
        "course_id": e.course_id,
        "slug": slug,
        "title": title,
        "status": e.status.value,
        "enrolled_at": e.enrolled_at,
        "completed_at": e.completed_at,
        "last_accessed_at": e.last_accessed_at,
        "progress": int(percent or 0),
    }


async def _learner_series(
    session: AsyncSession, params: ReportParams, user_id: uuid.UUID
) -> list[dict[str, Any]]:
    group, period = day_bucket(params.granularity, dialect_of(session))
    names = ("events", "lessons_viewed", "lessons_completed", "quiz_attempts")
    stmt = (
        select(period.label("period"), *(func.sum(getattr(Daily, n)).label(n) for n in names))
        .where(Daily.user_id == user_id, *days_in_range(params))
        .group_by(group)
    )
    found = {row.period: row for row in await session.execute(stmt)}
    series = []
    for p in params.buckets():
        row = found.get(p)
        series.append({"period": p, **{n: int(getattr(row, n) or 0) if row else 0 for n in names}})
    return series
