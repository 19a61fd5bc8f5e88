"""ORM models of the courses domain: courses, their tags, sections and lessons."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from pintar_ekspor.core.db import Base, Timestamps, UUIDPrimaryKey


class CourseLevel(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class LessonKind(enum.StrEnum):
    TEXT = "text"
    VIDEO = "video"
    QUIZ = "quiz"


def _enum(cls: type[enum.StrEnum], length: int) -> Enum:
    # VARCHAR + values, no native type: identical on SQLite and PostgreSQL, easy to extend.
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Course(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "courses"
    __audited__ = True

    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    # Markdown stored raw; the web app renders and sanitises it.
    description_md: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[CourseLevel] = mapped_column(_enum(CourseLevel, 20), default=CourseLevel.BEGINNER)
    language: Mapped[str] = mapped_column(String(10), default="id")
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    cover_image_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[CourseStatus] = mapped_column(
        _enum(CourseStatus, 20), default=CourseStatus.DRAFT
    )
    # Set on first publication and kept afterwards, so "newest" does not jump on republish.
    published_at: Mapped[datetime | None]
    # Draft revision: an unpublished working copy of a published (or archived) course, edited
    # by admins while learners keep reading the live course (see `courses.revisions`).
    draft_of_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), unique=True
    )

    sections: Mapped[list[Section]] = relationship(
        back_populates="course",
        order_by="Section.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )
    tag_links: Mapped[list[CourseTag]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="CourseTag.tag"
    )

    # Filled per query with `with_expression` (one grouped subquery, never N+1).
    lesson_count: Mapped[int | None] = query_expression(expire_on_flush=False)
    enrollment_count: Mapped[int | None] = query_expression(expire_on_flush=False)

    __table_args__ = (
        Index("ix_courses_status_published_at", "status", "published_at"),
        Index("ix_courses_level", "level"),
        Index("ix_courses_language", "language"),
    )

    @property
    def tags(self) -> list[str]:
        return [link.tag for link in self.tag_links]


class CourseTag(Base):
    """One normalised (lower-case) tag of a course: indexable and portable tag filtering."""

    __tablename__ = "course_tags"

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)

    __table_args__ = (Index("ix_course_tags_tag", "tag"),)


class Section(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "sections"
    __audited__ = True

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]  # 1-based, contiguous within the course
    # In a draft revision: the live section this one was copied from (None = new in the draft).
    origin_id: Mapped[uuid.UUID | None]

    course: Mapped[Course] = relationship(back_populates="sections", lazy="raise")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="section",
        order_by="Lesson.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )

    __table_args__ = (Index("ix_sections_course_id_position", "course_id", "position"),)


class Lesson(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "lessons"
    __audited__ = True

    # Denormalised from the section so progress and counts never need a join through it.
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[LessonKind] = mapped_column(_enum(LessonKind, 10))
    position: Mapped[int]  # 1-based, contiguous within the section
    body_md: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str | None] = mapped_column(String(500))
    duration_minutes: Mapped[int | None]
    is_required: Mapped[bool] = mapped_column(default=True)
    # Quiz lessons: [{id, prompt, kind, options: [{id, text, correct}], explanation}].
    quiz_questions: Mapped[list[Any] | None]
    pass_mark: Mapped[int | None]
    max_attempts: Mapped[int | None]  # None = unlimited
    # Quiz only: when a learner sees the correct answers and explanations (courses.quiz).
    review_policy: Mapped[str] = mapped_column(String(30), default="after_pass_or_last_attempt")
    # In a draft revision: the live lesson this one was copied from (None = new in the draft).
    origin_id: Mapped[uuid.UUID | None]

    section: Mapped[Section] = relationship(back_populates="lessons", lazy="raise")
    course: Mapped[Course] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_lessons_section_id_position", "section_id", "position"),
        Index("ix_lessons_course_id", "course_id"),
    )
