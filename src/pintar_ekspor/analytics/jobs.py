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
# A claimed job is leased for LEASE_SECONDS and the lease is renewed every HEARTBEAT_SECONDS
# while it runs: a job whose app process died (even by SIGKILL) is claimed again by any app
# process within a minute, and failed with a reason after MAX_JOB_ATTEMPTS.
LEASE_SECONDS = 60
HEARTBEAT_SECONDS = 15.0


async def run_one_job(app: FastAPI) -> bool:
    """Claim and run one queued analysis; returns False when there was nothing to do."""
    factory = app.state.session_factory
    async with session_scope(factory) as session:
        job_id = await service.claim_next_job(session, lease_seconds=LEASE_SECONDS)
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
    heartbeat = asyncio.create_task(_heartbeat(app, job_id), name=f"lease-{job_id}")
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
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
    async with session_scope(factory) as session:
        await service.finish_job(session, job_id, outcome)
    app.state.metrics.analyses.labels("job", "ok" if outcome["ok"] else "failed").inc()
    log.info("analysis_job_finished", analysis_id=str(job_id), ok=outcome["ok"])
    return True


async def _heartbeat(app: FastAPI, job_id: uuid.UUID) -> None:
    """Renew the job's lease while it runs (one short transaction each time)."""
    factory = app.state.session_factory
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        try:
            async with session_scope(factory) as session:
                await service.renew_lease(session, job_id, lease_seconds=LEASE_SECONDS)
        except Exception:  # a missed beat is retried; the lease has room for three
            log.warning("analysis_lease_renewal_failed", analysis_id=str(job_id))


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
            await service.report_progress(session, job_id, progress)

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
