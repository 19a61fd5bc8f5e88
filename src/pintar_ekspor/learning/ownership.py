"""The one way to read a learner's own rows (OWASP API1: broken object level authorisation).

Every query of enrolments, lesson progress and quiz attempts in this package starts from
`LearnerRecords(session, user_id)`, which always filters by the owner. No route takes a
user id: the owner is the authenticated caller, so one learner can never name another's data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, Subquery, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.learning.models import Enrollment, LessonProgress, QuizAttempt

OWNER = "learner_id"  # the bind parameter of the owner filter in the reusable subqueries


@cache
def _enrollment_rows() -> Subquery:
    return (
        select(
            Enrollment.id,
            Enrollment.course_id,
            Enrollment.status,
            Enrollment.enrolled_at,
            Enrollment.last_lesson_id,
            Enrollment.last_accessed_at,
            Enrollment.completed_at,
        )
        .where(Enrollment.user_id == bindparam(OWNER))
        .subquery("my_enrollments")
    )


@cache
def _progress_rows() -> Subquery:
    return (
        select(
            LessonProgress.course_id,
            LessonProgress.lesson_id,
            LessonProgress.completed_at,
            LessonProgress.best_score,
            LessonProgress.attempts,
        )
        .where(LessonProgress.user_id == bindparam(OWNER))
        .subquery("my_progress")
    )


class LearnerRecords:
    """Owner-filtered access to one learner's enrolments, progress and attempts."""

    def __init__(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        self.session = session
        self.user_id = user_id

    def enrollments(self) -> Select[Enrollment]:
        """A SELECT of this learner's enrolments, to refine (filters, order, paging)."""
        return select(Enrollment).where(Enrollment.user_id == self.user_id)

    async def rows(self, stmt: Select[Any], params: dict[str, Any] | None = None) -> list[Row[Any]]:
        """Run a read built on `enrollment_rows` / `progress_rows` for this owner: plain rows,
        on the session's connection (a column SELECT needs none of the ORM's result work)."""
        connection = await self.session.connection()
        result = await connection.execute(stmt, {**(params or {}), OWNER: self.user_id})
        return list(result.all())

    @staticmethod
    def enrollment_rows() -> Subquery:
        """The owner's enrolments as a subquery, for a read that joins them onto courses in
        one SELECT, run with `rows`. Filtered by a bind parameter (a statement run without
        it fails), so a statement using it can be built once and reused."""
        return _enrollment_rows()

    @staticmethod
    def progress_rows() -> Subquery:
        """The owner's lesson progress as a subquery (see `enrollment_rows`)."""
        return _progress_rows()

    async def enrollment(self, course_id: uuid.UUID, *, lock: bool = False) -> Enrollment | None:
        """The learner's enrolment in a course (any status).

        `lock=True` takes a row lock (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite already
        serialises writers with BEGIN IMMEDIATE). Every change to a learner's progress in a
        course locks this row first, so attempts limits and course completion are decided
        one request at a time, and always against fresh data.
        """
        stmt = self.enrollments().where(Enrollment.course_id == course_id)
        if lock:
            stmt = stmt.with_for_update()
        stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def progress(self, course_ids: Iterable[uuid.UUID]) -> list[LessonProgress]:
        """The learner's progress rows in the given courses."""
        ids = list(set(course_ids))
        if not ids:
            return []
        stmt = (
            select(LessonProgress)
            .where(LessonProgress.user_id == self.user_id, LessonProgress.course_id.in_(ids))
            .execution_options(populate_existing=True)
        )
        return list((await self.session.scalars(stmt)).all())

    async def lesson_progress(self, lesson_id: uuid.UUID) -> LessonProgress | None:
        """The learner's progress on one lesson, if they opened or tried it."""
        stmt = (
            select(LessonProgress)
            .where(LessonProgress.user_id == self.user_id, LessonProgress.lesson_id == lesson_id)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def attempts(self, lesson_id: uuid.UUID) -> list[QuizAttempt]:
        """The learner's graded attempts at a quiz, oldest first."""
        stmt = (
            select(QuizAttempt)
            .where(QuizAttempt.user_id == self.user_id, QuizAttempt.lesson_id == lesson_id)
            .order_by(QuizAttempt.attempt_number)
        )
        return list((await self.session.scalars(stmt)).all())
