"""Pydantic schemas of the courses domain (catalogue, outline, authoring)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from pintar_ekspor.courses import quiz
from pintar_ekspor.courses.models import CourseLevel, CourseStatus, LessonKind
from pintar_ekspor.courses.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN, looks_like_uuid

MAX_TAGS = 10


def _check_url(value: str) -> str:
    if MEDIA_URL.match(value):  # a video uploaded to this platform (courses.media)
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError("must be an absolute http(s) URL or a /media/ path of an uploaded video")
    return value


MEDIA_URL = re.compile(r"^/media/[A-Za-z0-9_-]{1,80}\.(mp4|webm)$")


def _check_slug(value: str) -> str:
    if looks_like_uuid(value):
        raise ValueError("a slug must not look like a UUID")
    return value


def normalise_tag(value: str) -> str:
    """Tags are compared lower-case with single spaces: "  Dokumen  Ekspor" -> "dokumen ekspor"."""
    return " ".join(value.split()).lower()


Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_check_url)]
Slug = Annotated[
    str,
    StringConstraints(max_length=MAX_SLUG_LENGTH, pattern=SLUG_PATTERN),
    AfterValidator(_check_slug),
]
ReviewPolicy = Literal["after_pass_or_last_attempt", "after_last_attempt", "after_submit"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2})?$")]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(normalise_tag)]


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class InputModel(BaseModel):
    # Unknown fields are rejected: a typo (or "status") never silently does nothing.
    model_config = ConfigDict(extra="forbid")


class PartialUpdate(InputModel):
    """PATCH bodies: absent = unchanged; explicit null only where the field may be null."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> PartialUpdate:
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.nullable_fields:
                raise ValueError(f"{name} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


# --- public catalogue and outline -------------------------------------------------------


class CourseSummary(ORMModel):
    id: uuid.UUID
    slug: str
    title: str
    summary: str
    level: CourseLevel
    tags: list[str]
    language: str
    estimated_minutes: int
    cover_image_url: str | None
    published_at: datetime | None
    lesson_count: int = 0
    enrollment_count: int = 0

    @field_validator("lesson_count", "enrollment_count", mode="before")
    @classmethod
    def _none_is_zero(cls, value: int | None) -> int:
        return value or 0


class LessonOutline(ORMModel):
    id: uuid.UUID
    title: str
    kind: LessonKind
    position: int
    duration_minutes: int | None
    is_required: bool


class SectionOutline(ORMModel):
    id: uuid.UUID
    title: str
    position: int
    lessons: list[LessonOutline]


class CourseOutline(CourseSummary):
    description_md: str
    status: CourseStatus
    sections: list[SectionOutline]


class PublicOption(BaseModel):
    id: str
    text: str


class PublicQuestion(BaseModel):
    """A quiz question as learners see it: no correct flags, no explanation."""

    id: str
    prompt: str
    kind: quiz.QuestionKind
    options: list[PublicOption]


# --- authoring ----------------------------------------------------------------------------


class CourseCreate(InputModel):
    title: Title
    slug: Slug | None = Field(default=None, description="Generated from the title when omitted.")
    summary: Annotated[str, StringConstraints(max_length=500)] = ""
    description_md: Annotated[str, StringConstraints(max_length=100_000)] = Field(
        default="", description="Markdown, stored raw; the web app renders and sanitises it."
    )
    level: CourseLevel = CourseLevel.BEGINNER
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = []
    language: Language = "id"
    estimated_minutes: Annotated[int, Field(ge=0, le=100_000)] = 0
    cover_image_url: Url | None = None

    @field_validator("tags")
    @classmethod
    def _dedupe_tags(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class CourseUpdate(PartialUpdate):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"cover_image_url"})

    title: Title | None = None
    slug: Slug | None = None
    summary: Annotated[str, StringConstraints(max_length=500)] | None = None
    description_md: Annotated[str, StringConstraints(max_length=100_000)] | None = None
    level: CourseLevel | None = None
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] | None = None
    language: Language | None = None
    estimated_minutes: Annotated[int, Field(ge=0, le=100_000)] | None = None
    cover_image_url: Url | None = None

    @field_validator("tags")
    @classmethod
    def _dedupe_tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else list(dict.fromkeys(value))


class OptionIn(InputModel):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    correct: bool = False


