"""ORM models of the learning domain: enrolments, lesson progress, quiz attempts, events."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pintar_ekspor.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class EnrollmentStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class LearningVerb(enum.StrEnum):
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"
    LESSON_VIEWED = "lesson_viewed"
    LESSON_COMPLETED = "lesson_completed"
    QUIZ_ATTEMPTED = "quiz_attempted"
    COURSE_COMPLETED = "course_completed"


def _enum(cls: type[enum.StrEnum], length: int) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Enrollment(UUIDPrimaryKey, Timestamps, Base):
    """A learner in a course. Withdrawing keeps the row (and progress); re-enrolling restores it."""

    __tablename__ = "enrollments"
    __audited__ = True
    __audit_ignore__ = ("last_accessed_at", "last_lesson_id")

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # RESTRICT: the database itself refuses to destroy a course that learners are enrolled in.
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    status: Mapped[EnrollmentStatus] = mapped_column(
        _enum(EnrollmentStatus, 20), default=EnrollmentStatus.ACTIVE
    )
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    # Set once when every required lesson is complete; never cleared by later content changes.
    completed_at: Mapped[datetime | None]
    last_accessed_at: Mapped[datetime | None]
    last_lesson_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_enrollments_course_id_status", "course_id", "status"),
        Index("ix_enrollments_user_id_last_accessed_at", "user_id", "last_accessed_at"),
        # Reports: the cohort of a date range, and completions over time.
        Index("ix_enrollments_enrolled_at", "enrolled_at"),
        Index("ix_enrollments_completed_at", "completed_at"),
    )

    @property
    def is_enrolled(self) -> bool:
        return self.status != EnrollmentStatus.WITHDRAWN


class LessonProgress(UUIDPrimaryKey, Base):
    """One learner's state on one lesson: a row exists once the lesson was opened or tried."""

    __tablename__ = "lesson_progress"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    best_score: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id"),
        Index("ix_lesson_progress_user_id_course_id", "user_id", "course_id"),
        Index("ix_lesson_progress_lesson_id", "lesson_id"),
    )


class QuizAttempt(UUIDPrimaryKey, Base):
    """One graded quiz submission (kept for the learner's history and for reports)."""

    __tablename__ = "quiz_attempts"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    # Unique per learner and lesson: a second line of defence for the attempts limit.
    attempt_number: Mapped[int]
    score: Mapped[int]
    passed: Mapped[bool]
    answers: Mapped[list[Any]]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id", "attempt_number"),
        Index("ix_quiz_attempts_lesson_id", "lesson_id"),
    )


class LearningEvent(UUIDPrimaryKey, Base):
    """Append-only engagement log (xAPI-like: who, verb, object, when) for the reports."""

    __tablename__ = "learning_events"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verb: Mapped[LearningVerb] = mapped_column(_enum(LearningVerb, 30))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    # SET NULL: deleting a lesson keeps the history of the course.
    lesson_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="SET NULL")
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (
        Index("ix_learning_events_course_id_verb_occurred_at", "course_id", "verb", "occurred_at"),
        Index("ix_learning_events_user_id_occurred_at", "user_id", "occurred_at"),
        # Leads with lesson_id (the foreign key's index) and answers, index only, "did this
        # learner view this lesson in the range?" and the roll-up triggers' min/max look-ups.
        Index(
            "ix_learning_events_lesson_id_user_id",
            "lesson_id",
            "user_id",
            "course_id",
            "verb",
            "occurred_at",
        ),
        # The reports read lesson views and completions (and the gaps between completions) in
        # a date range: a covering index answers them without touching the wide rows. Activity
        # over time reads `learning_daily_activity` instead.
        Index(
            "ix_learning_events_verb_occurred_at_user_id",
            "verb",
            "occurred_at",
            "user_id",
            "course_id",
            "lesson_id",
        ),
    )


class VerbCounts:
    """The roll-ups' counts: every learning event, and each verb's (kept by triggers)."""

    events: Mapped[int]
    enrolments: Mapped[int]
    lessons_viewed: Mapped[int]
    lessons_completed: Mapped[int]
    quiz_attempts: Mapped[int]
    course_completions: Mapped[int]


