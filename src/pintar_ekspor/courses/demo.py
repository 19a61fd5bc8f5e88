"""Build courses from plain specs (demo seeding, the benchmark) and seed the demo catalogue.

A spec is a dict with the `CourseCreate` fields plus `sections: [{title, lessons: [...]}]`,
each lesson with the `LessonCreate` fields. Specs pass through the same Pydantic schemas and
quiz rules as the admin API, so demo content can never be something an admin could not write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.db import utcnow
from pintar_ekspor.courses import quiz
from pintar_ekspor.courses.demo_content import DEMO_COURSES
from pintar_ekspor.courses.models import (
    Course,
    CourseStatus,
    CourseTag,
    Lesson,
    LessonKind,
    Section,
)
from pintar_ekspor.courses.schemas import CourseCreate, LessonCreate, SectionCreate
from pintar_ekspor.courses.slugs import slugify


def build_course(
    spec: Mapping[str, Any],
    *,
    status: CourseStatus = CourseStatus.PUBLISHED,
    published_at: datetime | None = None,
) -> Course:
    """An unsaved course with its sections and lessons, validated like the admin API."""
    fields = {k: v for k, v in spec.items() if k != "sections"}
    data = CourseCreate.model_validate(fields)
    course = Course(
        slug=data.slug or slugify(data.title),
        title=data.title,
        summary=data.summary,
        description_md=data.description_md,
        level=data.level,
        language=data.language,
        estimated_minutes=data.estimated_minutes,
        cover_image_url=data.cover_image_url,
        status=status,
        published_at=(published_at or utcnow()) if status != CourseStatus.DRAFT else published_at,
        tag_links=[CourseTag(tag=t) for t in data.tags],
    )
    for s_index, section_spec in enumerate(spec.get("sections", []), start=1):
        section_data = SectionCreate.model_validate({"title": section_spec["title"]})
        section = Section(title=section_data.title, position=s_index)
        section.course = course
        for l_index, lesson_spec in enumerate(section_spec.get("lessons", []), start=1):
            section.lessons.append(_build_lesson(course, lesson_spec, l_index))
    return course


def _build_lesson(course: Course, spec: Mapping[str, Any], position: int) -> Lesson:
    data = LessonCreate.model_validate(spec)
    is_quiz = data.kind == LessonKind.QUIZ
    questions = (
        quiz.normalise_questions([q.model_dump() for q in data.questions])
        if data.questions
        else None
    )
    lesson = Lesson(
        title=data.title,
        kind=data.kind,
        position=position,
        body_md=data.body_md,
        video_url=data.video_url,
        duration_minutes=data.duration_minutes,
        is_required=data.is_required,
        quiz_questions=questions,
        pass_mark=(data.pass_mark if data.pass_mark is not None else quiz.DEFAULT_PASS_MARK)
        if is_quiz
        else None,
        max_attempts=data.max_attempts,
        review_policy=data.review_policy,
    )
    lesson.course = course
    return lesson


async def seed_courses(session: AsyncSession, specs: Sequence[Mapping[str, Any]]) -> list[str]:
    """Create every spec whose slug does not exist yet; report a line per course.

    Keyed on the slug: an existing course (even one an admin edited) is left untouched, so
    seeding twice changes nothing.
    """
    slugs = [str(spec["slug"]) for spec in specs]
    existing = set((await session.scalars(select(Course.slug).where(Course.slug.in_(slugs)))).all())
    lines: list[str] = []
    for spec in specs:
        slug = str(spec["slug"])
        if slug in existing:
            lines.append(f"course {slug} already exists")
            continue
        session.add(build_course(spec))
        lines.append(f"course {slug} created")
    await session.flush()
    return lines


async def seed_demo_courses(session: AsyncSession) -> list[str]:
    """The demo catalogue: Indonesian courses on export trade."""
    return await seed_courses(session, DEMO_COURSES)
