"""Draft revisions: admins edit a published course without learners seeing half-done work.

The first edit of a published (or archived) course copies its content into a *draft
revision*: a hidden course row (`draft_of_id` = the live course, status draft, placeholder
slug) whose sections and lessons remember the live rows they came from (`origin_id`). Every
authoring change then lands on the copy, through the ordinary authoring functions, while
learners keep reading the live rows; the read path needs no change because a draft course is
invisible to them already.

"Publish changes" writes the copy back onto the live rows, keeping lesson ids (so learners'
progress survives), creating what is new and deleting what the draft removed; "discard
changes" deletes the copy. Both go through ORM flushes, so the audit trail sees each row,
and each appends one summary event.

Admin routes accept a live course id or its draft's id, and section/lesson ids of either the
live course or the draft: `resolve_*` translate them to the row that is edited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.errors import ConflictError, NotFoundError
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.courses import authoring
from pintar_ekspor.courses import service as course_service
from pintar_ekspor.courses.models import Course, CourseStatus, CourseTag, Lesson, Section
from pintar_ekspor.courses.schemas import CourseUpdate

METADATA_FIELDS = (
    "title",
    "summary",
    "description_md",
    "level",
    "language",
    "estimated_minutes",
    "cover_image_url",
)
LESSON_FIELDS = (
    "title",
    "kind",
    "position",
    "body_md",
    "video_url",
    "duration_minutes",
    "is_required",
    "quiz_questions",
    "pass_mark",
    "max_attempts",
    "review_policy",
)


@dataclass(frozen=True)
class AdminCourseView:
    """What an admin edits: the live course, and its pending draft revision if any."""

    live: Course
    draft: Course | None


# --- lookups --------------------------------------------------------------------------------


async def live_course_id(session: AsyncSession, course_id: uuid.UUID) -> uuid.UUID:
    """The live course named by `course_id` (itself, or the course a draft belongs to); 404."""
    row = (
        await session.execute(select(Course.id, Course.draft_of_id).where(Course.id == course_id))
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"Course {course_id} does not exist.", code="course_not_found")
    live_id: uuid.UUID = row.draft_of_id or row.id
    return live_id


async def draft_id_of(session: AsyncSession, live_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(Course.id).where(Course.draft_of_id == live_id))


async def admin_view(session: AsyncSession, course_id: uuid.UUID) -> AdminCourseView:
    """The live course and its draft (both with content), whichever id was given."""
    live_id = await live_course_id(session, course_id)
    draft_id = await draft_id_of(session, live_id)
    live = await authoring.get_course(session, live_id)
    draft = await authoring.get_course(session, draft_id) if draft_id else None
    return AdminCourseView(live=live, draft=draft)


async def list_admin_courses(
    session: AsyncSession, filters: course_service.CourseFilter, page: PageParams
) -> tuple[Sequence[Course], int, set[uuid.UUID]]:
    """A page of live courses (drafts of published courses are not listed on their own) and
    the ids of those with pending draft changes."""
    stmt = (
        course_service.with_counts(course_service.catalogue_statement(filters))
        .where(Course.draft_of_id.is_(None))
        .options(selectinload(Course.tag_links))
    )
    courses, total = await paginate(session, stmt, page)
    ids = [c.id for c in courses]
    pending = (
        set(await session.scalars(select(Course.draft_of_id).where(Course.draft_of_id.in_(ids))))
        if ids
        else set()
    )
    return courses, total, {i for i in pending if i is not None}


# --- the edit target ------------------------------------------------------------------------


async def edit_target(session: AsyncSession, course_id: uuid.UUID) -> uuid.UUID:
    """The course row an authoring change must go to: the live course while it is a draft,
    otherwise its draft revision (created on the first change)."""
    live_id = await live_course_id(session, course_id)
    draft_id = await draft_id_of(session, live_id)
    if draft_id is not None:
        return draft_id
    status = await session.scalar(select(Course.status).where(Course.id == live_id))
    if status == CourseStatus.DRAFT:
        return live_id
    return (await _copy(session, await authoring.get_course(session, live_id))).id


async def read_target(session: AsyncSession, course_id: uuid.UUID) -> uuid.UUID:
    """The course row an admin reads: the draft revision if there is one, else the live one."""
    live_id = await live_course_id(session, course_id)
    return await draft_id_of(session, live_id) or live_id


async def _copy(session: AsyncSession, live: Course) -> Course:
    draft_id = uuid.uuid4()
    draft = Course(
        id=draft_id,
        draft_of_id=live.id,
        slug=f"draft-{live.id.hex}",
        status=CourseStatus.DRAFT,
        tag_links=[CourseTag(tag=t) for t in live.tags],
        **{name: getattr(live, name) for name in METADATA_FIELDS},
    )
    session.add(draft)
    for section in live.sections:
        copy = Section(
            id=uuid.uuid4(),
            course_id=draft_id,
            origin_id=section.id,
            title=section.title,
            position=section.position,
        )
        session.add(copy)
        for lesson in section.lessons:
            session.add(
                Lesson(
                    course_id=draft_id,
                    section_id=copy.id,
                    origin_id=lesson.id,
                    **{name: getattr(lesson, name) for name in LESSON_FIELDS},
                )
            )
    try:
        # Two admins starting a draft at once: the unique draft_of_id lets one win.
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise ConflictError(
            "Another admin started editing this course at the same moment; try again.",
            code="draft_conflict",
        ) from exc
    await audit.record_event(
        session,
        "COURSE_DRAFT_STARTED",
        table_name="courses",
        record_id=str(live.id),
        details={"draft_id": str(draft_id)},
    )
    return draft


async def _id_map(
    session: AsyncSession, model: type[Section] | type[Lesson], target_id: uuid.UUID
) -> dict[uuid.UUID, uuid.UUID]:
    """Both a draft row's own id and its origin's id point to the draft row."""
    rows = await session.execute(
        select(model.id, model.origin_id).where(model.course_id == target_id)
    )
    mapping: dict[uuid.UUID, uuid.UUID] = {}
    for row in rows:
        mapping[row.id] = row.id
        if row.origin_id is not None:
            mapping[row.origin_id] = row.id
    return mapping


async def resolve_section(
    session: AsyncSession, target_id: uuid.UUID, section_id: uuid.UUID
) -> uuid.UUID:
    return (await resolve_sections(session, target_id, [section_id]))[0]


async def resolve_sections(
    session: AsyncSession, target_id: uuid.UUID, section_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    mapping = await _id_map(session, Section, target_id)
    return [mapping.get(i, i) for i in section_ids]


async def resolve_lesson(
    session: AsyncSession, target_id: uuid.UUID, lesson_id: uuid.UUID
) -> uuid.UUID:
    return (await resolve_lessons(session, target_id, [lesson_id]))[0]


async def resolve_lessons(
    session: AsyncSession, target_id: uuid.UUID, lesson_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    mapping = await _id_map(session, Lesson, target_id)
    return [mapping.get(i, i) for i in lesson_ids]


async def update_course(session: AsyncSession, course_id: uuid.UUID, data: CourseUpdate) -> None:
    """Metadata goes to the edit target; the slug is the live course's address and changes
    there at once (a draft has only a placeholder slug)."""
    live_id = await live_course_id(session, course_id)
    target = await edit_target(session, live_id)
    changes = data.changes()
    if target != live_id and "slug" in changes:
        await authoring.update_course(session, live_id, CourseUpdate(slug=changes.pop("slug")))
    if changes:
        await authoring.update_course(session, target, CourseUpdate.model_validate(changes))


# --- publish and discard ----------------------------------------------------------------------


async def _draft_or_409(session: AsyncSession, live_id: uuid.UUID) -> Course:
    draft_id = await draft_id_of(session, live_id)
    if draft_id is None:
        raise ConflictError("This course has no unpublished changes.", code="no_draft_changes")
    return await authoring.get_course(session, draft_id)


async def publish_changes(session: AsyncSession, course_id: uuid.UUID) -> Course:
    """Write the draft revision onto the live course and drop the draft; 409 without one."""
    live_id = await live_course_id(session, course_id)
    draft = await _draft_or_409(session, live_id)
    counts = await _apply(session, live_id, draft)
    await _drop(session, draft)
    await audit.record_event(
        session,
        "COURSE_CHANGES_PUBLISHED",
        table_name="courses",
        record_id=str(live_id),
        details={"draft_id": str(draft.id), **counts},
    )
    return await authoring.get_course(session, live_id)


async def discard_changes(session: AsyncSession, course_id: uuid.UUID) -> Course:
    """Delete the draft revision; the live course stays as learners see it. 409 without one."""
    live_id = await live_course_id(session, course_id)
    draft = await _draft_or_409(session, live_id)
    await _drop(session, draft)
    await audit.record_event(
        session,
        "COURSE_CHANGES_DISCARDED",
        table_name="courses",
        record_id=str(live_id),
        details={"draft_id": str(draft.id)},
    )
    return await authoring.get_course(session, live_id)


async def apply_pending(session: AsyncSession, course_id: uuid.UUID) -> None:
    """Before publishing or unpublishing: pending changes become the course's content."""
    live_id = await live_course_id(session, course_id)
    if await draft_id_of(session, live_id) is not None:
        await publish_changes(session, live_id)


