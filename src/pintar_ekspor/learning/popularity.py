"""Enrolment counts for courses: learning's side of `courses/enrolment_counts.py`.

Courses show how many learners a course has (catalogue cards and the `popularity` sort, the
course page, the admin course list) but may not import learning, which sits above them.
This module gives courses the SQL that counts *current* enrolments (active or completed;
withdrawn learners do not count) and tells the content cache that an enrolment's status
changes the cached catalogue. It is registered when the `learning` package is imported
(`learning/__init__.py`), so every process that maps the `enrollments` table has it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Subquery, func, select
from sqlalchemy.sql.elements import ColumnElement

from pintar_ekspor.core import content_cache
from pintar_ekspor.courses import enrolment_counts
from pintar_ekspor.courses.models import Course
from pintar_ekspor.learning.models import Enrollment, EnrollmentStatus


class CurrentEnrolments:
    """`courses.enrolment_counts.EnrolmentCounts`: current enrolments per course."""

    def per_course(self) -> ColumnElement[int]:
        return (
            select(func.count(Enrollment.id))
            .where(
                Enrollment.course_id == Course.id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
            .correlate(Course)
            .scalar_subquery()
        )

    def grouped(self, course_ids: Any = None) -> Subquery:
        stmt = select(Enrollment.course_id, func.count().label("n")).where(
            Enrollment.status != EnrollmentStatus.WITHDRAWN
        )
        if course_ids is not None:
            stmt = stmt.where(Enrollment.course_id.in_(course_ids))
        return stmt.group_by(Enrollment.course_id).subquery()


def install() -> None:
    """Count enrolments in course queries, and drop cached catalogue pages and course pages
    when an enrolment's status changes (the cards show the counts). Idempotent."""
    enrolment_counts.provide(CurrentEnrolments())
    content_cache.watch(Enrollment, attributes={"status"})


install()
