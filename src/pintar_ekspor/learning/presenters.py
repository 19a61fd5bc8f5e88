"""Turn service results into response schemas (kept out of routers and services)."""

from __future__ import annotations

import uuid
from typing import Any

from pintar_ekspor.courses import quiz
from pintar_ekspor.courses.models import LessonKind
from pintar_ekspor.courses.schemas import CourseOutline, PublicQuestion
from pintar_ekspor.courses.service import LessonLine
from pintar_ekspor.learning import reads, service
from pintar_ekspor.learning.progress import LessonStatus, ProgressLine, lesson_status
from pintar_ekspor.learning.schemas import (
    AttemptResult,
    CourseDetail,
    CourseProgressBrief,
    EnrollmentRead,
    LessonCompletion,
    LessonContent,
    LessonProgressRead,
    ProgressSummaryRead,
    QuestionResultRead,
    QuizContent,
)


def course_detail(page: service.CoursePage) -> CourseDetail:
    outline = CourseOutline.model_validate(page.course)
    enrollment = page.enrollment
    progress = None
    if page.summary is not None and enrollment is not None:
        progress = ProgressSummaryRead(
            percent=page.summary.percent,
            completed_lessons=page.summary.completed_lessons,
            total_lessons=page.summary.total_lessons,
            next_lesson_id=page.summary.next_lesson_id,
            completed_lesson_ids=page.summary.completed_lesson_ids,
            completed_at=enrollment.completed_at,
        )
    return CourseDetail(
        **outline.model_dump(),
        is_enrolled=enrollment is not None and enrollment.is_enrolled,
        enrollment=EnrollmentRead.model_validate(enrollment) if enrollment else None,
        progress=progress,
    )


def _attempts_remaining(max_attempts: int | None, used: int) -> int | None:
    return None if max_attempts is None else max(max_attempts - used, 0)


def lesson_content(view: service.LessonView) -> LessonContent:
    lesson = view.lesson
    quiz_content = None
    if lesson.kind == LessonKind.QUIZ:
        questions = lesson.quiz_questions or []
        quiz_content = QuizContent(
            pass_mark=quiz.DEFAULT_PASS_MARK if lesson.pass_mark is None else lesson.pass_mark,
            max_attempts=lesson.max_attempts,
            question_count=len(questions),
            questions=[PublicQuestion.model_validate(q) for q in quiz.public_questions(questions)],
        )
    progress = None
    if view.progress is not None:
        row = view.progress
        progress = LessonProgressRead(
            status=lesson_status(row),
            started_at=row.started_at,
            completed_at=row.completed_at,
            best_score=row.best_score,
            attempts_used=row.attempts,
            attempts_remaining=_attempts_remaining(lesson.max_attempts, row.attempts)
            if lesson.kind == LessonKind.QUIZ
            else None,
        )
    return LessonContent(
        id=lesson.id,
        course_id=lesson.course_id,
        section_id=lesson.section_id,
        title=lesson.title,
        kind=lesson.kind,
        position=lesson.position,
        duration_minutes=lesson.duration_minutes,
        is_required=lesson.is_required,
        body_md=lesson.body_md,
        video_url=lesson.video_url,
        quiz=quiz_content,
        progress=progress,
        previous_lesson_id=view.previous_lesson_id,
        next_lesson_id=view.next_lesson_id,
    )


def _brief(course_id: uuid.UUID, state: service.CompletionState) -> CourseProgressBrief:
    summary = state.summary
    return CourseProgressBrief(
        course_id=course_id,
        percent=summary.percent,
        completed_lessons=summary.completed_lessons,
        total_lessons=summary.total_lessons,
        next_lesson_id=summary.next_lesson_id,
        completed_at=state.completed_at,
        course_completed=state.completed_at is not None,
    )


def lesson_completion(result: service.LessonCompletionResult) -> LessonCompletion:
    return LessonCompletion(
        lesson_id=result.lesson.id,
        status=lesson_status(result.progress),
        completed_at=result.progress.completed_at,
        course=_brief(result.lesson.course_id, result.course),
    )


def attempt_result(outcome: service.AttemptOutcome) -> AttemptResult:
    lesson, progress, grade = outcome.lesson, outcome.progress, outcome.grade
    reveal = quiz.reveals_answers(
        passed=outcome.attempt.passed,
        attempts_used=progress.attempts,
        max_attempts=lesson.max_attempts,
        policy=lesson.review_policy,
    )
    return AttemptResult(
        attempt_id=outcome.attempt.id,
        attempt_number=outcome.attempt.attempt_number,
        submitted_at=outcome.attempt.submitted_at,
        score=grade.score,
        passed=outcome.attempt.passed,
        pass_mark=outcome.pass_mark,
        best_score=progress.best_score or 0,
        attempts_used=progress.attempts,
        attempts_remaining=_attempts_remaining(lesson.max_attempts, progress.attempts),
        max_attempts=lesson.max_attempts,
        lesson_completed=progress.completed_at is not None,
        answers_revealed=reveal,
        questions=[
            QuestionResultRead(
                question_id=r.question_id,
                correct=r.correct,
                selected_option_ids=r.selected_option_ids,
                correct_option_ids=r.correct_option_ids if reveal else None,
                explanation=r.explanation if reveal else None,
            )
            for r in grade.results
        ],
        course=_brief(lesson.course_id, outcome.course),
    )


def _item(lesson: LessonLine, row: ProgressLine | None) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "kind": lesson.kind,
        "position": lesson.position,
        "is_required": lesson.is_required,
        "status": lesson_status(row),
        "completed_at": row.completed_at if row else None,
        "best_score": row.best_score if row else None,
        "attempts": row.attempts if row else 0,
    }


def course_progress(view: reads.CourseProgress) -> dict[str, Any]:
    """The plain data of `CourseProgressRead` (same fields, same order), encoded once."""
    sections: list[dict[str, Any]] = []
    for section in view.course.sections:
        items = [_item(lesson, view.progress.get(lesson.id)) for lesson in section.lessons]
        done = sum(1 for i in items if i["status"] == "completed")
        started = any(i["status"] != "not_started" for i in items)
        status: LessonStatus = (
            "completed"
            if items and done == len(items)
            else ("in_progress" if started else "not_started")
        )
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "position": section.position,
                "status": status,
                "completed_lessons": done,
                "total_lessons": len(items),
                "lessons": items,
            }
        )
    enrollment = view.enrollment
    return {
        "course_id": view.course.id,
        "enrollment_status": enrollment.status,
        "enrolled_at": enrollment.enrolled_at,
        "percent": view.summary.percent,
        "completed_lessons": view.summary.completed_lessons,
        "total_lessons": view.summary.total_lessons,
        "next_lesson_id": view.summary.next_lesson_id,
        "last_lesson_id": enrollment.last_lesson_id,
        "last_accessed_at": enrollment.last_accessed_at,
        "completed_at": enrollment.completed_at,
        "sections": sections,
    }
