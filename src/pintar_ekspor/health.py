"""Liveness (`/health`) and readiness (`/health/ready`) endpoints, outside /api/v1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from pintar_ekspor import __version__

router = APIRouter(tags=["health"])


class Uptime(BaseModel):
    seconds: float
    human: str


class HealthRead(BaseModel):
    status: Literal["UP"]
    timestamp: datetime
    uptime: Uptime
    service: str
    version: str


class CheckResult(BaseModel):
    status: Literal["UP", "DOWN"]
    detail: str | None = None


class ReadinessRead(BaseModel):
    status: Literal["UP", "DOWN"]
    checks: dict[str, CheckResult]


def humanize_seconds(seconds: float) -> str:
    """`93784.2` → `1d 2h 3m 4s`."""
    remaining = int(seconds)
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        value, remaining = divmod(remaining, size)
        if value or parts:
            parts.append(f"{value}{unit}")
    parts.append(f"{remaining}s")
    return " ".join(parts)


@router.get("/health", response_model=HealthRead, operation_id="health")
async def health(request: Request) -> HealthRead:
    """Liveness: the process is up. Never touches the database."""
    uptime = time.monotonic() - request.app.state.started_monotonic
    return HealthRead(
        status="UP",
        timestamp=datetime.now(UTC),
        uptime=Uptime(seconds=round(uptime, 3), human=humanize_seconds(uptime)),
        service=request.app.state.settings.service_name,
        version=__version__,
    )


@router.get(
    "/health/ready",
    response_model=ReadinessRead,
    operation_id="healthReady",
    responses={503: {"model": ReadinessRead, "description": "A dependency is down"}},
)
async def ready(request: Request) -> JSONResponse:
    """Readiness: the database (and Redis, when configured) answer."""
    checks: dict[str, CheckResult] = {}
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = CheckResult(status="UP")
    except Exception as exc:
        checks["database"] = CheckResult(status="DOWN", detail=type(exc).__name__)
    redis_client = getattr(request.app.state, "redis", None)
    if redis_client is not None:
        try:
            await redis_client.ping()
            checks["redis"] = CheckResult(status="UP")
        except Exception as exc:
            checks["redis"] = CheckResult(status="DOWN", detail=type(exc).__name__)
    ok = all(c.status == "UP" for c in checks.values())
    body = ReadinessRead(status="UP" if ok else "DOWN", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
