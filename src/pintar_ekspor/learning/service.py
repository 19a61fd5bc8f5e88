"""Learning: enrolment, reading lessons, completing them, quiz attempts, course completion.

Concurrency: every write to a learner's progress in a course first locks their enrolment row
(`LearnerRecords.enrollment(lock=True)`), then reads progress fresh. Two simultaneous quiz
attempts or lesson completions therefore run one after the other, so the attempts limit and
the single `course_completed` event hold (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the app
opens every transaction with BEGIN IMMEDIATE, which serialises writers).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from pintar_ekspor.courses import quiz
from pintar_ekspor.courses import service as course_service
from pintar_ekspor.courses.models import Course, CourseStatus, Lesson, LessonKind
from pintar_ekspor.learning import certificates
from pintar_ekspor.learning.models import (
    Enrollment,
    EnrollmentStatus,
    LearningEvent,
    LearningVerb,
    LessonProgress,
    QuizAttempt,
)
from pintar_ekspor.learning.ownership import LearnerRecords
from pintar_ekspor.learning.progress import Summary, by_lesson, neighbours, summarise

MyCoursesFilter = Literal["current", "active", "completed", "withdrawn", "all"]


def record_event(
    session: AsyncSession,
    verb: LearningVerb,
    *,
    user_id: uuid.UUID,
    course_id: uuid.UUID,
    lesson_id: uuid.UUID | None = None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Append a learning event in the caller's transaction (rolled back with it)."""
    session.add(
        LearningEvent(
            user_id=user_id,
            verb=verb,
            course_id=course_id,
            lesson_id=lesson_id,
            occurred_at=at,
            data=data or {},
        )
    )


def _course_not_found(ref: object) -> NotFoundError:
    return NotFoundError(f"Course {ref} does not exist.", code="course_not_found")


def _lesson_not_found(lesson_id: uuid.UUID) -> NotFoundError:
    return NotFoundError(f"Lesson {lesson_id} does not exist.", code="lesson_not_found")


def _not_enrolled(course: Course) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"Enrol in the course {course.title!r} to read its lessons and track progress.",
        code="not_enrolled",
    )


# --- enrolment ------------------------------------------------------------------------------


async def enroll(
    session: AsyncSession, user: User, course_id: uuid.UUID, *, now: datetime
) -> tuple[Enrollment, bool]:
    """Enrol the user (idempotent). Returns the enrolment and whether it was newly created.

    A withdrawn learner who enrols again gets their old enrolment back, progress included.
    """
    records = LearnerRecords(session, user.id)
    existing = await records.enrollment(course_id, lock=True)
    course = await session.get(Course, course_id)
    if course is None or not course_service.can_view_course(
        course, user, has_enrollment=existing is not None
    ):
        raise _course_not_found(course_id)
    if existing is not None and existing.is_enrolled:
        return existing, False
    if course.status != CourseStatus.PUBLISHED:
        raise ConflictError(
            f"The course {course.title!r} is {course.status.value} and takes no enrolments.",
            code="course_not_open",
        )
    if existing is not None:
        existing.status = (
            EnrollmentStatus.COMPLETED if existing.completed_at else EnrollmentStatus.ACTIVE
        )
        existing.withdrawn_at = None
        existing.last_accessed_at = now
        record_event(
            session,
            LearningVerb.ENROLLED,
            user_id=user.id,
            course_id=course_id,
            at=now,
            data={"restored": True},
        )
        await session.flush()
        return existing, False
    enrollment = Enrollment(
        user_id=user.id, course_id=course_id, enrolled_at=now, last_accessed_at=now
    )
    try:
        async with session.begin_nested():
            session.add(enrollment)
            await session.flush()
    except IntegrityError:
        # A concurrent request enrolled the same learner first: that one counts.
        winner = await records.enrollment(course_id)
        if winner is None:
            raise
        return winner, False
    record_event(
        session,
        LearningVerb.ENROLLED,
        user_id=user.id,
        course_id=course_id,
        at=now,
        data={"restored": False},
    )
    await session.flush()
    return enrollment, True


async def withdraw(
    session: AsyncSession, user: User, course_id: uuid.UUID, *, now: datetime
) -> Enrollment:
    """Withdraw from a course (idempotent); progress is kept for a later re-enrolment."""
    records = LearnerRecords(session, user.id)
    enrollment = await records.enrollment(course_id, lock=True)
    if enrollment is None:
        raise NotFoundError(
            f"You are not enrolled in course {course_id}.", code="enrollment_not_found"
        )
    if enrollment.is_enrolled:
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.withdrawn_at = now
        record_event(session, LearningVerb.WITHDRAWN, user_id=user.id, course_id=course_id, at=now)
        await session.flush()
    return enrollment


# --- course page and progress ---------------------------------------------------------------


def outline_sequence(
    course: Course | course_service.OutlineView,
) -> list[course_service.LessonRef]:
    """The reading order from an already loaded outline (no query)."""
    return [
        course_service.LessonRef(
            id=lesson.id,
            course_id=course.id,
            section_id=section.id,
            title=lesson.title,
            kind=lesson.kind,
            is_required=lesson.is_required,
        )
        for section in course.sections
        for lesson in section.lessons
    ]


