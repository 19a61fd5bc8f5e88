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
from pintar_ekspor.courses import authoring, service
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
    courses, total = await service.list_courses(session, filters, page)
    return Page[AdminCourseSummary].of(
        [AdminCourseSummary.model_validate(c) for c in courses], total, page
    )


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
    """A course of any status with all sections and lessons, quiz answers included."""
    return AdminCourseRead.model_validate(await authoring.get_course(session, course_id))


@router.patch(
    "/{course_id}",
    operation_id="updateCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def update_course(
    session: DbSession, _admin: AdminUser, course_id: uuid.UUID, body: CourseUpdate
) -> AdminCourseRead:
    """Change some fields of a course (status changes have their own routes)."""
    return AdminCourseRead.model_validate(await authoring.update_course(session, course_id, body))


@router.post(
    "/{course_id}/publish",
    operation_id="publishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def publish(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Publish (or restore an archived course); needs at least one lesson."""
    course = await authoring.set_status(session, course_id, CourseStatus.PUBLISHED)
    return AdminCourseRead.model_validate(course)


@router.post(
    "/{course_id}/unpublish",
    operation_id="unpublishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def unpublish(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Back to draft: hidden from learners (their progress is kept)."""
    course = await authoring.set_status(session, course_id, CourseStatus.DRAFT)
    return AdminCourseRead.model_validate(course)


@router.post(
    "/{course_id}/archive",
    operation_id="archiveCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def archive(session: DbSession, _admin: AdminUser, course_id: uuid.UUID) -> AdminCourseRead:
    """Archive: out of the catalogue and closed to enrolment; enrolled learners can still read
    it and see their progress."""
    course = await authoring.set_status(session, course_id, CourseStatus.ARCHIVED)
    return AdminCourseRead.model_validate(course)


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
    and returned with 200, so no learner loses their progress."""
    archived = await authoring.delete_course(session, course_id)
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
    course = await authoring.reorder_sections(session, course_id, body.section_ids)
    return AdminCourseRead.model_validate(course)


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
    return AdminSectionRead.model_validate(await authoring.create_section(session, course_id, body))


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
    return AdminSectionRead.model_validate(
        await authoring.get_section(session, course_id, section_id)
    )


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
    section = await authoring.update_section(session, course_id, section_id, body)
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
    await authoring.delete_section(session, course_id, section_id)


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
    section = await authoring.reorder_lessons(session, course_id, section_id, body.lesson_ids)
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
    lesson = await authoring.create_lesson(session, course_id, section_id, body)
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
    return AdminLessonRead.model_validate(await authoring.get_lesson(session, course_id, lesson_id))


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
    lesson = await authoring.update_lesson(session, course_id, lesson_id, body)
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
    await authoring.delete_lesson(session, course_id, lesson_id)


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
    lesson = await authoring.move_lesson(session, course_id, lesson_id, body)
    return AdminLessonRead.model_validate(lesson)