class LearningDailyActivity(VerbCounts, Base):
    """One learner's learning events in one course on one UTC day, counted per verb.

    A roll-up of `learning_events` that the learning reports read instead of the raw events.
    Database triggers on `learning_events` keep it exact (migration 0016: every insert adds
    one, every delete removes one), so no writer has to remember it; the events stay the
    source of truth. `week_start` (ISO Monday) and `month_start` spare the reports a date
    function per row.
    """

    __tablename__ = "learning_daily_activity"

    day: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    week_start: Mapped[date]
    month_start: Mapped[date]

    __table_args__ = (
        Index("ix_learning_daily_activity_course_id_day", "course_id", "day"),
        Index("ix_learning_daily_activity_user_id_day", "user_id", "day"),
        # SQLite keeps the rows in primary-key order: a date range is one contiguous read.
        {"sqlite_with_rowid": False},
    )


class LearningPeriodActivity(VerbCounts, Base):
    """One learner's learning events (all courses) in one day, ISO week or month, per verb.

    The activity series and the platform's active users count learners per bucket: one row per
    learner and bucket makes that a `count(*)` over full buckets instead of a distinct count
    over every learner-course-day. Kept exact by triggers on `learning_events` (migration
    0018), like `learning_daily_activity`; partial buckets at a range's edges are read from
    the `day` rows.
    """

    __tablename__ = "learning_period_activity"

    granularity: Mapped[str] = mapped_column(String(5), primary_key=True)
    period_start: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        Index("ix_learning_period_activity_user_id", "user_id"),
        {"sqlite_with_rowid": False},
    )


class LearningPeriodTotal(VerbCounts, Base):
    """All learners' learning events in one day, ISO week or month: how many learners were
    active (rows of `learning_period_activity`) and the sum of each verb. Kept exact by
    triggers on `learning_period_activity` (migration 0018); whole buckets of the activity
    series are one row each."""

    __tablename__ = "learning_period_totals"

    granularity: Mapped[str] = mapped_column(String(5), primary_key=True)
    period_start: Mapped[date] = mapped_column(primary_key=True)
    learners: Mapped[int]

    __table_args__ = ({"sqlite_with_rowid": False},)


class LearningLessonDaily(Base):
    """Views and completions of one lesson (in one course) on one UTC day (migration 0018).

    Keyed by lesson first: a report sums each lesson's days in one ordered pass."""

    __tablename__ = "learning_lesson_daily"

    lesson_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int]
    completions: Mapped[int]

    __table_args__ = (
        Index("ix_learning_lesson_daily_course_id_day", "course_id", "day"),
        {"sqlite_with_rowid": False},
    )


class LearningLessonLearner(Base):
    """One learner and one lesson: how many views and completions, and the first and last of
    each (migration 0018's triggers; a delete recomputes the first and last from the events).

    A learner viewed the lesson inside a range when their first or last view is inside it; only
    a learner whose views span the whole range needs a look at the events (an index probe)."""

    __tablename__ = "learning_lesson_learners"

    lesson_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int]
    first_viewed_at: Mapped[datetime | None]
    last_viewed_at: Mapped[datetime | None]
    completions: Mapped[int]
    first_completed_at: Mapped[datetime | None]
    last_completed_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_learning_lesson_learners_user_id", "user_id"),
        Index("ix_learning_lesson_learners_course_id", "course_id"),
        # Learners whose views (completions) reach past a range's end: the only candidates
        # for a probe of the events, none at all for a range ending today.
        Index("ix_learning_lesson_learners_last_viewed_at", "last_viewed_at"),
        Index("ix_learning_lesson_learners_last_completed_at", "last_completed_at"),
        {"sqlite_with_rowid": False},
    )


class Certificate(UUIDPrimaryKey, Base):
    """A completion certificate: a snapshot of who finished what, with a public code.

    The evidence (lesson completions and best quiz scores at completion time) and the
    snapshot fields are hashed (`evidence_hash`) and the hash is signed with the platform's
    key (`signature`), so a row edited in the database no longer verifies. Certificates of
    withdrawn enrolments stay valid; only an admin's revocation ends one.
    """

    __tablename__ = "certificates"
    __audited__ = True

    code: Mapped[str] = mapped_column(String(32), unique=True)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_certificates_user_id", "user_id"),)
