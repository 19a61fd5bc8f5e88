"""Background analysis jobs: large uploads are queued and worked by every app process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import structlog
from fastapi import FastAPI

from pintar_ekspor.analytics import service, tasks
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.core.db import session_scope
from pintar_ekspor.core.errors import DomainError

log = structlog.get_logger("pintar_ekspor.analytics.jobs")
POLL_SECONDS = 1.0


async def run_one_job(app: FastAPI) -> bool:
    """Claim and run one queued analysis; returns False when there was nothing to do."""
    settings = app.state.settings
    factory = app.state.session_factory
    lease = int(settings.analytics_timeout_seconds) + 60
    async with session_scope(factory) as session:
        job_id = await service.claim_next_job(session, lease_seconds=lease)
    if job_id is None:
        return False
    log.info("analysis_job_claimed", analysis_id=str(job_id))
    try:
        return await _work_on(app, job_id)
    except asyncio.CancelledError:
        # Shutting down (SIGTERM): hand the job back so another process runs it now,
        # instead of waiting for the lease to run out.
        async with session_scope(factory) as session:
            released = await service.release_job(session, job_id)
        log.info("analysis_job_released", analysis_id=str(job_id), released=released)
        raise


async def _work_on(app: FastAPI, job_id: Any) -> bool:
    settings = app.state.settings
    runner: AnalyticsRunner = app.state.analytics_runner
    factory = app.state.session_factory
    loaded: tuple[Any, bytes] | None = None
    async with session_scope(factory) as session:
        loaded = await service.load_payload(session, job_id)
    if loaded is None:
        return True
    analysis, data = loaded
    dataset_meta = analysis.params
    try:
        outcome = await runner.run(
            tasks.run_job,
            data,
            None,
            None,
            analysis.kind.value,
            dataset_meta,
            service.limits_of(settings),
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
    """Start the job loop with the app; on shutdown release the running job (another
    process picks it up at once) and stop the process pool without waiting for it."""
    task = asyncio.create_task(_loop(app), name="analytics-jobs")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.analytics_runner.terminate()
