"""Learner routes: enrolment, my learning, lessons, completion, quiz attempts, progress.

No route takes a user id: every one acts on the authenticated caller's own data.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from pintar_ekspor.accounts.dependencies import PersonOrProgram
from pintar_ekspor.core.deps import AppClock, DbSession, read_only
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.core.responses import FastJSONResponse
from pintar_ekspor.learning import presenters, reads, service
from pintar_ekspor.learning.schemas import (
    AttemptCreate,
    AttemptResult,
    AttemptSummary,
    CourseProgressRead,
    EnrollmentRead,
    LessonCompletion,
    LessonContent,
    MyCourse,
)

router = APIRouter(tags=["learning"])


@router.post(
    "/courses/{course_id}/enroll",
    operation_id="enrollInCourse",
    response_model=EnrollmentRead,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Already enrolled (or enrolment restored)", "model": EnrollmentRead},
        **problem_responses(401, 404, 409),
    },
)
async def enroll(
    session: DbSession,
    clock: AppClock,
    user: PersonOrProgram,
    course_id: uuid.UUID,
    response: Response,
) -> EnrollmentRead:
    """Enrol in a published course. Idempotent: 201 when new, 200 when already enrolled or
    when a withdrawn enrolment (with its progress) is restored."""
    enrollment, created = await service.enroll(session, user, course_id, now=clock.now())
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return EnrollmentRead.model_validate(enrollment)


@router.delete(
    "/courses/{course_id}/enroll",
    operation_id="withdrawFromCourse",
    response_model=EnrollmentRead,
    responses=problem_responses(401, 404),
)
async def withdraw(
    session: DbSession, clock: AppClock, user: PersonOrProgram, course_id: uuid.UUID
) -> EnrollmentRead:
    """Withdraw from a course. Progress is kept; enrolling again restores it."""
    enrollment = await service.withdraw(session, user, course_id, now=clock.now())
    return EnrollmentRead.model_validate(enrollment)


@router.get(
    "/me/courses",
    operation_id="listMyCourses",
    response_model=Page[MyCourse],
    responses=problem_responses(401, 422),
)
@read_only
async def my_courses(
    session: DbSession,
    user: PersonOrProgram,
    page: Pagination,
    status_filter: Annotated[
        service.MyCoursesFilter,
        Query(alias="status", description="`current` = active and completed (default)"),
    ] = "current",
) -> Response:
    """My learning: my courses with progress, most recently used first."""
    return FastJSONResponse(await reads.my_courses(session, user, page, status=status_filter))


@router.get(
    "/courses/{course_id}/progress",
    operation_id="getCourseProgress",
    response_model=CourseProgressRead,
    responses=problem_responses(401, 403, 404),
)
@read_only
async def course_progress(
    session: DbSession, user: PersonOrProgram, course_id: uuid.UUID
) -> Response:
    """My progress in a course: per section and lesson, percent, next lesson, completion."""
    view = await reads.course_progress(session, user, course_id)
    return FastJSONResponse(presenters.course_progress(view))


@router.get(
    "/lessons/{lesson_id}",
    operation_id="getLesson",
    response_model=LessonContent,
    responses=problem_responses(401, 403, 404),
)
async def get_lesson(
    session: DbSession, clock: AppClock, user: PersonOrProgram, lesson_id: uuid.UUID
) -> LessonContent:
    """A lesson's content, for enrolled learners and admins (quiz answers never included).
    Records the visit as the learner's last accessed lesson."""
    view = await service.view_lesson(session, user, lesson_id, now=clock.now())
    return presenters.lesson_content(view)


@router.post(
    "/lessons/{lesson_id}/complete",
    operation_id="completeLesson",
    response_model=LessonCompletion,
    responses=problem_responses(401, 403, 404, 409),
)
async def complete_lesson(
    session: DbSession, clock: AppClock, user: PersonOrProgram, lesson_id: uuid.UUID
) -> LessonCompletion:
    """Mark a text or video lesson complete (idempotent). Quizzes complete when passed."""
    result = await service.complete_lesson(session, user, lesson_id, now=clock.now())
    return presenters.lesson_completion(result)


@router.post(
    "/lessons/{lesson_id}/attempts",
    operation_id="submitQuizAttempt",
    response_model=AttemptResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def submit_attempt(
    session: DbSession,
    clock: AppClock,
    user: PersonOrProgram,
    lesson_id: uuid.UUID,
    body: AttemptCreate,
) -> AttemptResult:
    """Submit answers to a quiz. Graded on the server; the correct answers and explanations
    are revealed in the result. The best score is kept; 409 when no attempts are left."""
    answers = [(a.question_id, a.option_ids) for a in body.answers]
    return presenters.attempt_result(
        await service.submit_attempt(session, user, lesson_id, answers, now=clock.now())
    )


@router.get(
    "/lessons/{lesson_id}/attempts",
    operation_id="listMyQuizAttempts",
    response_model=list[AttemptSummary],
    responses=problem_responses(401, 404),
)
async def my_attempts(
    session: DbSession, user: PersonOrProgram, lesson_id: uuid.UUID
) -> list[AttemptSummary]:
    """My graded attempts at a quiz, oldest first."""
    attempts = await service.my_attempts(session, user, lesson_id)
    return [AttemptSummary.model_validate(a) for a in attempts]
