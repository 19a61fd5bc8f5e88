"""Admin authoring routes under /admin/courses (admin role required on every route)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from pintar_ekspor.accounts.dependencies import SignedInAdmin
from pintar_ekspor.core.deps import AppClock, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.courses import authoring, editing, revisions, service
from pintar_ekspor.courses.models import CourseLevel, CourseStatus
from pintar_ekspor.courses.revisions import AdminCourseView
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
    _admin: SignedInAdmin,
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
    session: DbSession, _admin: SignedInAdmin, body: CourseCreate
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
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """A course of any status with all sections and lessons, quiz answers included (the draft
    revision's content when changes are pending)."""
    return _present(await editing.view(session, course_id))


@router.patch(
    "/{course_id}",
    operation_id="updateCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def update_course(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, body: CourseUpdate
) -> AdminCourseRead:
    """Change some fields of a course (status changes have their own routes). On a published
    course the change waits in the draft revision, except the slug, which changes at once."""
    return _present(await editing.update_course(session, course_id, body))


@router.post(
    "/{course_id}/publish",
    operation_id="publishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def publish(
    session: DbSession, clock: AppClock, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """Publish (or restore an archived course), pending changes included; needs at least one
    lesson."""
    view = await editing.set_status(session, course_id, CourseStatus.PUBLISHED, now=clock.now())
    return _present(view)


@router.post(
    "/{course_id}/unpublish",
    operation_id="unpublishCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def unpublish(
    session: DbSession, clock: AppClock, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """Back to draft: hidden from learners (their progress is kept); pending changes become
    the course's content."""
    view = await editing.set_status(session, course_id, CourseStatus.DRAFT, now=clock.now())
    return _present(view)


@router.post(
    "/{course_id}/archive",
    operation_id="archiveCourse",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def archive(
    session: DbSession, clock: AppClock, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """Archive: out of the catalogue and closed to enrolment; enrolled learners can still read
    it and see their progress. Pending changes stay pending."""
    view = await editing.set_status(session, course_id, CourseStatus.ARCHIVED, now=clock.now())
    return _present(view)


@router.post(
    "/{course_id}/publish-changes",
    operation_id="publishCourseChanges",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def publish_changes(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """Make the draft revision's edits visible to learners (lesson ids and progress are kept;
    lessons removed in the draft are deleted). 409 `no_draft_changes` without a draft."""
    return _present(await editing.publish_changes(session, course_id))


@router.post(
    "/{course_id}/discard-changes",
    operation_id="discardCourseChanges",
    response_model=AdminCourseRead,
    responses=_WRITE_ERRORS,
)
async def discard_changes(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID
) -> AdminCourseRead:
    """Throw the draft revision away; the course stays as learners see it."""
    return _present(await editing.discard_changes(session, course_id))


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
async def delete_course(
    session: DbSession, clock: AppClock, _admin: SignedInAdmin, course_id: uuid.UUID
) -> Response:
    """Delete a course nobody enrolled in (204). A course with enrolments is archived instead
    and returned with 200, so no learner loses their progress. Pending changes are dropped."""
    archived = await editing.delete_course(session, course_id, now=clock.now())
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
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, body: SectionOrder
) -> AdminCourseRead:
    """Reorder all sections of a course: send every section id once, in the new order."""
    return _present(await editing.reorder_sections(session, course_id, body.section_ids))


@router.post(
    "/{course_id}/sections",
    operation_id="createSection",
    response_model=AdminSectionRead,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
async def create_section(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, body: SectionCreate
) -> AdminSectionRead:
    """Add a section (at `position`, default last)."""
    return AdminSectionRead.model_validate(await editing.create_section(session, course_id, body))


@router.get(
    "/{course_id}/sections/{section_id}",
    operation_id="getAdminSection",
    response_model=AdminSectionRead,
    responses=_READ_ERRORS,
)
async def get_section(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, section_id: uuid.UUID
) -> AdminSectionRead:
    """A section of this course with its lessons (answers included)."""
    section = await editing.get_section(session, course_id, section_id)
    return AdminSectionRead.model_validate(section)


@router.patch(
    "/{course_id}/sections/{section_id}",
    operation_id="updateSection",
    response_model=AdminSectionRead,
    responses=_WRITE_ERRORS,
)
async def update_section(
    session: DbSession,
    _admin: SignedInAdmin,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: SectionUpdate,
) -> AdminSectionRead:
    """Rename a section."""
    section = await editing.update_section(session, course_id, section_id, body)
    return AdminSectionRead.model_validate(section)


@router.delete(
    "/{course_id}/sections/{section_id}",
    operation_id="deleteSection",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_READ_ERRORS,
)
async def delete_section(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, section_id: uuid.UUID
) -> None:
    """Delete a section with its lessons."""
    await editing.delete_section(session, course_id, section_id)


@router.put(
    "/{course_id}/sections/{section_id}/lessons/order",
    operation_id="reorderLessons",
    response_model=AdminSectionRead,
    responses=_WRITE_ERRORS,
)
async def reorder_lessons(
    session: DbSession,
    _admin: SignedInAdmin,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: LessonOrder,
) -> AdminSectionRead:
    """Reorder the lessons of a section: send every lesson id once, in the new order."""
    section = await editing.reorder_lessons(session, course_id, section_id, body.lesson_ids)
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
    _admin: SignedInAdmin,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    body: LessonCreate,
) -> AdminLessonRead:
    """Add a text, video or quiz lesson to a section (quizzes are validated: 2+ options,
    1+ correct, single choice exactly 1; pass_mark 0-100; max_attempts >= 1 or null)."""
    lesson = await editing.create_lesson(session, course_id, section_id, body)
    return AdminLessonRead.model_validate(lesson)


@router.get(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="getAdminLesson",
    response_model=AdminLessonRead,
    responses=_READ_ERRORS,
)
async def get_lesson(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, lesson_id: uuid.UUID
) -> AdminLessonRead:
    """A lesson with everything, quiz answers and explanations included."""
    return AdminLessonRead.model_validate(await editing.get_lesson(session, course_id, lesson_id))


@router.patch(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="updateLesson",
    response_model=AdminLessonRead,
    responses=_WRITE_ERRORS,
)
async def update_lesson(
    session: DbSession,
    _admin: SignedInAdmin,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    body: LessonUpdate,
) -> AdminLessonRead:
    """Change some fields of a lesson; the result must still be a valid lesson of its kind."""
    lesson = await editing.update_lesson(session, course_id, lesson_id, body)
    return AdminLessonRead.model_validate(lesson)


@router.delete(
    "/{course_id}/lessons/{lesson_id}",
    operation_id="deleteLesson",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_READ_ERRORS,
)
async def delete_lesson(
    session: DbSession, _admin: SignedInAdmin, course_id: uuid.UUID, lesson_id: uuid.UUID
) -> None:
    """Delete a lesson (learners' progress on it goes with it)."""
    await editing.delete_lesson(session, course_id, lesson_id)


@router.post(
    "/{course_id}/lessons/{lesson_id}/move",
    operation_id="moveLesson",
    response_model=AdminLessonRead,
    responses=_WRITE_ERRORS,
)
async def move_lesson(
    session: DbSession,
    _admin: SignedInAdmin,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID,
    body: LessonMove,
) -> AdminLessonRead:
    """Move a lesson to a section of the same course, at `position` (default last)."""
    lesson = await editing.move_lesson(session, course_id, lesson_id, body)
    return AdminLessonRead.model_validate(lesson)


# --- helpers --------------------------------------------------------------------------------


def _present(view: AdminCourseView) -> AdminCourseRead:
    """The live course's identity and status over the draft revision's content, if any."""
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