@dataclass(frozen=True)
class CoursePage:
    course: Course
    enrollment: Enrollment | None
    summary: Summary | None


async def course_page(session: AsyncSession, ref: str, viewer: User | None) -> CoursePage:
    """A course and its outline as `viewer` may see it, with their enrolment and progress."""
    course = await course_service.find_course(session, course_service.parse_course_ref(ref))
    if course is None:
        raise _course_not_found(ref)
    enrollment: Enrollment | None = None
    records = LearnerRecords(session, viewer.id) if viewer is not None else None
    if records is not None:
        enrollment = await records.enrollment(course.id)
    if not course_service.can_view_course(course, viewer, has_enrollment=enrollment is not None):
        raise _course_not_found(ref)
    summary = None
    if records is not None and enrollment is not None:
        progress = by_lesson(await records.progress([course.id]))
        summary = summarise(outline_sequence(course), progress)
    return CoursePage(course=course, enrollment=enrollment, summary=summary)


# --- lessons --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonView:
    lesson: Lesson
    progress: LessonProgress | None
    previous_lesson_id: uuid.UUID | None
    next_lesson_id: uuid.UUID | None


async def view_lesson(
    session: AsyncSession, viewer: User, lesson_id: uuid.UUID, *, now: datetime
) -> LessonView:
    """A lesson's content for an enrolled learner (or an admin); records the visit."""
    lesson = await course_service.get_lesson(session, lesson_id)
    if lesson is None:
        raise _lesson_not_found(lesson_id)
    course = lesson.course
    records = LearnerRecords(session, viewer.id)
    enrollment = await records.enrollment(course.id, lock=True)
    if not course_service.can_view_course(course, viewer, has_enrollment=enrollment is not None):
        raise _lesson_not_found(lesson_id)
    enrolled = enrollment is not None and enrollment.is_enrolled
    if not enrolled and not course_service.is_admin(viewer):
        raise _not_enrolled(course)
    progress = await records.lesson_progress(lesson.id) if enrolled else None
    if enrollment is not None and enrolled:
        if progress is None:
            progress = LessonProgress(
                user_id=viewer.id,
                course_id=course.id,
                lesson_id=lesson.id,
                started_at=now,
                attempts=0,
            )
            session.add(progress)
        enrollment.last_accessed_at = now
        enrollment.last_lesson_id = lesson.id
        record_event(
            session,
            LearningVerb.LESSON_VIEWED,
            user_id=viewer.id,
            course_id=course.id,
            lesson_id=lesson.id,
            at=now,
        )
        await session.flush()
    sequence = (await course_service.lesson_sequences(session, [course.id]))[course.id]
    previous_id, next_id = neighbours(sequence, lesson.id)
    return LessonView(
        lesson=lesson, progress=progress, previous_lesson_id=previous_id, next_lesson_id=next_id
    )


async def _lock_for_progress(
    session: AsyncSession, user: User, lesson_id: uuid.UUID
) -> tuple[Lesson, Enrollment, LearnerRecords]:
    """Load the lesson, check the learner may make progress on it, and lock their enrolment."""
    lesson = await course_service.get_lesson(session, lesson_id)
    if lesson is None:
        raise _lesson_not_found(lesson_id)
    course = lesson.course
    records = LearnerRecords(session, user.id)
    enrollment = await records.enrollment(course.id, lock=True)
    if not course_service.can_view_course(course, user, has_enrollment=enrollment is not None):
        raise _lesson_not_found(lesson_id)
    if course.status != CourseStatus.PUBLISHED:
        raise ConflictError(
            f"The course {course.title!r} is {course.status.value}; progress can no longer change.",
            code="course_not_open",
        )
    if enrollment is None or not enrollment.is_enrolled:
        raise _not_enrolled(course)
    return lesson, enrollment, records


@dataclass(frozen=True)
class CompletionState:
    summary: Summary
    completed_at: datetime | None
    completed_now: bool


async def _settle_course(
    session: AsyncSession, records: LearnerRecords, enrollment: Enrollment, now: datetime
) -> CompletionState:
    """Recompute progress and complete the course once every required lesson is done.

    `completed_at` is set once and never cleared, even if lessons are added later.
    """
    await session.flush()
    course_id = enrollment.course_id
    sequence = (await course_service.lesson_sequences(session, [course_id]))[course_id]
    summary = summarise(sequence, by_lesson(await records.progress([course_id])))
    completed_now = False
    if enrollment.completed_at is None and summary.all_required_done:
        enrollment.completed_at = now
        enrollment.status = EnrollmentStatus.COMPLETED
        record_event(
            session,
            LearningVerb.COURSE_COMPLETED,
            user_id=enrollment.user_id,
            course_id=course_id,
            at=now,
        )
        completed_now = True
        await session.flush()
        await certificates.issue(session, enrollment, now=now)
    return CompletionState(
        summary=summary, completed_at=enrollment.completed_at, completed_now=completed_now
    )


