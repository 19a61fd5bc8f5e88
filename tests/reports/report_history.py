"""A known learning history (Jan-Mar 2026) whose every report figure is worked out by hand.

Course A (4 required lessons: L1 text, L2 video | L3 text, L4 quiz), cohort of 6:
    u1 enrolled 01-05 10:00, completes L1..L4 every 12 h -> course done after 2 days
    u2 enrolled 01-10 10:00, every 24 h -> done after 4 days
    u3 enrolled 02-02 10:00, every 36 h -> done after 6 days
    u4 enrolled 02-03 10:00, completes L1 (+1 h) and L2 (+3 h); views L2 again on 03-28
    u5 enrolled 02-04 10:00, views L1 (+1 h) only; views it again on 03-10
    u6 enrolled 02-05 10:00, opens nothing, withdraws on 02-06
    u7 enrolled 04-10 (after the range: never counted)
Quiz L4: u1 fails (50) then passes (100); u2 and u3 pass (100) at the first attempt.
Course B (2 lessons), cohort of 3 (u8, u9, u10): enrolled 01-20, each views L1 once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, quiz_lesson, text_lesson, video_lesson
from factories import create_user
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.models import Course
from pintar_ekspor.learning.models import (
    Enrollment,
    EnrollmentStatus,
    LearningEvent,
    LearningVerb,
    LessonProgress,
    QuizAttempt,
)

RANGE = {"from": "2026-01-01", "to": "2026-03-31"}


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@dataclass
class History:
    course_a: Course
    course_b: Course
    learners: list[User]
    people: list[User] = field(default_factory=list)

    @property
    def lessons_a(self) -> list[Any]:
        return [lesson for s in self.course_a.sections for lesson in s.lessons]


class Recorder:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def event(
        self, user: User, verb: LearningVerb, course: Course, when: datetime, lesson: Any = None
    ) -> None:
        self.session.add(
            LearningEvent(
                user_id=user.id,
                verb=verb,
                course_id=course.id,
                lesson_id=lesson.id if lesson is not None else None,
                occurred_at=when,
                data={},
            )
        )

    def enrol(self, user: User, course: Course, when: datetime) -> Enrollment:
        enrollment = Enrollment(
            user_id=user.id, course_id=course.id, enrolled_at=when, last_accessed_at=when
        )
        self.session.add(enrollment)
        self.event(user, LearningVerb.ENROLLED, course, when)
        return enrollment

    def view(self, user: User, course: Course, lesson: Any, when: datetime) -> LessonProgress:
        progress = LessonProgress(
            user_id=user.id,
            course_id=course.id,
            lesson_id=lesson.id,
            started_at=when,
            attempts=0,
        )
        self.session.add(progress)
        self.event(user, LearningVerb.LESSON_VIEWED, course, when, lesson)
        return progress

    def complete(self, user: User, course: Course, lesson: Any, when: datetime) -> None:
        progress = self.view(user, course, lesson, when - timedelta(minutes=30))
        progress.completed_at = when
        self.event(user, LearningVerb.LESSON_COMPLETED, course, when, lesson)

    def attempt(
        self, user: User, course: Course, lesson: Any, when: datetime, number: int, score: int
    ) -> None:
        self.session.add(
            QuizAttempt(
                user_id=user.id,
                course_id=course.id,
                lesson_id=lesson.id,
                attempt_number=number,
                score=score,
                passed=score >= 70,
                answers=[],
                submitted_at=when,
            )
        )
        self.event(user, LearningVerb.QUIZ_ATTEMPTED, course, when, lesson)


async def seed_history(session: AsyncSession, settings: Settings) -> History:
    course_a = await add_course(
        session,
        "Kursus Laporan A",
        sections=[
            {"title": "Bagian 1", "lessons": [text_lesson("A1"), video_lesson("A2")]},
            {"title": "Bagian 2", "lessons": [text_lesson("A3"), quiz_lesson("A4")]},
        ],
    )
    course_b = await add_course(
        session,
        "Kursus Laporan B",
        sections=[{"title": "Bagian 1", "lessons": [text_lesson("B1"), text_lesson("B2")]}],
    )
    learners = [
        await create_user(
            session,
            settings,
            email=f"pelajar{n}.{uuid.uuid4().hex[:6]}@contoh.id",
            full_name=f"Pelajar Rahasia {n}",
        )
        for n in range(1, 11)
    ]
    rec = Recorder(session)
    a = [lesson for s in course_a.sections for lesson in s.lessons]
    b = [lesson for s in course_b.sections for lesson in s.lessons]
    # Completers: u1 (12 h steps), u2 (24 h), u3 (36 h).
    for user, start, step in (
        (learners[0], at(1, 5), 12),
        (learners[1], at(1, 10), 24),
        (learners[2], at(2, 2), 36),
    ):
        enrollment = rec.enrol(user, course_a, start)
        for k, lesson in enumerate(a, start=1):
            when = start + timedelta(hours=step * k)
            if lesson.kind.value == "quiz":
                if user is learners[0]:
                    rec.attempt(user, course_a, lesson, when - timedelta(minutes=10), 1, 50)
                    rec.attempt(user, course_a, lesson, when, 2, 100)
                else:
                    rec.attempt(user, course_a, lesson, when, 1, 100)
            rec.complete(user, course_a, lesson, when)
        enrollment.completed_at = start + timedelta(hours=step * 4)
        enrollment.status = EnrollmentStatus.COMPLETED
        rec.event(user, LearningVerb.COURSE_COMPLETED, course_a, enrollment.completed_at)
    u4, u5, u6, u7 = learners[3:7]
    rec.enrol(u4, course_a, at(2, 3))
    rec.complete(u4, course_a, a[0], at(2, 3, 11))
    rec.complete(u4, course_a, a[1], at(2, 3, 13))
    rec.event(u4, LearningVerb.LESSON_VIEWED, course_a, at(3, 28), a[1])
    rec.enrol(u5, course_a, at(2, 4))
    rec.view(u5, course_a, a[0], at(2, 4, 11))
    rec.event(u5, LearningVerb.LESSON_VIEWED, course_a, at(3, 10), a[0])
    withdrawn = rec.enrol(u6, course_a, at(2, 5))
    withdrawn.status = EnrollmentStatus.WITHDRAWN
    withdrawn.withdrawn_at = at(2, 6)
    rec.event(u6, LearningVerb.WITHDRAWN, course_a, at(2, 6))
    rec.enrol(u7, course_a, at(4, 10))
    rec.view(u7, course_a, a[0], at(4, 10, 11))
    for user in learners[7:10]:
        rec.enrol(user, course_b, at(1, 20))
        rec.view(user, course_b, b[0], at(1, 20, 11))
    await session.flush()
    return History(course_a=course_a, course_b=course_b, learners=learners)
