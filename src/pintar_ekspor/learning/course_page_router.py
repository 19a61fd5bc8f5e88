"""A course's page: its outline for everybody, plus the learner's enrolment and progress.

`GET /courses/{id_or_slug}` keeps its place in the `courses` tag and the catalogue's path
space, but it is learner-aware, so it lives in learning (above courses on the layer ladder);
`api.py` mounts it right after the catalogue router so routes match in the same order.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from pintar_ekspor.accounts.dependencies import OptionalPersonOrProgram
from pintar_ekspor.core.content_cache import content_cache
from pintar_ekspor.core.deps import DbSession, read_only
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.courses import service as course_service
from pintar_ekspor.learning import presenters
from pintar_ekspor.learning import service as learning_service
from pintar_ekspor.learning.schemas import CourseDetail

router = APIRouter(tags=["courses"])


@router.get(
    "/courses/{id_or_slug}",
    operation_id="getCourse",
    response_model=CourseDetail,
    responses={304: {"description": "Not modified (If-None-Match)"}, **problem_responses(401, 404)},
)
@read_only
async def get_course(
    request: Request,
    session: DbSession,
    user: OptionalPersonOrProgram,
    id_or_slug: Annotated[str, Path(max_length=200, description="Course id or slug")],
) -> CourseDetail | Response:
    """A course and its outline (sections and lesson titles, never lesson bodies); for a
    signed-in learner also their enrolment and progress. Anonymous answers are cached (and
    dropped on any course change) with an `ETag`: `If-None-Match` gets a 304."""
    if user is not None:
        page = await learning_service.course_page(session, id_or_slug, user)
        return presenters.course_detail(page)

    async def build() -> bytes:
        anonymous = await learning_service.course_page(session, id_or_slug, None)
        return presenters.course_detail(anonymous).model_dump_json().encode()

    ref = course_service.parse_course_ref(id_or_slug)
    return await content_cache(request).respond(request, f"course:{ref}", build)