async def _progress_row(
    session: AsyncSession, records: LearnerRecords, lesson: Lesson, now: datetime
) -> LessonProgress:
    progress = await records.lesson_progress(lesson.id)
    if progress is None:
        progress = LessonProgress(
            user_id=records.user_id,
            course_id=lesson.course_id,
            lesson_id=lesson.id,
            started_at=now,
            attempts=0,
        )
        session.add(progress)
    return progress


@dataclass(frozen=True)
class LessonCompletionResult:
    lesson: Lesson
    progress: LessonProgress
    course: CompletionState


async def complete_lesson(
    session: AsyncSession, user: User, lesson_id: uuid.UUID, *, now: datetime
) -> LessonCompletionResult:
    """Mark a text or video lesson complete (idempotent); may complete the course."""
    lesson, enrollment, records = await _lock_for_progress(session, user, lesson_id)
    if lesson.kind == LessonKind.QUIZ:
        raise ConflictError(
            "A quiz lesson is completed by passing the quiz: submit an attempt instead.",
            code="lesson_is_quiz",
        )
    progress = await _progress_row(session, records, lesson, now)
    if progress.completed_at is None:
        progress.completed_at = now
        record_event(
            session,
            LearningVerb.LESSON_COMPLETED,
            user_id=user.id,
            course_id=lesson.course_id,
            lesson_id=lesson.id,
            at=now,
            data={"kind": lesson.kind.value},
        )
    enrollment.last_accessed_at = now
    enrollment.last_lesson_id = lesson.id
    state = await _settle_course(session, records, enrollment, now)
    return LessonCompletionResult(lesson=lesson, progress=progress, course=state)


@dataclass(frozen=True)
class AttemptOutcome:
    lesson: Lesson
    attempt: QuizAttempt
    progress: LessonProgress
    grade: quiz.Grade
    pass_mark: int
    course: CompletionState


async def submit_attempt(
    session: AsyncSession,
    user: User,
    lesson_id: uuid.UUID,
    answers: Sequence[tuple[str, Sequence[str]]],
    *,
    now: datetime,
) -> AttemptOutcome:
    """Grade a quiz attempt on the server, keep the best score, enforce the attempts limit."""
    lesson, enrollment, records = await _lock_for_progress(session, user, lesson_id)
    if lesson.kind != LessonKind.QUIZ:
        raise ConflictError("This lesson is not a quiz.", code="not_a_quiz")
    questions = lesson.quiz_questions or []
    try:
        selected = quiz.check_answers(questions, answers)
    except quiz.AnswerError as exc:
        raise ValidationFailedError(str(exc), code=exc.code, extra={"errors": exc.errors}) from exc
    progress = await _progress_row(session, records, lesson, now)
    if lesson.max_attempts is not None and progress.attempts >= lesson.max_attempts:
        raise ConflictError(
            f"No attempts left: this quiz allows {lesson.max_attempts}.",
            code="attempts_exhausted",
            extra={"attempts_used": progress.attempts, "max_attempts": lesson.max_attempts},
        )
    result = quiz.grade(questions, selected)
    pass_mark = quiz.DEFAULT_PASS_MARK if lesson.pass_mark is None else lesson.pass_mark
    passed = result.score >= pass_mark
    progress.attempts += 1
    progress.last_attempt_at = now
    progress.best_score = max(progress.best_score or 0, result.score)
    attempt = QuizAttempt(
        user_id=user.id,
        course_id=lesson.course_id,
        lesson_id=lesson.id,
        attempt_number=progress.attempts,
        score=result.score,
        passed=passed,
        answers=[{"question_id": q, "option_ids": list(o)} for q, o in selected.items()],
        submitted_at=now,
    )
    session.add(attempt)
    record_event(
        session,
        LearningVerb.QUIZ_ATTEMPTED,
        user_id=user.id,
        course_id=lesson.course_id,
        lesson_id=lesson.id,
        at=now,
        data={"score": result.score, "passed": passed, "attempt_number": progress.attempts},
    )
    if passed and progress.completed_at is None:
        progress.completed_at = now
        record_event(
            session,
            LearningVerb.LESSON_COMPLETED,
            user_id=user.id,
            course_id=lesson.course_id,
            lesson_id=lesson.id,
            at=now,
            data={"kind": "quiz", "score": result.score},
        )
    enrollment.last_accessed_at = now
    enrollment.last_lesson_id = lesson.id
    state = await _settle_course(session, records, enrollment, now)
    return AttemptOutcome(
        lesson=lesson,
        attempt=attempt,
        progress=progress,
        grade=result,
        pass_mark=pass_mark,
        course=state,
    )


async def my_attempts(session: AsyncSession, user: User, lesson_id: uuid.UUID) -> list[QuizAttempt]:
    """The caller's own attempts at a quiz lesson."""
    lesson = await course_service.get_lesson(session, lesson_id)
    if lesson is None or lesson.kind != LessonKind.QUIZ:
        raise _lesson_not_found(lesson_id)
    records = LearnerRecords(session, user.id)
    enrollment = await records.enrollment(lesson.course_id)
    if not course_service.can_view_course(
        lesson.course, user, has_enrollment=enrollment is not None
    ):
        raise _lesson_not_found(lesson_id)
    return await records.attempts(lesson_id)
