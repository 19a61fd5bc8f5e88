"""HTTP routes of the learning reports, under /api/v1/analytics/ (the seed's paths).

The analytics router owns other /analytics/... paths (datasets, analyses); none of them has
a path parameter directly under /analytics, so the two routers cannot shadow each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import PageParams, Pagination
from pintar_ekspor.reports import export, flow, platform, service
from pintar_ekspor.reports.dependencies import AdminViewer, Context, ReportContext, Viewer
from pintar_ekspor.reports.params import ReportParams
from pintar_ekspor.reports.privacy import MIN_GROUP, Audience
from pintar_ekspor.reports.schemas import (
    CompletionRatesReport,
    CourseEngagementReport,
    CourseProgressReport,
    LearnerProgressReport,
    PlatformReport,
    UserProgressReport,
)

router = APIRouter(prefix="/analytics", tags=["reports"])

Format = Annotated[
    Literal["json", "csv"], Query(description="json (default) or csv (every row, all sections)")
]
_ERRORS = problem_responses(401, 403, 404, 422)
_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
Compute = Callable[[AsyncSession, ReportParams, Audience], Awaitable[dict[str, Any]]]


async def _report(
    name: str,
    model: type[BaseModel],
    compute: Compute,
    ctx: ReportContext,
    audience: Audience,
    page: PageParams | None,
    fmt: str,
    key_extra: str = "",
) -> Response:
    """Compute (or take from the cache) the whole report, then page it or export it."""
    params = ctx.params

    async def build() -> dict[str, Any]:
        await service.ensure_course(ctx.session, params.course_id)
        body = await compute(ctx.session, params, audience)
        meta = {
            "report": name,
            "privacy": audience,
            "min_group_size": MIN_GROUP,
            "date_from": params.date_from,
            "date_to": params.date_to,
            "granularity": params.granularity,
            "course_id": params.course_id,
            "generated_at": ctx.clock.now(),
        }
        listing = {"total": len(body.get("items", [])), "limit": 0, "offset": 0}
        return model.model_validate({**meta, **listing, **body}).model_dump(mode="json")

    key = f"{name}:{audience.value}:{params.cache_key()}:{key_extra}"
    body = await ctx.cache.get_or_compute(key, build)
    if fmt == "csv":
        filename = f"{name}-{params.date_from}-{params.date_to}.csv"
        return Response(
            export.to_csv(body),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    if page is not None:
        items = body["items"]
        body = {**body, "items": items[page.offset : page.offset + page.limit]}
        body.update(total=len(items), limit=page.limit, offset=page.offset)
    return JSONResponse(body)


def _aggregate_report(
    path: str,
    name: str,
    operation_id: str,
    model: type[BaseModel],
    compute: Compute,
    doc: str,
    *,
    admins_only: bool = False,
) -> None:
    """Mount GET `/analytics/<path>`: a whole-scope report with paged `items` and CSV export.

    `name` and `doc` become the OpenAPI summary and description, as a hand-written endpoint's
    function name and docstring would."""
    report = path.strip("/")
    if admins_only:

        async def endpoint(
            ctx: Context, audience: AdminViewer, page: Pagination, format: Format = "json"
        ) -> Response:
            return await _report(report, model, compute, ctx, audience, page, format)

    else:

        async def endpoint(  # one of two signatures: the audience rule differs
            ctx: Context, audience: Viewer, page: Pagination, format: Format = "json"
        ) -> Response:
            return await _report(report, model, compute, ctx, audience, page, format)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = doc
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        operation_id=operation_id,
        response_model=model,
        responses={**_ERRORS, **_CSV},
    )


_aggregate_report(
    "/course-progress",
    "course_progress",
    "reportCourseProgress",
    CourseProgressReport,
    service.course_progress,
    """Per course: enrolled, active (7/30 days), completed, completion rate, median days to
    complete, average progress and each quiz's pass rate (the cohort enrolled in the range),
    plus learning activity over time.""",
)
_aggregate_report(
    "/user-progress",
    "user_progress",
    "reportUserProgress",
    UserProgressReport,
    service.user_progress,
    """The distribution of learner progress (enrolments per progress bucket), per course and
    overall, plus activity over time.""",
)


@router.get(
    "/user-progress/{user_id}",
    operation_id="reportLearnerProgress",
    response_model=LearnerProgressReport,
    responses={**_ERRORS, **_CSV},
)
async def learner_progress(
    user_id: uuid.UUID,
    ctx: Context,
    audience: AdminViewer,
    format: Format = "json",
) -> Response:
    """One learner's enrolments, progress, quiz results and activity (admins signed in only;
    never available to API keys)."""
    return await _report(
        "learner-progress",
        LearnerProgressReport,
        lambda session, params, _: service.learner_progress(session, params, user_id),
        ctx,
        audience,
        None,
        format,
        key_extra=str(user_id),
    )


_aggregate_report(
    "/course-engagement",
    "course_engagement",
    "reportCourseEngagement",
    CourseEngagementReport,
    flow.course_engagement,
    """Lessons viewed and completed and active learners over time, views per lesson, and the
    median time between one completed lesson and the next.""",
)
_aggregate_report(
    "/completion-rates",
    "completion_rates",
    "reportCompletionRates",
    CompletionRatesReport,
    flow.completion_rates,
    """Completion rate per course and per enrolment-month cohort, and the drop-off funnel:
    for each lesson in order, how many learners reached it and how many stopped there.""",
)
_aggregate_report(
    "/platform",
    "platform_report",
    "reportPlatform",
    PlatformReport,
    lambda session, params, _: platform.platform(session, params),
    """Admins: users by role, new and active users, enrolments, completions, API calls and
    their error rate over time, and API calls per key (`items`).""",
    admins_only=True,
)
