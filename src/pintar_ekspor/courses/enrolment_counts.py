"""How many learners a course has, asked without importing `learning`.

Catalogue cards, the course page, the admin course list and the `popularity` sort show a
course's current enrolments. Enrolments belong to `learning`, one rung *above* `courses` on
the layer ladder, so courses only declares the two SQL pieces it needs (`EnrolmentCounts`)
and `learning` provides them (`learning/popularity.py`, registered when the `learning`
package is imported, which every process that maps the `enrollments` table does).

The pieces are SQL expressions, not query results: they go into the same SELECT as the
courses, so the catalogue and the course page run exactly the queries they ran before.
Until a provider is registered (courses used on their own) nobody is enrolled: counts are 0.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Subquery, false, literal, select
from sqlalchemy.sql.elements import ColumnElement

from pintar_ekspor.courses.models import Course


class EnrolmentCounts(Protocol):
    def per_course(self) -> ColumnElement[int]:
        """The current enrolments of the enclosing query's `Course` (a correlated scalar
        subquery, for `with_expression(Course.enrollment_count, ...)` and ORDER BY)."""
        ...

    def grouped(self, course_ids: Any = None) -> Subquery:
        """Rows `(course_id, n)`: current enrolments per course with at least one, for the
        courses in `course_ids` (a scalar subquery or a list) or, when None, for all."""
        ...


class NoEnrolments:
    """Courses without the learning package: every count is 0."""

    def per_course(self) -> ColumnElement[int]:
        return literal(0)

    def grouped(self, course_ids: Any = None) -> Subquery:
        return select(Course.id.label("course_id"), literal(0).label("n")).where(false()).subquery()


_provider: EnrolmentCounts = NoEnrolments()


def provide(counts: EnrolmentCounts) -> None:
    """Register how enrolments are counted (the `learning` package calls this)."""
    global _provider
    _provider = counts


def current() -> EnrolmentCounts:
    return _provider
