"""Admin authoring routes under /admin/courses (admin role required on every route)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from pintar_ekspor.accounts.dependencies import AdminUser
from pintar_ekspor.core.deps import DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.courses import authoring, revisions, service
from pintar_ekspor.courses.models import CourseLevel, CourseStatus
from pintar_ekspor.courses.schemas import (
    AdminCourseRead,
    AdminCourseSummary,
    AdminLessonRead,
    AdminSectionRead,
    CourseCreate,
    CourseUpdate,
    LessonCreate,
    LessonMove,
    LessonOrder,
    LessonUpdate,
    SectionCreate,
    SectionOrder,
    SectionUpdate,
)

router = APIRouter(prefix="/admin/courses", tags=["admin"])

# Every `course_id` below may be a live course or its draft revision; content changes to a
# published or archived course land in its draft revision (see `courses.revisions`).

_READ_ERRORS = problem_responses(401, 403, 404)
_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


@router.get(
    "",
    operation_id="listAdminCourses",
    response_model=Page[AdminCourseSummary],
    responses=problem_responses(401, 403, 422),
)
async def list_courses(
    session: DbSession,
    _admin: AdminUser,
    page: Pagination,
    status_filter: Annotated[CourseStatus | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    level: CourseLevel | None = None,
) -> Page[AdminCourseSummary]:
    """Every course, drafts and archived included, most recently changed first."""
    filters = service.CourseFilter(
        q=q,
        level=level,
        sort="updated",
        statuses=(status_filter,) if status_filter is not None else None,
    )
    courses, total, pending = await revisions.list_admin_courses(session, filters, page)
    items = [
        AdminCourseSummary.model_validate(c).model_copy(
            update={"has_draft_changes": c.id in pending}
        )
        for c in courses
    ]
    return Page[AdminCourseSummary].of(items, total, page)


@router.post(
    "",
    operation_id="createCourse",
    response_model=AdminCourseRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_course(
    session: DbSession, _admin: AdminUser, body: CourseCreate
) -> AdminCourseRead:
    """Create a draft course (slug generated from the title when omitted)."""
    return AdminCourseRead.model_validate(await authoring.create_course(session, body))


@router.get(
    "/{course_id}",
    operation_id="getAdminCourse",
    response_model=AdminCourseRead,
    responses=_READ_ERRORS,
)
async def get_course(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID
) -> AdminCourseRead:
    """A course of any status with all sections and lessons, quiz answers included (the draft
    revision's content when changes are pending)."""
    return await _present(session, course_id)


@router.patch(
    "/{course_id}",
    operation_id="updateCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def update_course(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, body: CourseUpdate
) -> AdminCourseRead:
    """Change some fields of a course (status changes have their own routes). On a published
    course the change waits in the draft revision, except the slug, which changes at once."""
    await revisions.update_course(session, course_id, body)
    return await _present(session, course_id)


@router.post(
    "/{course_id}/publish",
    operation_id="publishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def publish(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Publish (or restore an archived course), pending changes included; needs at least one
    lesson."""
    return await _set_status(session, course_id, CourseStatus.PUBLISHED)


@router.post(
    "/{course_id}/unpublish",
    operation_id="unpublishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def unpublish(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Back to draft: hidden from learners (their progress is kept); pending changes become
    the course's content."""
    return await _set_status(session, course_id, CourseStatus.DRAFT)


@router.post(
    "/{course_id}/archive",
    operation_id="archiveCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def archive(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Archive: out of the catalogue and closed to enrolment; enrolled learners can still read
    it and see their progress. Pending changes stay pending."""
    return await _set_status(session, course_id, CourseStatus.ARCHIVED)


@router.post(
    "/{course_id}/publish-changes",
    operation_id="publishCourseChanges",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def publish_changes(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID
) -> AdminCourseRead:
    """Make the draft revision's edits visible to learners (lesson ids and progress are kept;
    lessons removed in the draft are deleted). 409 `no_draft_changes` without a draft."""
    await revisions.publish_changes(session, course_id)
    return await _present(session, course_id)


@router.post(
    "/{course_id}/discard-changes",
    operation_id="discardCourseChanges",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def discard_changes(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID
) -> AdminCourseRead:
    """Throw the draft revision away; the course stays as learners see it."""
    await revisions.discard_changes(session, course_id)
    return await _present(session, course_id)


@router.delete(
    "/{course_id}",
    operation_id="deleteCourse",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={
        200: {
            "model": AdminCourseRead,
            "description": "Learners are enrolled, so the course was archived instead",
        },
        204: {"description": "Deleted"},
        **_READ_ERRORS,
    },
)
async def delete_course(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> Response:
    """Delete a course nobody enrolled in (204). A course with enrolments is archived instead
    and returned with 200, so no learner loses their progress. Pending changes are dropped."""
    live_id = await revisions.live_course_id(session, course_id)
    await revisions.drop_pending(session, live_id)
    archived = await authoring.delete_course(session, live_id)
    if archived is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    body = AdminCourseRead.model_validate(archived).model_dump(mode="json")
    return JSONResponse(body, status_code=status.HTTP_200_OK)


# --- sections -------------------------------------------------------------------------------


@router.put(
    "/{course_id}/sections/order",
    operation_id="reorderSections",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def reorder_sections(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, body: SectionOrder
) -> AdminCourseRead:
    """Reorder all sections of a course: send every section id once, in the new order."""
    target = await revisions.edit_target(session, course_id)
    ids = await revisions.resolve_sections(session, target, body.section_ids)
    await authoring.reorder_sections(session, target, ids)
    return await _present(session, course_id)


@router.post(
    "/{course_id}/sections",
    operation_id="createSection",
    response_model=AdminSectionRead,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
async def create_section(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, body: SectionCreate
) -> AdminSectionRead:
    """Add a section (at `position`, default last)."""
    target = await revisions.edit_target(session, course_id)
    return AdminSectionRead.model_validate(await authoring.create_section(session, target, body))


@router.get(
    "/{course_id}/sections/{section_id}",
    operation_id="getAdminSection",
    response_model=AdminSectionRead,
    responses=_READ_ERRORS,
)
async def get_section(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, section_id: uuid.UUID
) -> AdminSectionRead:
    """A section of this course with its lessons (answers included)."""
    target = await revisions.read_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    return AdminSectionRead.model_validate(await authoring.get_section(session, target, section_id))


@router.patch(
    "/{course_id}/sections/{section_id}",
    operation_id="updateSection",
    response_model=AdminSectionRead,
    responses=_WRITE_ERRORS,
)
async def update_section(
    session: DbSession,
    _admin: AdminUser,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: SectionUpdate,
) -> AdminSectionRead:
    """Rename a section."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    section = await authoring.update_section(session, target, section_id, body)
    return AdminSectionRead.model_validate(section)


@router.delete(
    "/{course_id}/sections/{section_id}",
    operation_id="deleteSection",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_READ_ERRORS,
)
async def delete_section(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, section_id: uuid.UUID
) -> None:
    """Delete a section with its lessons."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    await authoring.delete_section(session, target, section_id)


@router.put(
    "/{course_id}/sections/{section_id}/lessons/order",
    operation_id="reorderLessons",
    response_model=AdminSectionRead,
    responses=_WRITE_ERRORS,
)
async def reorder_lessons(
    session: DbSession,
    _admin: AdminUser,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: LessonOrder,
) -> AdminSectionRead:
    """Reorder the lessons of a section: send every lesson id once, in the new order."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    ids = await revisions.resolve_lessons(session, target, body.lesson_ids)
    section = await authoring.reorder_lessons(session, target, section_id, ids)
    return AdminSectionRead.model_validate(section)


# --- lessons --------------------------------------------------------------------------------


@router.post(
    "/{course_id}/sections/{section_id}/lessons",
    operation_id="createLesson",
    response_model=AdminLessonRead,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
async def create_lesson(
    session: DbSession,
    _admin: AdminUser,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: LessonCreate,
) -> AdminLessonRead:
    """Add a text, video or quiz lesson to a section (quizzes are validated: 2+ options,
    1+ correct, single choice exactly 1; pass_mark 0-100; max_attempts >= 1 or null)."""
    target = await revisions.edit_target(session, course_id)
    section_id = await revisions.resolve_section(session, target, section_id)
    lesson = await authoring.create_lesson(session, target, section_id, body)
    return AdminLessonRead.model_validate(lesson)


@router.get(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="getAdminLesson",
    response_model=AdminLessonRead,
    responses=_READ_ERRORS,
)
async def get_lesson(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, lesson_id: uuid.UUID
) -> AdminLessonRead:
    """A lesson with everything, quiz answers and explanations included."""
    target = await revisions.read_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    return AdminLessonRead.model_validate(await authoring.get_lesson(session, target, lesson_id))


@router.patch(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="updateLesson",
    response_model=AdminLessonRead,
    responses=_WRITE_ERRORS,
)
async def update_lesson(
    session: DbSession,
    _admin: AdminUser,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    body: LessonUpdate,
) -> AdminLessonRead:
    """Change some fields of a lesson; the result must still be a valid lesson of its kind."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    lesson = await authoring.update_lesson(session, target, lesson_id, body)
    return AdminLessonRead.model_validate(lesson)


@router.delete(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="deleteLesson",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_READ_ERRORS,
)
async def delete_lesson(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, lesson_id: uuid.UUID
) -> None:
    """Delete a lesson (learners' progress on it goes with it)."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    await authoring.delete_lesson(session, target, lesson_id)


@router.post(
    "/{course_id}/lessons/{lesson_id}/move",
    operation_id="moveLesson",
    response_model=AdminLessonRead,
    responses=_WRITE_ERRORS,
)
async def move_lesson(
    session: DbSession,
    _admin: AdminUser,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    body: LessonMove,
) -> AdminLessonRead:
    """Move a lesson to a section of the same course, at `position` (default last)."""
    target = await revisions.edit_target(session, course_id)
    lesson_id = await revisions.resolve_lesson(session, target, lesson_id)
    section_id = await revisions.resolve_section(session, target, body.section_id)
    move = body.model_copy(update={"section_id": section_id})
    lesson = await authoring.move_lesson(session, target, lesson_id, move)
    return AdminLessonRead.model_validate(lesson)


# --- helpers --------------------------------------------------------------------------------


async def _present(session: DbSession, course_id: uuid.UUID) -> AdminCourseRead:
    view = await revisions.admin_view(session, course_id)
    live = AdminCourseRead.model_validate(view.live)
    if view.draft is None:
        return live
    return AdminCourseRead.model_validate(view.draft).model_copy(
        update={
            "id": live.id,
            "slug": live.slug,
            "status": live.status,
            "published_at": live.published_at,
            "enrollment_count": live.enrollment_count,
            "created_at": live.created_at,
            "has_draft_changes": True,
            "draft_course_id": view.draft.id,
            "draft_started_at": view.draft.created_at,
        }
    )


async def _set_status(
    session: DbSession, course_id: uuid.UUID, status: CourseStatus
) -> AdminCourseRead:
    live_id = await revisions.live_course_id(session, course_id)
    if status != CourseStatus.ARCHIVED:
        await revisions.apply_pending(session, live_id)
    await authoring.set_status(session, live_id, status)
    return await _present(session, live_id)
