"""Background analysis jobs: large uploads are queued and worked by every app process."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import structlog
from fastapi import FastAPI

from pintar_ekspor.analytics import execution, service
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.core.db import session_scope
from pintar_ekspor.core.errors import DomainError

log = structlog.get_logger("pintar_ekspor.analytics.jobs")
POLL_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 1.0
LEASE_SECONDS = 120  # renewed with every progress report; a dead app's job is reclaimed


async def run_one_job(app: FastAPI) -> bool:
    """Claim and run one queued analysis; returns False when there was nothing to do."""
    settings = app.state.settings
    runner: AnalyticsRunner = app.state.analytics_runner
    factory = app.state.session_factory
    lease = int(settings.analytics_timeout_seconds) + LEASE_SECONDS
    async with session_scope(factory) as session:
        job_id = await service.claim_next_job(session, lease_seconds=lease)
    if job_id is None:
        return False
    loaded: tuple[Any, bytes] | None = None
    async with session_scope(factory) as session:
        loaded = await service.load_payload(session, job_id)
    if loaded is None:
        return True
    analysis, data = loaded
    try:
        outcome = await execution.analyse(
            runner,
            data,
            filename=None,
            content_type=None,
            kind=analysis.kind.value,
            params=analysis.params,
            limits=service.limits_of(settings),
            time_limits=execution.job_limits(
                settings.analytics_timeout_seconds, len(data), runner.workers
            ),
            progress=_progress_reporter(app, job_id),
            shared_deadline=False,
        )
    except DomainError as exc:
        outcome = {
            "ok": False,
            "error": {"code": exc.code, "message": exc.detail, "status": exc.status_code},
        }
    async with session_scope(factory) as session:
        await service.finish_job(session, job_id, outcome)
    app.state.metrics.analyses.labels("job", "ok" if outcome["ok"] else "failed").inc()
    log.info("analysis_job_finished", analysis_id=str(job_id), ok=outcome["ok"])
    return True


def _progress_reporter(app: FastAPI, job_id: uuid.UUID) -> execution.Progress:
    """Progress 20-95 % as forecasts finish, written at most once a second (one short
    transaction each, so the request path never waits on a long-held lock)."""
    factory = app.state.session_factory
    last = 0.0

    async def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < PROGRESS_EVERY_SECONDS:
            return
        last = now
        progress = 20 + int(75 * done / max(total, 1))
        async with session_scope(factory) as session:
            await service.report_progress(session, job_id, progress, lease_seconds=LEASE_SECONDS)

    return report


async def _loop(app: FastAPI) -> None:
    while True:
        try:
            worked = await run_one_job(app)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("analysis_job_loop_error")
            worked = False
        if not worked:
            await asyncio.sleep(POLL_SECONDS)


@contextlib.asynccontextmanager
async def analytics_lifecycle(app: FastAPI) -> AsyncIterator[None]:
    """Start the job loop with the app; stop it and the process pool on shutdown."""
    task = asyncio.create_task(_loop(app), name="analytics-jobs")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.to_thread(app.state.analytics_runner.shutdown)
