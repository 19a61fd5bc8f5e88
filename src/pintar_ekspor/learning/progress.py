"""Progress arithmetic shared by the outline, "my learning", the progress page and completion.

Pure functions over a course's lesson sequence and a learner's progress rows, so every
screen shows the same percentage and the same next lesson.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from pintar_ekspor.courses.service import LessonRef
from pintar_ekspor.learning.models import LessonProgress

LessonStatus = Literal["not_started", "in_progress", "completed"]


class Completion(Protocol):
    """What progress arithmetic reads of a progress row: a `LessonProgress` or a plain line."""

    @property
    def completed_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class ProgressLine:
    """A learner's progress on one lesson as plain columns (read-only views)."""

    completed_at: datetime | None
    best_score: int | None
    attempts: int


def lesson_status(progress: Completion | None) -> LessonStatus:
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


def percent_done(
    *, completed_required: int, total_required: int, completed: int, total: int
) -> int:
    """Percent complete, floored (100 means done): of the required lessons, or of all
    lessons when none is required."""
    if total_required:
        return 100 * completed_required // total_required
    return 100 * completed // total if total else 0


def summarise(sequence: Sequence[LessonRef], progress: Mapping[uuid.UUID, Completion]) -> Summary:
    """Percent complete (floor, so 100 means done), counts and the next lesson to open.

    The next lesson is the first one in reading order that is not complete.
    """
    done = [ref.id for ref in sequence if lesson_status(progress.get(ref.id)) == "completed"]
    done_set = set(done)
    required = [ref for ref in sequence if ref.is_required]
    required_done = sum(1 for ref in required if ref.id in done_set)
    percent = percent_done(
        completed_required=required_done,
        total_required=len(required),
        completed=len(done),
        total=len(sequence),
    )
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
