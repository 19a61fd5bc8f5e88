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
from typing import Any, Literal, cast

from sqlalchemy import BindParameter, Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload, with_expression
from sqlalchemy.sql.elements import ColumnElement

from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.core import content_cache
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.courses import enrolment_counts
from pintar_ekspor.courses.models import (
    Course,
    CourseLevel,
    CourseStatus,
    CourseTag,
    Lesson,
    LessonKind,
    Section,
)

# Cached catalogue pages and course outlines are dropped when any of these change (and when
# an enrolment's status does: `learning/popularity.py` watches that, the cards show counts).
for _content in (Course, CourseTag, Section, Lesson):
    content_cache.watch(_content)

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


def can_view_course(
    course: Course | OutlineView, viewer: User | None, *, has_enrollment: bool
) -> bool:
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
    """Popularity: current enrolments, as counted by learning (`courses/enrolment_counts.py`)."""
    return enrolment_counts.current().per_course()


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
    return _filtered(select(Course), filters).order_by(*_catalogue_order(filters))


def _filtered(stmt: Select[Any], filters: CourseFilter) -> Select[Any]:
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
    return stmt


def _catalogue_order(
    filters: CourseFilter, popularity: ColumnElement[int] | None = None
) -> list[Any]:
    if filters.sort == "title":
        return [func.lower(Course.title), Course.id]
    if filters.sort == "popularity":
        count = enrollment_count_expr() if popularity is None else popularity
        return [count.desc(), Course.published_at.desc(), Course.id]
    if filters.sort == "updated":
        return [Course.updated_at.desc(), Course.id]
    return [Course.published_at.desc(), Course.created_at.desc(), Course.id]


async def list_courses(
    session: AsyncSession, filters: CourseFilter, page: PageParams
) -> tuple[Sequence[Course], int]:
    """One page of courses with counts and tags, and the total (three queries)."""
    stmt = with_counts(catalogue_statement(filters)).options(selectinload(Course.tag_links))
    return await paginate(session, stmt, page)


# What a catalogue card shows, read straight from the course row (issue 16's published
# revisions only need to swap this column list and the FROM of `catalogue_page_statement`).
SUMMARY_COLUMNS = (
    Course.id,
    Course.slug,
    Course.title,
    Course.summary,
    Course.level,
    Course.language,
    Course.estimated_minutes,
    Course.cover_image_url,
    Course.published_at,
)
TAG_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a normalised tag


def _enrolment_counts(course_ids: Any = None) -> Any:
    return enrolment_counts.current().grouped(course_ids)


def catalogue_page_statement(filters: CourseFilter, page: PageParams) -> Select[Any]:
    """One SELECT for a catalogue page: the cards' columns, lesson and enrolment counts,
    tags, and the total of matching courses (a window count), in the page's order.

    The page is picked first (filters, order, LIMIT/OFFSET in a CTE); counts and tags are
    then grouped over that page's courses only, never over the whole catalogue per row.
    """
    popularity = None
    base = cast("Select[Any]", select(*SUMMARY_COLUMNS))
    if filters.sort == "popularity":
        ranked = _enrolment_counts()
        base = base.outerjoin(ranked, ranked.c.course_id == Course.id)
        popularity = func.coalesce(ranked.c.n, 0)
    order = _catalogue_order(filters, popularity)
    picked = (
        _filtered(base, filters)
        .add_columns(
            func.count().over().label("total"),
            func.row_number().over(order_by=order).label("rank"),
        )
        .order_by(*order)
        .limit(page.limit)
        .offset(page.offset)
        .cte("page")
    )
    return _cards(picked).order_by(picked.c.rank)


def _cards(picked: Any) -> Select[Any]:
    """`picked` (a CTE of course rows with SUMMARY_COLUMNS) joined with each course's lesson
    and enrolment counts and tags, grouped over the picked courses only."""
    page_ids = select(picked.c.id).scalar_subquery()
    lessons = (
        select(Lesson.course_id, func.count().label("n"))
        .where(Lesson.course_id.in_(page_ids))
        .group_by(Lesson.course_id)
        .subquery()
    )
    enrolments = _enrolment_counts(page_ids)
    tags = (
        select(
            CourseTag.course_id,
            func.aggregate_strings(CourseTag.tag, TAG_SEPARATOR).label("tags"),
        )
        .where(CourseTag.course_id.in_(page_ids))
        .group_by(CourseTag.course_id)
        .subquery()
    )
    return (
        select(
            picked,
            func.coalesce(lessons.c.n, 0).label("lesson_count"),
            func.coalesce(enrolments.c.n, 0).label("enrollment_count"),
            tags.c.tags.label("tag_list"),
        )
        .outerjoin(lessons, lessons.c.course_id == picked.c.id)
        .outerjoin(enrolments, enrolments.c.course_id == picked.c.id)
        .outerjoin(tags, tags.c.course_id == picked.c.id)
    )


