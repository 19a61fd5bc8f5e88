"""Public catalogue routes: the course list and a course's outline (no auth needed)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from pintar_ekspor.accounts.dependencies import OptionalUser
from pintar_ekspor.core.deps import DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.courses import service
from pintar_ekspor.courses.models import CourseLevel
from pintar_ekspor.courses.schemas import CourseSummary, Language, Tag
from pintar_ekspor.learning import presenters
from pintar_ekspor.learning import service as learning_service
from pintar_ekspor.learning.schemas import CourseDetail

router = APIRouter(tags=["courses"])


@router.get(
    "/courses",
    operation_id="listCourses",
    response_model=Page[CourseSummary],
    responses=problem_responses(401, 422),
)
async def list_courses(
    session: DbSession,
    page: Pagination,
    q: Annotated[
        str | None,
        Query(
            max_length=100, description="Words to find in title, summary or tags (all must match)"
        ),
    ] = None,
    level: CourseLevel | None = None,
    tag: Annotated[Tag | None, Query(description="Exact tag, case-insensitive")] = None,
    language: Annotated[Language | None, Query(description="e.g. `id` or `en`")] = None,
    sort: Annotated[
        Literal["newest", "title", "popularity"],
        Query(description="`popularity` = current enrolments"),
    ] = "newest",
) -> Page[CourseSummary]:
    """The catalogue of published courses: search, filter, sort, with the total count."""
    filters = service.CourseFilter(q=q, level=level, tag=tag, language=language, sort=sort)
    courses, total = await service.list_courses(session, filters, page)
    return Page[CourseSummary].of([CourseSummary.model_validate(c) for c in courses], total, page)


@router.get(
    "/courses/{id_or_slug}",
    operation_id="getCourse",
    response_model=CourseDetail,
    responses=problem_responses(401, 404),
)
async def get_course(
    session: DbSession,
    user: OptionalUser,
    id_or_slug: Annotated[str, Path(max_length=200, description="Course id or slug")],
) -> CourseDetail:
    """A course and its outline (sections and lesson titles, never lesson bodies); for a
    signed-in learner also their enrolment and progress."""
    page = await learning_service.course_page(session, id_or_slug, user)
    return presenters.course_detail(page)
