"""What the admin routes call: each authoring change, sent to the right row.

A published (or archived) course is edited through its draft revision (`courses.revisions`):
these functions resolve the ids a client sends (live or draft) to the row being edited, run
the authoring change there, and return what the route answers with. Course-level results are
an `AdminCourseView` (the live course and its pending draft, if any).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.courses import authoring, revisions
from pintar_ekspor.courses.models import Course, CourseStatus, Lesson, Section
from pintar_ekspor.courses.revisions import AdminCourseView
from pintar_ekspor.courses.schemas import (
    CourseUpdate,
    LessonCreate,
    LessonMove,
    LessonUpdate,
    SectionCreate,
    SectionUpdate,
)

# --- courses --------------------------------------------------------------------------------


async def view(session: AsyncSession, course_id: uuid.UUID) -> AdminCourseView:
    """The course as an admin edits it (live id or draft id)."""
    return await revisions.admin_view(session, course_id)


async def update_course(
    session: AsyncSession, course_id: uuid.UUID, data: CourseUpdate
) -> AdminCourseView:
    """Metadata to the draft revision of a published course (the slug to the live course)."""
    await revisions.update_course(session, course_id, data)
    return await view(session, course_id)


async def set_status(
    session: AsyncSession, course_id: uuid.UUID, status: CourseStatus, *, now: datetime
) -> AdminCourseView:
    """Publish or unpublish with pending changes included; archive leaves them pending."""
    live_id = await revisions.live_course_id(session, course_id)
    if status != CourseStatus.ARCHIVED:
        await revisions.apply_pending(session, live_id)
    await authoring.set_status(session, live_id, status, now=now)
    return await view(session, live_id)


async def publish_changes(session: AsyncSession, course_id: uuid.UUID) -> AdminCourseView:
    """Make the draft revision's edits visible to learners."""
    await revisions.publish_changes(session, course_id)
    return await view(session, course_id)


async def discard_changes(session: AsyncSession, course_id: uuid.UUID) -> AdminCourseView:
    """Throw the draft revision away."""
    await revisions.discard_changes(session, course_id)
    return await view(session, course_id)


async def delete_course(
    session: AsyncSession, course_id: uuid.UUID, *, now: datetime
) -> Course | None:
    """Delete (None) or, with enrolments, archive (the course); pending changes are dropped."""
    live_id = await revisions.live_course_id(session, course_id)
    await revisions.drop_pending(session, live_id)
    return await authoring.delete_course(session, live_id, now=now)


# --- sections -------------------------------------------------------------------------------


async def create_section(
    session: AsyncSession, course_id: uuid.UUID, data: SectionCreate
) -> Section:
    """Add a section (to the draft revision of a published course)."""
    target = await revisions.edit_target(session, course_id)
    return await authoring.create_section(session, target, data)


async def get_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID
) -> Section:
    """A section as the admin edits it (the draft's copy while changes are pending)."""
    target = await revisions.read_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    return await authoring.get_section(session, target, section_id)


async def update_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID, data: SectionUpdate
) -> Section:
    """Rename a section."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    return await authoring.update_section(session, target, section_id, data)


async def delete_section(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID
) -> None:
    """Delete a section with its lessons."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    await authoring.delete_section(session, target, section_id)


async def reorder_sections(
    session: AsyncSession, course_id: uuid.UUID, section_ids: Sequence[uuid.UUID]
) -> AdminCourseView:
    """Put the sections in the given order."""
    target = await revisions.edit_target(session, course_id)
    ids = await revisions.resolve_sections(session, target, section_ids)
    await authoring.reorder_sections(session, target, ids)
    return await view(session, course_id)


async def reorder_lessons(
    session: AsyncSession,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    lesson_ids: Sequence[uuid.UUID],
) -> Section:
    """Put a section's lessons in the given order."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    ids = await revisions.resolve_lessons(session, target, lesson_ids)
    return await authoring.reorder_lessons(session, target, section_id, ids)


# --- lessons --------------------------------------------------------------------------------


async def create_lesson(
    session: AsyncSession, course_id: uuid.UUID, section_id: uuid.UUID, data: LessonCreate
) -> Lesson:
    """Add a lesson to a section."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    return await authoring.create_lesson(session, target, section_id, data)


async def get_lesson(session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID) -> Lesson:
    """A lesson as the admin edits it (the draft's copy while changes are pending)."""
    target = await revisions.read_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    return await authoring.get_lesson(session, target, lesson_id)


async def update_lesson(
    session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID, data: LessonUpdate
) -> Lesson:
    """Change some fields of a lesson."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    return await authoring.update_lesson(session, target, lesson_id, data)


async def delete_lesson(session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID) -> None:
    """Delete a lesson."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    await authoring.delete_lesson(session, target, lesson_id)


async def move_lesson(
    session: AsyncSession, course_id: uuid.UUID, lesson_id: uuid.UUID, data: LessonMove
) -> Lesson:
    """Move a lesson to a section of the same course."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    section_id = await revisions.resolve_section(session, target, data.section_id)
    move = data.model_copy(update={"section_id": section_id})
    return await authoring.move_lesson(session, target, lesson_id, move)
