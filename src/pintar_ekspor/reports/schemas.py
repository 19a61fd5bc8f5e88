"""Response shapes of the learning reports (documented in OpenAPI and README)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from pintar_ekspor.reports.params import Granularity
from pintar_ekspor.reports.privacy import Audience


class Protected(BaseModel):
    """A row that may have figures withheld for privacy (groups of fewer than 5 learners)."""

    model_config = ConfigDict(from_attributes=True)

    suppressed: bool = Field(False, description="True when any figure of this row is withheld")
    suppressed_fields: list[str] = Field(default_factory=list)


class ReportMeta(BaseModel):
    report: str
    privacy: Audience = Field(description="full (admin session) or aggregate (API clients)")
    min_group_size: int = Field(description="Groups smaller than this are suppressed")
    date_from: date
    date_to: date
    granularity: Granularity
    course_id: uuid.UUID | None
    generated_at: datetime


class ListedReport(ReportMeta):
    total: int
    limit: int
    offset: int


# --- shared ---------------------------------------------------------------------------------


class ActivityPoint(Protected):
    """Learning activity in one time bucket (`period` = the bucket's first day)."""

    period: date
    active_learners: int | None = Field(description="Learners with any learning event")
    enrolments: int | None
    lessons_viewed: int | None
    lessons_completed: int | None
    quiz_attempts: int | None
    course_completions: int | None


# --- course-progress --------------------------------------------------------------------------


class QuizStats(Protected):
    lesson_id: uuid.UUID
    title: str
    ordinal: int = Field(description="Place of the lesson in the course's reading order")
    attempted_learners: int | None
    passed_learners: int | None
    pass_rate: float | None = Field(description="passed_learners / attempted_learners")
    attempts: int | None
    average_score: float | None


class CourseProgressRow(Protected):
    course_id: uuid.UUID
    slug: str
    title: str
    enrolled: int | None = Field(description="Enrolments made in the range (the cohort)")
    withdrawn: int | None
    completed: int | None = Field(description="Of the cohort, completed by the end of the range")
    completion_rate: float | None
    active_7d: int | None = Field(description="Of the cohort, active in the range's last 7 days")
    active_30d: int | None
    average_progress: float | None = Field(description="Mean progress percent of the cohort")
    median_days_to_complete: float | None
    quizzes: list[QuizStats]


class CourseProgressReport(ListedReport):
    items: list[CourseProgressRow]
    series: list[ActivityPoint]


# --- user-progress ----------------------------------------------------------------------------


class ProgressBuckets(Protected):
    enrolments: int | None
    progress_0: int | None = Field(description="Enrolments at 0%")
    progress_1_24: int | None
    progress_25_49: int | None
    progress_50_74: int | None
    progress_75_99: int | None
    progress_100: int | None
    average_progress: float | None


class CourseProgressBuckets(ProgressBuckets):
    course_id: uuid.UUID
    slug: str
    title: str


class OverallProgress(ProgressBuckets):
    learners: int | None = Field(description="Distinct learners behind the enrolments")


class UserProgressReport(ListedReport):
    overall: OverallProgress
    items: list[CourseProgressBuckets]
    series: list[ActivityPoint]


class LearnerIdentity(BaseModel):
    id: uuid.UUID
    email: str
    full_name: str
    role: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class LearnerEnrolment(BaseModel):
    course_id: uuid.UUID
    slug: str
    title: str
    status: str
    enrolled_at: datetime
    completed_at: datetime | None
    last_accessed_at: datetime | None
    progress: int


class LearnerQuiz(BaseModel):
    lesson_id: uuid.UUID
    course_id: uuid.UUID
    title: str
    attempts: int
    best_score: int | None
    passed: bool


class LearnerActivityPoint(BaseModel):
    period: date
    events: int
    lessons_viewed: int
    lessons_completed: int
    quiz_attempts: int


class LearnerProgressReport(ReportMeta):
    learner: LearnerIdentity
    enrolments: list[LearnerEnrolment]
    quizzes: list[LearnerQuiz]
    series: list[LearnerActivityPoint]


# --- course-engagement ------------------------------------------------------------------------


class LessonEngagement(Protected):
    course_id: uuid.UUID
    course_title: str
    lesson_id: uuid.UUID
    title: str
    kind: str
    ordinal: int
    views: int | None
    viewers: int | None = Field(description="Distinct learners who viewed the lesson")
    completions: int | None = Field(description="Distinct learners who completed it")


class GapStats(Protected):
    learners: int | None = Field(description="Learners who completed two or more lessons")
    gaps: int | None
    median_hours_between_lessons: float | None


class CourseEngagementReport(ListedReport):
    between_lessons: GapStats
    items: list[LessonEngagement]
    series: list[ActivityPoint]


# --- completion-rates -------------------------------------------------------------------------


class CohortRow(Protected):
    month: date = Field(description="Enrolment month (first day)")
    enrolled: int | None
    completed: int | None
    completion_rate: float | None


class FunnelStep(Protected):
    lesson_id: uuid.UUID
    title: str
    ordinal: int
    reached: int | None = Field(description="Learners who got at least this far")
    stopped: int | None = Field(description="Learners for whom this is the furthest lesson")


class CompletionRow(Protected):
    course_id: uuid.UUID
    slug: str
    title: str
    enrolled: int | None
    completed: int | None
    completion_rate: float | None
    not_started: int | None = Field(description="Enrolled learners who opened no lesson")
    cohorts: list[CohortRow]
    funnel: list[FunnelStep]


class CompletionRatesReport(ListedReport):
    items: list[CompletionRow]
    series: list[ActivityPoint]


# --- platform ---------------------------------------------------------------------------------


class RoleCount(BaseModel):
    role: str
    users: int
    active_accounts: int


class PlatformPoint(BaseModel):
    period: date
    new_users: int
    active_users: int
    enrolments: int
    completions: int
    api_calls: int
    api_errors: int
    error_rate: float | None


class PlatformTotals(BaseModel):
    users: int
    new_users: int
    active_users: int
    enrolments: int
    completions: int
    api_calls: int
    api_errors: int
    error_rate: float | None


class ApiKeyUsageRow(BaseModel):
    api_key_id: uuid.UUID
    name: str
    prefix: str
    owner_email: str
    requests: int
    client_errors: int
    server_errors: int
    error_rate: float | None
    last_used_at: datetime | None


class PlatformReport(ListedReport):
    users_by_role: list[RoleCount]
    totals: PlatformTotals
    series: list[PlatformPoint]
    items: list[ApiKeyUsageRow] = Field(description="API calls per key in the range")
