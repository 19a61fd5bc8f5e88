"""Authoring (admin): courses, sections and lessons; drafts, publishing, ordering.

Positions are 1-based and kept contiguous: every insert, move and delete renumbers the
siblings through ordinary ORM flushes (so the audit trail sees each change).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pintar_ekspor.core.errors import ConflictError, NotFoundError, ValidationFailedError
from pintar_ekspor.courses import quiz
from pintar_ekspor.courses import service as course_service
from pintar_ekspor.courses.models import (
    Course,
    CourseStatus,
    CourseTag,
    Lesson,
    LessonKind,
    Section,
)
from pintar_ekspor.courses.schemas import (
    CourseCreate,
    CourseUpdate,
    LessonCreate,
    LessonMove,
    LessonUpdate,
    SectionCreate,
    SectionUpdate,
)
from pintar_ekspor.courses.slugs import first_free, slugify

Positioned = TypeVar("Positioned", Section, Lesson)


# --- courses --------------------------------------------------------------------------------


async def get_course(session: AsyncSession, course_id: uuid.UUID) -> Course:
    """A course of any status with all its content (admin view), or 404."""
    course = await course_service.find_course(session, course_id, with_content=True)
    if course is None:
        raise NotFoundError(f"Course {course_id} does not exist.", code="course_not_found")
    return course


async def _free_slug(session: AsyncSession, base: str) -> str:
    stmt = select(Course.slug).where(or_(Course.slug == base, Course.slug.like(f"{base}-%")))
    return first_free(base, set((await session.scalars(stmt)).all()))


async def _check_slug_free(
    session: AsyncSession, slug: str, *, exclude: uuid.UUID | None = None
) -> None:
    stmt = select(Course.id).where(Course.slug == slug)
    if exclude is not None:
        stmt = stmt.where(Course.id != exclude)
    if (await session.scalars(stmt)).first() is not None:
        raise ConflictError(
            f"The slug {slug!r} is already used by another course.", code="slug_taken"
        )


async def _flush_unique(session: AsyncSession, slug: str) -> None:
    # Two admins racing for the same slug: the unique index decides, the loser gets a 409.
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise ConflictError(
            f"The slug {slug!r} is already used by another course.", code="slug_taken"
        ) from exc


def set_tags(course: Course, tags: Sequence[str]) -> None:
    existing = {link.tag: link for link in course.tag_links}
    course.tag_links = [existing.get(tag) or CourseTag(tag=tag) for tag in dict.fromkeys(tags)]


async def create_course(session: AsyncSession, data: CourseCreate) -> Course:
    """Create a draft course; the slug comes from the title when not given."""
    if data.slug:
        await _check_slug_free(session, data.slug)
        slug = data.slug
    else:
        slug = await _free_slug(session, slugify(data.title))
    course = Course(
        slug=slug,
        title=data.title,
        summary=data.summary,
        description_md=data.description_md,
        level=data.level,
        language=data.language,
        estimated_minutes=data.estimated_minutes,
        cover_image_url=data.cover_image_url,
        status=CourseStatus.DRAFT,
        tag_links=[CourseTag(tag=t) for t in data.tags],
    )
    session.add(course)
    await _flush_unique(session, slug)
    return await get_course(session, course.id)


async def update_course(session: AsyncSession, course_id: uuid.UUID, data: CourseUpdate) -> Course:
    """Apply the fields present in a PATCH body."""
    course = await get_course(session, course_id)
    changes = data.changes()
    if "slug" in changes and changes["slug"] != course.slug:
        await _check_slug_free(session, changes["slug"], exclude=course.id)
    if "tags" in changes:
        set_tags(course, changes.pop("tags"))
    for name, value in changes.items():
        setattr(course, name, value)
    await _flush_unique(session, course.slug)
    return await get_course(session, course_id)


async def set_status(
    session: AsyncSession, course_id: uuid.UUID, status: CourseStatus, *, now: datetime
) -> Course:
    """Publish, unpublish (back to draft) or archive; each is idempotent. A first publication
    is dated `now` (the app's clock)."""
    course = await get_course(session, course_id)
    if status == CourseStatus.PUBLISHED and not course.lesson_count:
        raise ConflictError(
            "A course needs at least one lesson before it can be published.", code="course_empty"
        )
    if course.status != status:
        course.status = status
        if status == CourseStatus.PUBLISHED and course.published_at is None:
            course.published_at = now
        await session.flush()
    return await get_course(session, course_id)


async def delete_course(
    session: AsyncSession, course_id: uuid.UUID, *, now: datetime
) -> Course | None:
    """Delete a course nobody ever enrolled in; otherwise archive it (learners keep progress).

    Returns None when the course was deleted, the archived course otherwise.

    Courses do not read enrolments (learning sits above them): the database decides. Every
    enrolment's foreign key to its course is `ON DELETE RESTRICT` (withdrawn ones too, their
    rows stay), and it is the only reference to a course that is not CASCADE or SET NULL. So
    the delete is tried in a savepoint; the database refusing it means somebody enrolled, the
    savepoint (and everything the attempt cascaded to) is rolled back and the course archived.
    """
    course = await get_course(session, course_id)
    try:
        async with session.begin_nested():
            await session.delete(course)
            await session.flush()
    except IntegrityError:
        return await set_status(session, course_id, CourseStatus.ARCHIVED, now=now)
    return None


# --- sections -------------------------------------------------------------------------------


def _renumber(items: Sequence[Positioned]) -> None:
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index


def _insert_at(items: list[Positioned], item: Positioned, position: int | None) -> None:
    index = len(items) if position is None else min(max(position, 1), len(items) + 1) - 1
    items.insert(index, item)
    _renumber(items)


async def _sections_of(session: AsyncSession, course_id: uuid.UUID) -> list[Section]:
    stmt = (
        select(Section).where(Section.course_id == course_id).order_by(Section.position, Section.id)
    )
    return list((await session.scalars(stmt)).all())


async def _lessons_of(session: AsyncSession, section_id: uuid.UUID) -> list[Lesson]:
    stmt = (
        select(Lesson).where(Lesson.section_id == section_id).order_by(Lesson.position, Lesson.id)
    )
    return list((await session.scalars(stmt)).all())


async def get_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID
) -> Section:
    """A section of this course with its lessons, or 404 (also for another course's section)."""
    stmt = (
        select(Section)
        .where(Section.id == section_id, Section.course_id == course_id)
        .options(selectinload(Section.lessons))
        .execution_options(populate_existing=True)
    )
    section = (await session.scalars(stmt)).one_or_none()
    if section is None:
        raise NotFoundError(
            f"Section {section_id} does not exist in course {course_id}.", code="section_not_found"
        )
    return section


