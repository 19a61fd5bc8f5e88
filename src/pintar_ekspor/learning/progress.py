"""Progress arithmetic shared by the outline, "my learning", the progress page and completion.

Pure functions over a course's lesson sequence and a learner's progress rows, so every
screen shows the same percentage and the same next lesson.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pintar_ekspor.courses.service import LessonRef
from pintar_ekspor.learning.models import LessonProgress

LessonStatus = Literal["not_started", "in_progress", "completed"]


def lesson_status(progress: LessonProgress | None) -> LessonStatus:
    if progress is None:
        return "not_started"
    return "completed" if progress.completed_at is not None else "in_progress"


@dataclass(frozen=True)
class Summary:
    """Percent counts required lessons only; the lesson counts include optional ones."""

    percent: int
    completed_lessons: int
    total_lessons: int
    completed_required: int
    total_required: int
    next_lesson_id: uuid.UUID | None
    completed_lesson_ids: list[uuid.UUID] = field(default_factory=list)

    @property
    def all_required_done(self) -> bool:
        # A course whose lessons are all optional is done when every lesson is.
        if self.total_required:
            return self.completed_required == self.total_required
        return self.total_lessons > 0 and self.completed_lessons == self.total_lessons


def by_lesson(rows: Sequence[LessonProgress]) -> dict[uuid.UUID, LessonProgress]:
    return {row.lesson_id: row for row in rows}


def summarise(
    sequence: Sequence[LessonRef], progress: Mapping[uuid.UUID, LessonProgress]
) -> Summary:
    """Percent complete (floor, so 100 means done), counts and the next lesson to open.

    The next lesson is the first one in reading order that is not complete.
    """
    done = [ref.id for ref in sequence if lesson_status(progress.get(ref.id)) == "completed"]
    done_set = set(done)
    required = [ref for ref in sequence if ref.is_required]
    required_done = sum(1 for ref in required if ref.id in done_set)
    if required:
        percent = 100 * required_done // len(required)
    else:
        percent = 100 * len(done) // len(sequence) if sequence else 0
    next_id = next((ref.id for ref in sequence if ref.id not in done_set), None)
    return Summary(
        percent=percent,
        completed_lessons=len(done),
        total_lessons=len(sequence),
        completed_required=required_done,
        total_required=len(required),
        next_lesson_id=next_id,
        completed_lesson_ids=done,
    )


def neighbours(
    sequence: Sequence[LessonRef], lesson_id: uuid.UUID
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The lessons before and after `lesson_id` in reading order."""
    ids = [ref.id for ref in sequence]
    try:
        index = ids.index(lesson_id)
    except ValueError:
        return None, None
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following