async def course_cards(
    session: AsyncSession, course_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Catalogue cards (the data of `CourseSummary`) of the given courses, in one query."""
    ids = list(set(course_ids))
    if not ids:
        return {}
    picked = select(*SUMMARY_COLUMNS).where(Course.id.in_(ids)).cte("picked")
    rows = (await session.execute(_cards(picked))).all()
    return {row.id: _summary(row) for row in rows}


def cards_statement(picked: Any) -> Select[Any]:
    """Cards of the courses in `picked`, a CTE with SUMMARY_COLUMNS (`id` the course's) and
    any columns of the caller's; read each row with `card_of`."""
    return _cards(picked)


def card_of(row: Any) -> dict[str, Any]:
    """A row of `cards_statement` as the JSON of `CourseSummary`."""
    return _summary(row)


def _summary(row: Any) -> dict[str, Any]:
    """A catalogue card as the JSON of `CourseSummary` (same fields, same order)."""
    return {
        "id": row.id,
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "level": row.level,
        "tags": sorted(row.tag_list.split(TAG_SEPARATOR)) if row.tag_list else [],
        "language": row.language,
        "estimated_minutes": row.estimated_minutes,
        "cover_image_url": row.cover_image_url,
        "published_at": row.published_at,
        "lesson_count": row.lesson_count,
        "enrollment_count": row.enrollment_count,
    }


async def catalogue_page(
    session: AsyncSession, filters: CourseFilter, page: PageParams
) -> dict[str, Any]:
    """A catalogue page as the plain data of `Page[CourseSummary]`, in one query (a second,
    COUNT, only for a page past the end, where no row carries the total)."""
    rows = (await session.execute(catalogue_page_statement(filters, page))).all()
    if rows:
        total = int(rows[0].total)
    elif page.offset == 0:
        total = 0
    else:
        count = select(func.count()).select_from(_filtered(select(Course.id), filters).subquery())
        total = int((await session.execute(count)).scalar_one())
    return {
        "items": [_summary(row) for row in rows],
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
    }


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


@dataclass(frozen=True)
class LessonLine:
    id: uuid.UUID
    section_id: uuid.UUID
    title: str
    kind: LessonKind
    position: int
    duration_minutes: int | None
    is_required: bool


@dataclass(frozen=True)
class SectionLine:
    id: uuid.UUID
    title: str
    position: int
    lessons: list[LessonLine]


@dataclass(frozen=True)
class OutlineView:
    """A course's structure as plain rows (no ORM objects): what progress needs."""

    id: uuid.UUID
    title: str
    status: CourseStatus
    sections: list[SectionLine]


def outline_statement(course_id: uuid.UUID | BindParameter[Any]) -> Select[Any]:
    """The SELECT of a course's outline rows (course x section x lesson, outline columns only,
    in reading order); callers may join more columns on and read it with `outline_of`."""
    stmt = (
        select(
            Course.id,
            Course.title,
            Course.status,
            Section.id.label("section_id"),
            Section.title.label("section_title"),
            Section.position.label("section_position"),
            Lesson.id.label("lesson_id"),
            Lesson.title.label("lesson_title"),
            Lesson.kind,
            Lesson.position.label("lesson_position"),
            Lesson.duration_minutes,
            Lesson.is_required,
        )
        .select_from(Course)
        .outerjoin(Section, Section.course_id == Course.id)
        .outerjoin(Lesson, Lesson.section_id == Section.id)
        .where(Course.id == course_id)
        .order_by(Section.position, Lesson.position)
    )
    return cast("Select[Any]", stmt)


def outline_of(rows: Sequence[Any]) -> OutlineView | None:
    """The outline from the rows of `outline_statement` (None when there are none)."""
    if not rows:
        return None
    sections: dict[uuid.UUID, SectionLine] = {}
    for row in rows:
        if row.section_id is None:
            continue
        section = sections.get(row.section_id)
        if section is None:
            section = SectionLine(row.section_id, row.section_title, row.section_position, [])
            sections[row.section_id] = section
        if row.lesson_id is not None:
            section.lessons.append(
                LessonLine(
                    id=row.lesson_id,
                    section_id=row.section_id,
                    title=row.lesson_title,
                    kind=row.kind,
                    position=row.lesson_position,
                    duration_minutes=row.duration_minutes,
                    is_required=row.is_required,
                )
            )
    first = rows[0]
    return OutlineView(first.id, first.title, first.status, list(sections.values()))


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
