"""Who may read reports, in which view, and with which parameters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.dependencies import Principal, require_person_or_program
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession
from pintar_ekspor.core.errors import PermissionDeniedError
from pintar_ekspor.reports.cache import ReportCache
from pintar_ekspor.reports.params import Granularity, ReportParams
from pintar_ekspor.reports.privacy import Audience


async def get_audience(
    principal: Annotated[Principal, Depends(require_person_or_program)],
) -> Audience:
    """Admins signed in see everything; developers and every API key see aggregates only."""
    role = principal.user.role
    if role == Role.ADMIN and not principal.via_api_key:
        return Audience.FULL
    if role in (Role.DEVELOPER, Role.ADMIN):
        return Audience.AGGREGATE
    raise PermissionDeniedError(
        "Learning reports need a developer or admin account.", code="reports_forbidden"
    )


async def require_full_view(audience: Annotated[Audience, Depends(get_audience)]) -> Audience:
    """Figures about individual people and the platform: admins signed in with a session."""
    if audience != Audience.FULL:
        raise PermissionDeniedError(
            "This report is for admins signed in to the web app; API keys and developer "
            "accounts get aggregate reports only.",
            code="admin_session_required",
        )
    return audience


def get_report_params(
    clock: AppClock,
    date_from: Annotated[
        date | None, Query(alias="from", description="First day (UTC), default 90 days ago")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Last day, default today")
    ] = None,
    granularity: Annotated[Granularity, Query(description="Time bucket of series")] = (
        Granularity.DAY
    ),
    course_id: Annotated[uuid.UUID | None, Query(description="Only this course")] = None,
) -> ReportParams:
    return ReportParams.build(
        today=clock.now().date(),
        date_from=date_from,
        date_to=date_to,
        granularity=granularity,
        course_id=course_id,
    )


def get_report_cache(request: Request, settings: AppSettings) -> ReportCache:
    """The app's report cache, made on first use (Redis-backed when REDIS_URL is set)."""
    cache: ReportCache | None = getattr(request.app.state, "reports_cache", None)
    if cache is None:
        redis = getattr(request.app.state, "redis", None)
        cache = ReportCache(settings.reports_cache_seconds, redis)
        request.app.state.reports_cache = cache
    return cache


Viewer = Annotated[Audience, Depends(get_audience)]
AdminViewer = Annotated[Audience, Depends(require_full_view)]
Params = Annotated[ReportParams, Depends(get_report_params)]
Cache = Annotated[ReportCache, Depends(get_report_cache)]


@dataclass(frozen=True)
class ReportContext:
    """What every report request needs besides the viewer: data, parameters, cache, time."""

    session: AsyncSession
    params: ReportParams
    cache: ReportCache
    clock: Clock


def get_report_context(
    session: DbSession, params: Params, cache: Cache, clock: AppClock
) -> ReportContext:
    return ReportContext(session=session, params=params, cache=cache, clock=clock)


Context = Annotated[ReportContext, Depends(get_report_context)]
