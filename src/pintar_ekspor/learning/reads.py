"""The learner's hot reads: a course's progress page and "my learning", one SELECT each.

Both are read on every screen of the web app, so each is one round trip returning exactly
the columns its response shows (no ORM entities), computed with the same arithmetic as
every other screen (`learning.progress`), and always against the committed rows: nothing
is cached, so a completed lesson shows at once. Owner filtering comes from
`LearnerRecords` (its `enrollment_rows` / `progress_rows` subqueries).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.errors import NotFoundError, PermissionDeniedError
from pintar_ekspor.core.pagination import PageParams
from pintar_ekspor.courses import service as course_service
from pintar_ekspor.courses.models import Course, CourseStatus, Lesson, Section
from pintar_ekspor.learning.models import EnrollmentStatus
from pintar_ekspor.learning.ownership import LearnerRecords
from pintar_ekspor.learning.progress import ProgressLine, Summary, percent_done, summarise
from pintar_ekspor.learning.service import MyCoursesFilter, outline_sequence


@dataclass(frozen=True)
class EnrollmentLine:
    """The enrolment columns a progress view shows."""

    status: EnrollmentStatus
    enrolled_at: datetime
    last_lesson_id: uuid.UUID | None
    last_accessed_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class CourseProgress:
    course: course_service.OutlineView
    enrollment: EnrollmentLine
    progress: dict[uuid.UUID, ProgressLine]
    summary: Summary


@cache
def _progress_statement() -> Select[Any]:
    """The outline of the course `course_id` with the owner's enrolment and progress rows
    joined on. Built once (constructing it cost more than running it); values are parameters."""
    mine = LearnerRecords.enrollment_rows()
    done = LearnerRecords.progress_rows()
    return (
        course_service.outline_statement(bindparam("course_id"))
        .outerjoin(mine, mine.c.course_id == Course.id)
        .outerjoin(done, and_(done.c.lesson_id == Lesson.id, done.c.course_id == Course.id))
        .add_columns(
            mine.c.id.label("enrollment_id"),
            mine.c.status.label("enrollment_status"),
            mine.c.enrolled_at.label("enrolled_at"),
            mine.c.last_lesson_id.label("last_lesson_id"),
            mine.c.last_accessed_at.label("last_accessed_at"),
            mine.c.completed_at.label("enrollment_completed_at"),
            done.c.lesson_id.label("progress_lesson_id"),
            done.c.completed_at.label("progress_completed_at"),
            done.c.best_score.label("progress_best_score"),
            done.c.attempts.label("progress_attempts"),
        )
    )


async def course_progress(
    session: AsyncSession, user: User, course_id: uuid.UUID
) -> CourseProgress:
    """The caller's per-section and per-lesson progress in a course they enrolled in: the
    outline with their enrolment and progress rows joined on, in one query."""
    records = LearnerRecords(session, user.id)
    rows = await records.rows(_progress_statement(), {"course_id": course_id})
    course = course_service.outline_of(rows)
    first = rows[0] if rows else None
    enrolled = first is not None and first.enrollment_id is not None
    if course is None or not course_service.can_view_course(course, user, has_enrollment=enrolled):
        raise NotFoundError(f"Course {course_id} does not exist.", code="course_not_found")
    if first is None or not enrolled:
        raise PermissionDeniedError(
            f"You are not enrolled in the course {course.title!r}.", code="not_enrolled"
        )
    enrollment = EnrollmentLine(
        status=first.enrollment_status,
        enrolled_at=first.enrolled_at,
        last_lesson_id=first.last_lesson_id,
        last_accessed_at=first.last_accessed_at,
        completed_at=first.enrollment_completed_at,
    )
    progress = {
        row.progress_lesson_id: ProgressLine(
            completed_at=row.progress_completed_at,
            best_score=row.progress_best_score,
            attempts=row.progress_attempts,
        )
        for row in rows
        if row.progress_lesson_id is not None
    }
    return CourseProgress(
        course=course,
        enrollment=enrollment,
        progress=progress,
        summary=summarise(outline_sequence(course), progress),
    )


@cache
def _my_courses_statement(status: MyCoursesFilter) -> Select[Any]:
    """One page (parameters `limit`, `offset`) of the owner's courses, most recently used
    first: enrolment columns, the catalogue card, the total (a window count) and per course
    the lesson counts, completed counts and the first lesson not completed in reading order
    (the next lesson). Built once per filter; values are parameters."""
    mine = LearnerRecords.enrollment_rows()
    order = (mine.c.last_accessed_at.desc(), mine.c.enrolled_at.desc(), mine.c.id)
    picked_stmt = (
        select(
            *course_service.SUMMARY_COLUMNS,
            mine.c.status.label("enrollment_status"),
            mine.c.enrolled_at.label("enrolled_at"),
            mine.c.last_lesson_id.label("last_lesson_id"),
            mine.c.last_accessed_at.label("last_accessed_at"),
            mine.c.completed_at.label("enrollment_completed_at"),
            func.count().over().label("total"),
            func.row_number().over(order_by=order).label("rank"),
        )
        .select_from(mine)
        .join(Course, Course.id == mine.c.course_id)
        .where(Course.status != CourseStatus.DRAFT)
    )
    if status == "current":
        picked_stmt = picked_stmt.where(mine.c.status != EnrollmentStatus.WITHDRAWN)
    elif status != "all":
        picked_stmt = picked_stmt.where(mine.c.status == EnrollmentStatus(status))
    picked = (
        picked_stmt.order_by(*order)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=BigInteger))  # up to 2**53 - 1
        .cte("my_page")
    )

    # The lessons of the page's courses in reading order, with this learner's completion.
    done = LearnerRecords.progress_rows()
    page_ids = select(picked.c.id).scalar_subquery()
    lessons = (
        select(
            Lesson.course_id,
            Lesson.id,
            Lesson.is_required,
            done.c.completed_at,
            # 1 for the first lesson in reading order among the course's completed ones and
            # among its others: the first of the others is the next lesson to open.
            func.row_number()
            .over(
                partition_by=(Lesson.course_id, done.c.completed_at.is_(None)),
                order_by=(Section.position, Lesson.position, Lesson.id),
            )
            .label("nth"),
        )
        .join(Section, Section.id == Lesson.section_id)
        .outerjoin(done, and_(done.c.lesson_id == Lesson.id, done.c.course_id == Lesson.course_id))
        .where(Lesson.course_id.in_(page_ids))
        .cte("page_lessons")
    )
    required = lessons.c.is_required
    completed = lessons.c.completed_at.is_not(None)
    counts = (
        select(
            lessons.c.course_id,
            func.count().label("total_lessons"),
            func.count(lessons.c.completed_at).label("completed_lessons"),
            func.count().filter(required).label("required_lessons"),
            func.count().filter(and_(required, completed)).label("completed_required"),
        )
        .group_by(lessons.c.course_id)
        .subquery("page_progress")
    )
    following = (
        select(lessons.c.course_id, lessons.c.id)
        .where(lessons.c.completed_at.is_(None), lessons.c.nth == 1)
        .subquery("next_lessons")
    )
    return (
        course_service.cards_statement(picked)
        .add_columns(
            func.coalesce(counts.c.total_lessons, 0).label("total_lessons"),
            func.coalesce(counts.c.completed_lessons, 0).label("completed_lessons"),
            func.coalesce(counts.c.required_lessons, 0).label("required_lessons"),
            func.coalesce(counts.c.completed_required, 0).label("completed_required"),
            following.c.id.label("next_lesson_id"),
        )
        .outerjoin(counts, counts.c.course_id == picked.c.id)
        .outerjoin(following, following.c.course_id == picked.c.id)
        .order_by(picked.c.rank)
    )


async def my_courses(
    session: AsyncSession, user: User, page: PageParams, *, status: MyCoursesFilter = "current"
) -> dict[str, Any]:
    """My learning as the plain data of `Page[MyCourse]`, in one query (a COUNT only for a
    page past the end, where no row carries the total)."""
    records = LearnerRecords(session, user.id)
    stmt = _my_courses_statement(status)
    rows = await records.rows(stmt, {"limit": page.limit, "offset": page.offset})
    if rows:
        total = int(rows[0].total)
    elif page.offset == 0:
        total = 0
    else:
        first = await records.rows(stmt, {"limit": 1, "offset": 0})
        total = int(first[0].total) if first else 0
    items = [
        {
            "course": course_service.card_of(row),
            "status": row.enrollment_status,
            "enrolled_at": row.enrolled_at,
            "progress_percent": percent_done(
                completed_required=row.completed_required,
                total_required=row.required_lessons,
                completed=row.completed_lessons,
                total=row.total_lessons,
            ),
            "completed_lessons": row.completed_lessons,
            "total_lessons": row.total_lessons,
            "next_lesson_id": row.next_lesson_id,
            "last_lesson_id": row.last_lesson_id,
            "last_accessed_at": row.last_accessed_at,
            "completed_at": row.enrollment_completed_at,
        }
        for row in rows
    ]
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}