class QuestionIn(InputModel):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")] | None = None
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    kind: quiz.QuestionKind = "single"
    options: Annotated[list[OptionIn], Field(min_length=2, max_length=10)]
    explanation: Annotated[str, StringConstraints(max_length=5000)] = ""

    @model_validator(mode="after")
    def _correct_options(self) -> QuestionIn:
        correct = sum(1 for o in self.options if o.correct)
        if correct == 0:
            raise ValueError("at least one option must be correct")
        if self.kind == "single" and correct != 1:
            raise ValueError("a single-choice question has exactly one correct option")
        return self


Questions = Annotated[list[QuestionIn], Field(min_length=1, max_length=100)]
Body = Annotated[str, StringConstraints(max_length=200_000)]
PassMark = Annotated[int, Field(ge=0, le=100)]
MaxAttempts = Annotated[int, Field(ge=1, le=1000)]
Duration = Annotated[int, Field(ge=0, le=10_000)]


class LessonCreate(InputModel):
    title: Title
    kind: LessonKind
    body_md: Body = Field(default="", description="Markdown, stored raw.")
    video_url: Url | None = None
    duration_minutes: Duration | None = None
    is_required: bool = True
    questions: Questions | None = None
    pass_mark: PassMark | None = Field(default=None, description="Quiz only; default 70.")
    max_attempts: MaxAttempts | None = Field(
        default=None, description="Quiz only; null = unlimited."
    )
    review_policy: ReviewPolicy = Field(
        default="after_pass_or_last_attempt",
        description="Quiz only: when learners see the correct answers and explanations.",
    )
    position: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="1-based; default last."
    )

    @model_validator(mode="after")
    def _content_fits_kind(self) -> LessonCreate:
        quiz.check_lesson_content(
            kind=self.kind.value,
            body_md=self.body_md,
            video_url=self.video_url,
            questions=[q.model_dump() for q in self.questions] if self.questions else None,
            pass_mark=self.pass_mark,
            max_attempts=self.max_attempts,
        )
        return self


class LessonUpdate(PartialUpdate):
    nullable_fields: ClassVar[frozenset[str]] = frozenset(
        {"video_url", "duration_minutes", "questions", "pass_mark", "max_attempts"}
    )

    title: Title | None = None
    kind: LessonKind | None = None
    body_md: Body | None = None
    video_url: Url | None = None
    duration_minutes: Duration | None = None
    is_required: bool | None = None
    questions: Questions | None = None
    pass_mark: PassMark | None = None
    max_attempts: MaxAttempts | None = None
    review_policy: ReviewPolicy | None = None


class SectionCreate(InputModel):
    title: Title
    position: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="1-based; default last."
    )


class SectionUpdate(PartialUpdate):
    title: Title | None = None


class SectionOrder(InputModel):
    section_ids: Annotated[list[uuid.UUID], Field(max_length=500)]


class LessonOrder(InputModel):
    lesson_ids: Annotated[list[uuid.UUID], Field(max_length=500)]


class LessonMove(InputModel):
    section_id: uuid.UUID
    position: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="1-based; default last."
    )


class OptionRead(BaseModel):
    id: str
    text: str
    correct: bool


class QuestionRead(BaseModel):
    id: str
    prompt: str
    kind: quiz.QuestionKind
    options: list[OptionRead]
    explanation: str


class AdminLessonRead(ORMModel):
    id: uuid.UUID
    course_id: uuid.UUID
    section_id: uuid.UUID
    title: str
    kind: LessonKind
    position: int
    body_md: str
    video_url: str | None
    duration_minutes: int | None
    is_required: bool
    questions: list[QuestionRead] | None = Field(validation_alias="quiz_questions")
    pass_mark: int | None
    max_attempts: int | None
    review_policy: str
    created_at: datetime
    updated_at: datetime


class AdminSectionRead(ORMModel):
    id: uuid.UUID
    course_id: uuid.UUID
    title: str
    position: int
    lessons: list[AdminLessonRead]


class AdminCourseSummary(CourseSummary):
    status: CourseStatus
    created_at: datetime
    updated_at: datetime
    has_draft_changes: bool = Field(
        default=False,
        description="Edits wait in a draft revision; learners see them once published.",
    )


class AdminCourseRead(AdminCourseSummary):
    """A course as an admin edits it: with pending changes, the draft revision's content
    (its section and lesson ids are the draft's; edit routes accept either) under the live
    course's id, slug and status."""

    description_md: str
    sections: list[AdminSectionRead]
    draft_course_id: uuid.UUID | None = Field(
        default=None, description="The draft revision (preview it at /courses/{id})."
    )
    draft_started_at: datetime | None = None