async def _require_course(session: AsyncSession, course_id: uuid.UUID) -> None:
    if await session.get(Course, course_id) is None:
        raise NotFoundError(f"Course {course_id} does not exist.", code="course_not_found")


async def create_section(
    session: AsyncSession, course_id: uuid.UUID, data: SectionCreate
) -> Section:
    """Add a section at `position` (default last)."""
    await _require_course(session, course_id)
    siblings = await _sections_of(session, course_id)
    section = Section(course_id=course_id, title=data.title, position=0)
    session.add(section)
    _insert_at(siblings, section, data.position)
    await session.flush()
    return await get_section(session, course_id, section.id)


async def update_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID, data: SectionUpdate
) -> Section:
    """Rename a section."""
    section = await get_section(session, course_id, section_id)
    for name, value in data.changes().items():
        setattr(section, name, value)
    await session.flush()
    return await get_section(session, course_id, section_id)


async def delete_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID
) -> None:
    """Delete a section and its lessons (learners' progress on them goes too)."""
    section = await get_section(session, course_id, section_id)
    await session.delete(section)
    await session.flush()
    _renumber([s for s in await _sections_of(session, course_id) if s.id != section_id])
    await session.flush()


def _check_permutation(
    wanted: Sequence[uuid.UUID], current: Sequence[uuid.UUID], what: str
) -> None:
    errors: list[dict[str, Any]] = []
    known = set(current)
    seen: set[uuid.UUID] = set()
    field = f"{what}_ids"
    for index, item in enumerate(wanted):
        if item in seen:
            errors.append(_order_error(field, index, f"{what} {item} is listed twice", "duplicate"))
        elif item not in known:
            errors.append(
                _order_error(field, index, f"{what} {item} does not belong here", "unknown_id")
            )
        seen.add(item)
    missing = [str(i) for i in current if i not in seen]
    if missing:
        errors.append(
            {
                "loc": ["body", field],
                "field": field,
                "message": f"missing {what} ids: {', '.join(missing)}",
                "type": "missing_id",
            }
        )
    if errors:
        summary = "; ".join(e["message"] for e in errors[:5])
        raise ValidationFailedError(
            f"The new order must list every {what} exactly once: {summary}.",
            code="invalid_order",
            extra={"errors": errors},
        )


def _order_error(field: str, index: int, message: str, kind: str) -> dict[str, Any]:
    return {
        "loc": ["body", field, index],
        "field": f"{field}.{index}",
        "message": message,
        "type": kind,
    }


async def reorder_sections(
    session: AsyncSession, course_id: uuid.UUID, section_ids: Sequence[uuid.UUID]
) -> Course:
    """Put the course's sections in the given order (the full list of their ids)."""
    await _require_course(session, course_id)
    sections = await _sections_of(session, course_id)
    _check_permutation(section_ids, [s.id for s in sections], "section")
    by_id = {s.id: s for s in sections}
    _renumber([by_id[i] for i in section_ids])
    await session.flush()
    return await get_course(session, course_id)


# --- lessons --------------------------------------------------------------------------------


