"""Pydantic schemas of the learning domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pintar_ekspor.courses.models import LessonKind
from pintar_ekspor.courses.schemas import CourseOutline, CourseSummary, PublicQuestion
from pintar_ekspor.learning.models import EnrollmentStatus
from pintar_ekspor.learning.progress import LessonStatus


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EnrollmentRead(ORMModel):
    id: uuid.UUID
    course_id: uuid.UUID
    status: EnrollmentStatus
    enrolled_at: datetime
    withdrawn_at: datetime | None
    completed_at: datetime | None
    last_accessed_at: datetime | None
    last_lesson_id: uuid.UUID | None


class ProgressSummaryRead(BaseModel):
    """The caller's progress in a course. `percent` counts required lessons only."""

    percent: int
    completed_lessons: int
    total_lessons: int
    next_lesson_id: uuid.UUID | None
    completed_lesson_ids: list[uuid.UUID]
    completed_at: datetime | None = Field(
        description="When the course was completed; kept even if lessons are added later."
    )


class CourseDetail(CourseOutline):
    """A course with its outline (no lesson bodies) and, for the caller, their enrolment."""

    is_enrolled: bool
    enrollment: EnrollmentRead | None
    progress: ProgressSummaryRead | None


class QuizContent(BaseModel):
    pass_mark: int
    max_attempts: int | None = Field(description="null = unlimited")
    question_count: int
    questions: list[PublicQuestion]


class LessonProgressRead(BaseModel):
    status: LessonStatus
    started_at: datetime | None
    completed_at: datetime | None
    best_score: int | None
    attempts_used: int
    attempts_remaining: int | None = Field(description="null = unlimited (or not a quiz)")


class LessonContent(BaseModel):
    """A lesson as an enrolled learner reads it. Quiz answers are never included."""

    id: uuid.UUID
    course_id: uuid.UUID
    section_id: uuid.UUID
    title: str
    kind: LessonKind
    position: int
    duration_minutes: int | None
    is_required: bool
    body_md: str = Field(description="Markdown, raw: render and sanitise it in the client.")
    video_url: str | None
    quiz: QuizContent | None
    progress: LessonProgressRead | None
    previous_lesson_id: uuid.UUID | None
    next_lesson_id: uuid.UUID | None


class CourseProgressBrief(BaseModel):
    course_id: uuid.UUID
    percent: int
    completed_lessons: int
    total_lessons: int
    next_lesson_id: uuid.UUID | None
    completed_at: datetime | None
    course_completed: bool


class LessonCompletion(BaseModel):
    lesson_id: uuid.UUID
    status: LessonStatus
    completed_at: datetime | None
    course: CourseProgressBrief


OptionId = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    option_ids: Annotated[list[OptionId], Field(max_length=20)]


class AttemptCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Annotated[list[AnswerIn], Field(max_length=200)]


class QuestionResultRead(BaseModel):
    question_id: str
    correct: bool
    selected_option_ids: list[str]
    correct_option_ids: list[str] | None = Field(
        description="null until the quiz is passed or no attempt is left"
    )
    explanation: str | None = Field(
        description="null until the quiz is passed or no attempt is left"
    )


class AttemptResult(BaseModel):
    """A graded attempt: correct answers and explanations are revealed only here, and only
    after a pass or once no attempt is left (`answers_revealed`)."""

    attempt_id: uuid.UUID
    attempt_number: int
    submitted_at: datetime
    score: int = Field(ge=0, le=100)
    passed: bool
    pass_mark: int
    best_score: int
    attempts_used: int
    attempts_remaining: int | None = Field(description="null = unlimited")
    max_attempts: int | None
    lesson_completed: bool
    answers_revealed: bool
    questions: list[QuestionResultRead]
    course: CourseProgressBrief


class LessonProgressItem(BaseModel):
    id: uuid.UUID
    title: str
    kind: LessonKind
    position: int
    is_required: bool
    status: LessonStatus
    completed_at: datetime | None
    best_score: int | None
    attempts: int


class SectionProgress(BaseModel):
    id: uuid.UUID
    title: str
    position: int
    status: LessonStatus
    completed_lessons: int
    total_lessons: int
    lessons: list[LessonProgressItem]


class CourseProgressRead(BaseModel):
    course_id: uuid.UUID
    enrollment_status: EnrollmentStatus
    enrolled_at: datetime
    percent: int
    completed_lessons: int
    total_lessons: int
    next_lesson_id: uuid.UUID | None
    last_lesson_id: uuid.UUID | None
    last_accessed_at: datetime | None
    completed_at: datetime | None
    sections: list[SectionProgress]


class MyCourse(BaseModel):
    """One row of "my learning"."""

    course: CourseSummary
    status: EnrollmentStatus
    enrolled_at: datetime
    progress_percent: int
    completed_lessons: int
    total_lessons: int
    next_lesson_id: uuid.UUID | None
    last_lesson_id: uuid.UUID | None
    last_accessed_at: datetime | None
    completed_at: datetime | None


class AttemptSummary(ORMModel):
    id: uuid.UUID
    attempt_number: int
    score: int
    passed: bool
    submitted_at: datetime


class CertificateRead(BaseModel):
    """A certificate as anyone holding its code sees it (no e-mail, no user id)."""

    code: str
    status: Literal["valid", "revoked", "tampered"] = Field(
        description="`tampered` when the stored record no longer matches its signed hash."
    )
    learner_name: str
    course_title: str
    course_id: uuid.UUID
    completed_at: datetime
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    evidence_hash: str = Field(description="SHA-256 of the signed snapshot and its evidence.")
    lessons_completed: int
    verify_url: str
    pdf_url: str


class CertificateRevoke(BaseModel):
    reason: str = Field(min_length=3, max_length=500)
