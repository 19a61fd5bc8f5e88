"""Course specs and builders shared by the courses and learning tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.courses.demo import build_course
from pintar_ekspor.courses.models import Course, CourseStatus

QUIZ_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "q1",
        "prompt": "Dokumen apa yang diajukan ke Bea Cukai untuk ekspor?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "PEB", "correct": True},
            {"id": "b", "text": "PIB"},
            {"id": "c", "text": "Faktur pajak"},
        ],
        "explanation": "SECRET-EXPLANATION-1: PEB diajukan lewat CEISA.",
    },
    {
        "id": "q2",
        "prompt": "Incoterms mana yang khusus angkutan laut?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "FOB", "correct": True},
            {"id": "b", "text": "DAP"},
            {"id": "c", "text": "CIF", "correct": True},
        ],
        "explanation": "SECRET-EXPLANATION-2: FAS, FOB, CFR, CIF.",
    },
]


def text_lesson(title: str = "Bacaan", **extra: Any) -> dict[str, Any]:
    return {"title": title, "kind": "text", "body_md": f"# {title}\n\nIsi pelajaran.", **extra}


def video_lesson(title: str = "Video", **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "video",
        "video_url": "https://www.youtube-nocookie.com/embed/abc123",
        "duration_minutes": 5,
        **extra,
    }


def quiz_lesson(title: str = "Kuis", **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "quiz",
        "questions": QUIZ_QUESTIONS,
        "pass_mark": 70,
        "max_attempts": 3,
        **extra,
    }


def course_spec(
    title: str, *, sections: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    if sections is None:
        sections = [
            {"title": "Bagian 1", "lessons": [text_lesson("Pengantar"), video_lesson()]},
            {"title": "Bagian 2", "lessons": [quiz_lesson()]},
        ]
    return {"title": title, "summary": f"Ringkasan {title}", **fields, "sections": sections}


async def add_course(
    session: AsyncSession,
    title: str,
    *,
    status: CourseStatus = CourseStatus.PUBLISHED,
    published_at: datetime | None = None,
    sections: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Course:
    """Insert a course (published by default) with its sections and lessons."""
    course = build_course(
        course_spec(title, sections=sections, **fields), status=status, published_at=published_at
    )
    session.add(course)
    await session.flush()
    return course


def lesson_ids(course: Course) -> list[Any]:
    return [lesson.id for section in course.sections for lesson in section.lessons]
