"""The public catalogue: the course list (no auth needed).

A course's own page (`GET /courses/{id_or_slug}`) shows the signed-in learner's enrolment and
progress, so it lives in `learning/course_page_router.py`, mounted right after this router.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from pintar_ekspor.core.content_cache import content_cache
from pintar_ekspor.core.deps import DbSession, read_only
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.core.responses import json_bytes
from pintar_ekspor.courses import service
from pintar_ekspor.courses.models import CourseLevel
from pintar_ekspor.courses.schemas import CourseSummary, Language, Tag

router = APIRouter(tags=["courses"])


@router.get(
    "/courses",
    operation_id="listCourses",
    response_model=Page[CourseSummary],
    responses={304: {"description": "Not modified (If-None-Match)"}, **problem_responses(401, 422)},
)
@read_only
async def list_courses(
    request: Request,
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
) -> Response:
    """The catalogue of published courses: search, filter, sort, with the total count.
    Cached (dropped on any course change) with an `ETag`: `If-None-Match` gets a 304."""
    filters = service.CourseFilter(q=q, level=level, tag=tag, language=language, sort=sort)
    key = "catalogue:" + "|".join(
        str(part) for part in (q, level, tag, language, sort, page.limit, page.offset)
    )

    async def build() -> bytes:
        return json_bytes(await service.catalogue_page(session, filters, page))

    return await content_cache(request).respond(request, key, build)
