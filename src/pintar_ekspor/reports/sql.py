"""Set-based building blocks shared by the reports (portable SQLite / PostgreSQL SQL).

Every report is a few grouped statements over the whole scope, never one query per course,
lesson or learner. Medians use window functions (row_number / count over a partition), which
both databases have; date buckets and durations need one dialect switch each.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Integer,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.sql.elements import ColumnClause

from pintar_ekspor.courses.models import Course, Lesson, Section
from pintar_ekspor.learning.models import Enrollment, EnrollmentStatus, LessonProgress
from pintar_ekspor.reports.params import Granularity, ReportParams


def bucket(column: Any, granularity: Granularity, dialect: str) -> ColumnElement[str]:
    """The ISO date (text) of the first day of the UTC bucket holding `column`."""
    # Constants are rendered inline, not bound: PostgreSQL only matches a GROUP BY expression
    # with the selected one when both are textually identical.
    if dialect == "postgresql":
        utc = func.timezone(sql_text("UTC"), column)
        trunc = func.date_trunc(sql_text(granularity.value), utc)
        return func.to_char(trunc, sql_text("YYYY-MM-DD"))
    if granularity == Granularity.WEEK:
        # 'weekday 0' moves forward to Sunday (or stays), '-6 days' lands on that week's Monday.
        return func.date(column, sql_text("weekday 0"), sql_text("-6 days"))
    if granularity == Granularity.MONTH:
        return func.strftime(sql_text("%Y-%m-01"), column)
    return func.date(column)


def sql_text(value: str) -> ColumnClause[str]:
    """A string constant written into the SQL (only ever fixed, code-owned values)."""
    return literal_column("'" + value.replace("'", "''") + "'")


def seconds_between(end: Any, start: Any, dialect: str) -> ColumnElement[float]:
    """`end - start` in seconds, as a float."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def median_by(values: Subquery | CTE, value: str, keys: list[str]) -> Subquery:
    """Per group of `keys`: `median` of `value` and `n` values (average of the middle two)."""
    group = [values.c[k] for k in keys]
    v = values.c[value]
    ranked = select(
        *group,
        v.label("v"),
        func.row_number().over(partition_by=group or None, order_by=v).label("rn"),
        func.count().over(partition_by=group or None).label("n"),
    ).subquery("ranked")
    rn, n = ranked.c.rn, ranked.c.n
    keys_cols = [ranked.c[k] for k in keys]
    return (
        select(*keys_cols, func.avg(ranked.c.v).label("median"), func.max(n).label("n"))
        .where(rn >= (n + 1) // 2, rn <= (n + 2) // 2)
        .group_by(*keys_cols)
        .subquery("medians")
    )


def cohort(params: ReportParams) -> Subquery:
    """Enrolments made in the range (optionally in one course): the population of a report."""
    stmt = select(
        Enrollment.id.label("enrollment_id"),
        Enrollment.user_id,
        Enrollment.course_id,
        Enrollment.enrolled_at,
        # Completion as of the end of the range (a later completion does not count).
        case((Enrollment.completed_at < params.end, Enrollment.completed_at)).label("completed_at"),
        case((Enrollment.status == EnrollmentStatus.WITHDRAWN, 1), else_=0).label("withdrawn"),
    ).where(Enrollment.enrolled_at >= params.start, Enrollment.enrolled_at < params.end)
    if params.course_id is not None:
        stmt = stmt.where(Enrollment.course_id == params.course_id)
    return stmt.subquery("cohort")


def lesson_order(params: ReportParams) -> Subquery:
    """Every lesson with its 1-based place in its course's reading order."""
    ordinal = func.row_number().over(
        partition_by=Lesson.course_id, order_by=(Section.position, Lesson.position, Lesson.id)
    )
    stmt = select(
        Lesson.id.label("lesson_id"),
        Lesson.course_id,
        Lesson.title,
        Lesson.kind,
        Lesson.is_required,
        ordinal.label("ordinal"),
    ).join(Section, Section.id == Lesson.section_id)
    if params.course_id is not None:
        stmt = stmt.where(Lesson.course_id == params.course_id)
    return stmt.subquery("lesson_order")


def enrolment_progress(params: ReportParams, members: Subquery) -> Subquery:
    """Each cohort enrolment with its progress percent as of the range's end.

    Same rule as the learner's own progress page: the floor of the share of required lessons
    completed (all lessons when a course has no required ones).
    """
    totals = (
        select(
            Lesson.course_id,
            func.sum(case((Lesson.is_required, 1), else_=0)).label("required"),
            func.count().label("lessons"),
        )
        .group_by(Lesson.course_id)
        .subquery("totals")
    )
    done = (
        select(
            LessonProgress.user_id,
            LessonProgress.course_id,
            func.sum(case((Lesson.is_required, 1), else_=0)).label("required_done"),
            func.count().label("lessons_done"),
        )
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.completed_at < params.end)
        .group_by(LessonProgress.user_id, LessonProgress.course_id)
        .subquery("done")
    )
    required_done = func.coalesce(done.c.required_done, 0)
    lessons_done = func.coalesce(done.c.lessons_done, 0)
    percent = case(
        (totals.c.required > 0, (100 * required_done) // totals.c.required),
        (totals.c.lessons > 0, (100 * lessons_done) // totals.c.lessons),
        else_=0,
    )
    return (
        select(*members.c, cast(percent, Integer).label("percent"))
        .select_from(members)
        .outerjoin(totals, totals.c.course_id == members.c.course_id)
        .outerjoin(
            done,
            and_(done.c.user_id == members.c.user_id, done.c.course_id == members.c.course_id),
        )
        .subquery("progress")
    )


def listed_courses(params: ReportParams, stats: Subquery, key: ColumnElement[Any]) -> Any:
    """Courses a per-course report lists: published or archived ones, and any with data."""
    stmt = select(Course.id, Course.slug, Course.title).outerjoin(stats, key == Course.id)
    if params.course_id is not None:
        return stmt.where(Course.id == params.course_id)
    return stmt.where((Course.status != "draft") | key.is_not(None))


def rate(part: int | None, whole: int | None) -> float | None:
    """`part / whole` rounded to 4 places, or None when there is no whole."""
    if not whole or part is None:
        return None
    return round(part / whole, 4)


def ratio(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
