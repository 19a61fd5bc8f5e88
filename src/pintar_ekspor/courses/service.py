"""Reading courses: the public catalogue, outlines, visibility rules and lesson lookups.

Every function here runs a fixed number of queries whatever the number of courses or
lessons: counts come from correlated subqueries in the same SELECT, tags and outlines from
`selectinload` (one query per level).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload, with_expression
from sqlalchemy.sql.elements import ColumnElement

from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.courses.models import (
    Course,
    CourseLevel,
    CourseStatus,
    CourseTag,
    Lesson,
    LessonKind,
    Section,
)
from pintar_ekspor.learning.models import Enrollment, EnrollmentStatus

CatalogueSort = Literal["newest", "title", "popularity", "updated"]
MAX_SEARCH_TERMS = 5


@dataclass(frozen=True)
class CourseFilter:
    """Catalogue filters. `statuses=None` means any status (admin listing)."""

    q: str | None = None
    level: CourseLevel | None = None
    tag: str | None = None
    language: str | None = None
    sort: CatalogueSort = "newest"
    statuses: tuple[CourseStatus, ...] | None = (CourseStatus.PUBLISHED,)


@dataclass(frozen=True)
class LessonRef:
    """A lesson's place in its course (no content): enough to compute progress."""

    id: uuid.UUID
    course_id: uuid.UUID
    section_id: uuid.UUID
    title: str
    kind: LessonKind
    is_required: bool


def is_admin(user: User | None) -> bool:
    return user is not None and user.role == Role.ADMIN


def can_view_course(course: Course, viewer: User | None, *, has_enrollment: bool) -> bool:
    """Published courses are public; archived ones stay readable for their learners; drafts
    only for admins."""
    if is_admin(viewer) or course.status == CourseStatus.PUBLISHED:
        return True
    return course.status == CourseStatus.ARCHIVED and has_enrollment


def lesson_count_expr() -> ColumnElement[int]:
    return (
        select(func.count(Lesson.id))
        .where(Lesson.course_id == Course.id)
        .correlate(Course)
        .scalar_subquery()
    )


def enrollment_count_expr() -> ColumnElement[int]:
    """Popularity: current enrolments (active or completed; withdrawn learners do not count)."""
    return (
        select(func.count(Enrollment.id))
        .where(Enrollment.course_id == Course.id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .correlate(Course)
        .scalar_subquery()
    )


def with_counts(stmt: Select[Any]) -> Select[Any]:
    """Load `lesson_count` and `enrollment_count` in the same SELECT as the courses."""
    return stmt.options(
        with_expression(Course.lesson_count, lesson_count_expr()),
        with_expression(Course.enrollment_count, enrollment_count_expr()),
    ).execution_options(populate_existing=True)


def _search_terms(q: str) -> list[str]:
    return q.split()[:MAX_SEARCH_TERMS]


def _matches(term: str) -> ColumnElement[bool]:
    # icontains = lower(x) LIKE lower('%term%') with escaping: identical on SQLite and PostgreSQL.
    tag_match = exists().where(
        CourseTag.course_id == Course.id, CourseTag.tag.icontains(term, autoescape=True)
    )
    return or_(
        Course.title.icontains(term, autoescape=True),
        Course.summary.icontains(term, autoescape=True),
        tag_match,
    )


def catalogue_statement(filters: CourseFilter) -> Select[Course]:
    """The filtered, sorted SELECT behind the catalogue and the admin course list."""
    stmt = select(Course)
    if filters.statuses is not None:
        stmt = stmt.where(Course.status.in_(filters.statuses))
    if filters.q:
        # Every term must match somewhere (title, summary or a tag).
        for term in _search_terms(filters.q):
            stmt = stmt.where(_matches(term))
    if filters.level is not None:
        stmt = stmt.where(Course.level == filters.level)
    if filters.language:
        stmt = stmt.where(Course.language == filters.language)
    if filters.tag:
        tag = " ".join(filters.tag.split()).lower()
        stmt = stmt.where(Course.id.in_(select(CourseTag.course_id).where(CourseTag.tag == tag)))
    order: list[Any]
    if filters.sort == "title":
        order = [func.lower(Course.title), Course.id]
    elif filters.sort == "popularity":
        order = [enrollment_count_expr().desc(), Course.published_at.desc(), Course.id]
    elif filters.sort == "updated":
        order = [Course.updated_at.desc(), Course.id]
    else:
        order = [Course.published_at.desc(), Course.created_at.desc(), Course.id]
    return stmt.order_by(*order)


async def list_courses(
    session: AsyncSession, filters: CourseFilter, page: PageParams
) -> tuple[Sequence[Course], int]:
    """One page of courses with counts and tags, and the total (three queries)."""
    stmt = with_counts(catalogue_statement(filters)).options(selectinload(Course.tag_links))
    return await paginate(session, stmt, page)


def parse_course_ref(ref: str) -> uuid.UUID | str:
    """`/courses/{id_or_slug}`: a UUID is an id, anything else a slug."""
    try:
        return uuid.UUID(ref)
    except ValueError:
        return ref.lower()


async def find_course(
    session: AsyncSession, ref: uuid.UUID | str, *, with_content: bool = False
) -> Course | None:
    """A course with tags, counts and its sections and lessons, in four queries.

    Without `with_content` the lessons carry only their outline columns (no bodies, no quiz).
    """
    lessons = selectinload(Course.sections).selectinload(Section.lessons)
    if not with_content:
        lessons = lessons.load_only(
            Lesson.id,
            Lesson.section_id,
            Lesson.course_id,
            Lesson.title,
            Lesson.kind,
            Lesson.position,
            Lesson.duration_minutes,
            Lesson.is_required,
            raiseload=True,
        )
    where = Course.id == ref if isinstance(ref, uuid.UUID) else Course.slug == ref
    stmt = with_counts(select(Course).where(where)).options(selectinload(Course.tag_links), lessons)
    return (await session.scalars(stmt)).one_or_none()


async def get_lesson(session: AsyncSession, lesson_id: uuid.UUID) -> Lesson | None:
    """A lesson with its course (for the visibility check), in one query."""
    stmt = (
        select(Lesson)
        .where(Lesson.id == lesson_id)
        .options(joinedload(Lesson.course))
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def lesson_sequences(
    session: AsyncSession, course_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[LessonRef]]:
    """Each course's lessons in reading order (section position, then lesson position)."""
    ids = list(set(course_ids))
    result: dict[uuid.UUID, list[LessonRef]] = defaultdict(list)
    if not ids:
        return result
    stmt = (
        select(
            Lesson.id,
            Lesson.course_id,
            Lesson.section_id,
            Lesson.title,
            Lesson.kind,
            Lesson.is_required,
        )
        .join(Section, Section.id == Lesson.section_id)
        .where(Lesson.course_id.in_(ids))
        .order_by(Lesson.course_id, Section.position, Lesson.position, Lesson.id)
    )
    for row in await session.execute(stmt):
        result[row.course_id].append(
            LessonRef(
                id=row.id,
                course_id=row.course_id,
                section_id=row.section_id,
                title=row.title,
                kind=row.kind,
                is_required=row.is_required,
            )
        )
    return result