async def drop_pending(session: AsyncSession, course_id: uuid.UUID) -> None:
    """Before deleting a course: its draft goes first (explicitly, so the audit trail sees it)."""
    draft_id = await draft_id_of(session, course_id)
    if draft_id is not None:
        await _drop(session, await authoring.get_course(session, draft_id))


async def _drop(session: AsyncSession, draft: Course) -> None:
    await session.delete(draft)
    await session.flush()


async def _apply(session: AsyncSession, live_id: uuid.UUID, draft: Course) -> dict[str, int]:
    """Make the live rows equal the draft's; returns counts of what changed."""
    live = (
        await session.scalars(
            select(Course)
            .where(Course.id == live_id)
            .options(selectinload(Course.tag_links))
            .execution_options(populate_existing=True)
        )
    ).one()
    for name in METADATA_FIELDS:
        setattr(live, name, getattr(draft, name))
    authoring.set_tags(live, draft.tags)
    sections = {
        s.id: s
        for s in (await session.scalars(select(Section).where(Section.course_id == live_id)))
    }
    lessons = {
        x.id: x for x in (await session.scalars(select(Lesson).where(Lesson.course_id == live_id)))
    }
    kept_lessons = {x.origin_id for s in draft.sections for x in s.lessons} & lessons.keys()
    removed_lessons = [x for i, x in lessons.items() if i not in kept_lessons]
    # Removed lessons go first, so a removed section never cascades onto a lesson moved out.
    # Learners' `last_lesson_id` on a removed lesson: ON DELETE SET NULL (learning owns it).
    for lesson in removed_lessons:
        await session.delete(lesson)
    await session.flush()
    added = 0
    kept_sections: set[uuid.UUID] = set()
    for draft_section in draft.sections:
        section = sections.get(draft_section.origin_id) if draft_section.origin_id else None
        if section is None:
            section = Section(id=uuid.uuid4(), course_id=live_id)
            session.add(section)
        section.title = draft_section.title
        section.position = draft_section.position
        kept_sections.add(section.id)
        for draft_lesson in draft_section.lessons:
            found = lessons.get(draft_lesson.origin_id) if draft_lesson.origin_id else None
            lesson = found or Lesson(course_id=live_id)
            if found is None:
                session.add(lesson)
                added += 1
            lesson.section_id = section.id
            for name in LESSON_FIELDS:
                setattr(lesson, name, getattr(draft_lesson, name))
    await session.flush()
    removed_sections = [i for i in sections if i not in kept_sections]
    await _delete_sections(session, removed_sections)
    return {
        "lessons_added": added,
        "lessons_removed": len(removed_lessons),
        "sections_removed": len(removed_sections),
    }


async def _delete_sections(session: AsyncSession, section_ids: Sequence[uuid.UUID]) -> None:
    if not section_ids:
        return
    # Reloaded so their lesson collections reflect the moves just flushed (now empty).
    stmt = (
        select(Section)
        .where(Section.id.in_(section_ids))
        .options(selectinload(Section.lessons))
        .execution_options(populate_existing=True)
    )
    for section in await session.scalars(stmt):
        await session.delete(section)
    await session.flush()