async def get_lesson(session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Lesson:
    """A lesson of this course with everything (answers included), or 404."""
    stmt = (
        select(Lesson)
        .where(Lesson.id == lesson_id, Lesson.course_id == course_id)
        .execution_options(populate_existing=True)
    )
    lesson = (await session.scalars(stmt)).one_or_none()
    if lesson is None:
        raise NotFoundError(
            f"Lesson {lesson_id} does not exist in course {course_id}.", code="lesson_not_found"
        )
    return lesson


def _check_content(lesson: Lesson) -> None:
    try:
        quiz.check_lesson_content(
            kind=lesson.kind.value,
            body_md=lesson.body_md,
            video_url=lesson.video_url,
            questions=lesson.quiz_questions,
            pass_mark=lesson.pass_mark,
            max_attempts=lesson.max_attempts,
        )
    except quiz.QuizRuleError as exc:
        raise ValidationFailedError(str(exc), code="invalid_lesson") from exc


def _stored_questions(questions: Sequence[Any] | None) -> list[dict[str, Any]] | None:
    if questions is None:
        return None
    try:
        return quiz.normalise_questions([q.model_dump() for q in questions])
    except quiz.QuizRuleError as exc:
        raise ValidationFailedError(str(exc), code="invalid_quiz") from exc


async def create_lesson(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID, data: LessonCreate
) -> Lesson:
    """Add a lesson to a section at `position` (default last)."""
    await get_section(session, course_id, section_id)
    is_quiz = data.kind == LessonKind.QUIZ
    lesson = Lesson(
        course_id=course_id,
        section_id=section_id,
        title=data.title,
        kind=data.kind,
        position=0,
        body_md=data.body_md,
        video_url=data.video_url,
        duration_minutes=data.duration_minutes,
        is_required=data.is_required,
        quiz_questions=_stored_questions(data.questions),
        pass_mark=(quiz.DEFAULT_PASS_MARK if data.pass_mark is None else data.pass_mark)
        if is_quiz
        else None,
        max_attempts=data.max_attempts,
        review_policy=data.review_policy,
    )
    _check_content(lesson)
    siblings = await _lessons_of(session, section_id)
    session.add(lesson)
    _insert_at(siblings, lesson, data.position)
    await session.flush()
    return await get_lesson(session, course_id, lesson.id)


_QUIZ_FIELDS = ("quiz_questions", "pass_mark", "max_attempts")


async def update_lesson(
    session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID, data: LessonUpdate
) -> Lesson:
    """Apply a PATCH; the lesson as a whole must still satisfy the rules of its kind.

    Changing the kind drops what only the old kind had (quiz settings, video URL) unless
    the same request sets them.
    """
    lesson = await get_lesson(session, course_id, lesson_id)
    changes = data.changes()
    if "questions" in changes:
        changes["quiz_questions"] = _stored_questions(data.questions)
        del changes["questions"]
    new_kind = changes.get("kind", lesson.kind)
    if new_kind != lesson.kind:
        if new_kind != LessonKind.QUIZ:
            for name in _QUIZ_FIELDS:
                changes.setdefault(name, None)
        if new_kind != LessonKind.VIDEO:
            changes.setdefault("video_url", None)
    for name, value in changes.items():
        setattr(lesson, name, value)
    if lesson.kind == LessonKind.QUIZ and lesson.pass_mark is None:
        lesson.pass_mark = quiz.DEFAULT_PASS_MARK
    _check_content(lesson)
    await session.flush()
    return await get_lesson(session, course_id, lesson_id)


async def delete_lesson(session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID) -> None:
    """Delete a lesson (learners' progress on it goes too) and close the gap."""
    lesson = await get_lesson(session, course_id, lesson_id)
    section_id = lesson.section_id
    await session.delete(lesson)
    await session.flush()
    _renumber([x for x in await _lessons_of(session, section_id) if x.id != lesson_id])
    await session.flush()


async def reorder_lessons(
    session: AsyncSession,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    lesson_ids: Sequence[uuid.UUID],
) -> Section:
    """Put a section's lessons in the given order (the full list of their ids)."""
    await get_section(session, course_id, section_id)
    lessons = await _lessons_of(session, section_id)
    _check_permutation(lesson_ids, [x.id for x in lessons], "lesson")
    by_id = {x.id: x for x in lessons}
    _renumber([by_id[i] for i in lesson_ids])
    await session.flush()
    return await get_section(session, course_id, section_id)


async def move_lesson(
    session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID, data: LessonMove
) -> Lesson:
    """Move a lesson to another section of the same course (or another place in its own)."""
    lesson = await get_lesson(session, course_id, lesson_id)
    await get_section(session, course_id, data.section_id)
    source = [x for x in await _lessons_of(session, lesson.section_id) if x.id != lesson.id]
    if data.section_id != lesson.section_id:
        _renumber(source)
        target = [x for x in await _lessons_of(session, data.section_id) if x.id != lesson.id]
        lesson.section_id = data.section_id
    else:
        target = source
    _insert_at(target, lesson, data.position)
    await session.flush()
    return await get_lesson(session, course_id, lesson_id)
