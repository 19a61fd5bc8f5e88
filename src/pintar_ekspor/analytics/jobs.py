"""Background analysis jobs: large uploads are queued and worked by every app process.

The queue is the platform's job mechanism (:mod:`pintar_ekspor.jobs`) over the `analyses`
table (`service.ANALYSIS_JOBS`): a claim with a lease renewed while the job runs, attempts,
and an outcome recorded only by the process that still holds the claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI

from pintar_ekspor.analytics import execution, service
from pintar_ekspor.analytics.contracts import Outcome, Refused
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.db import session_scope
from pintar_ekspor.core.errors import DomainError
from pintar_ekspor.jobs import Claim, JobQueue, keep_leased, poll

log = structlog.get_logger("pintar_ekspor.analytics.jobs")
POLL_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 1.0


def _queue(app: FastAPI) -> JobQueue:
    clock: Clock = getattr(app.state, "clock", None) or Clock()
    return service.job_queue(clock)


async def run_one_job(app: FastAPI) -> bool:
    """Claim and run one queued analysis; returns False when there was nothing to do."""
    factory = app.state.session_factory
    queue = _queue(app)
    async with session_scope(factory) as session:
        claim = await service.claim_next_job(session, queue)
    if claim is None:
        return False
    log.info("analysis_job_claimed", analysis_id=str(claim.id))
    try:
        await _work_on(app, queue, claim)
    except asyncio.CancelledError:
        # Shutting down (SIGTERM): hand the job back so another process runs it now,
        # instead of waiting for the lease to run out.
        async with session_scope(factory) as session:
            released = await service.release_job(session, queue, claim)
        log.info("analysis_job_released", analysis_id=str(claim.id), released=released)
        raise
    return True


async def _work_on(app: FastAPI, queue: JobQueue, claim: Claim) -> None:
    settings = app.state.settings
    runner: AnalyticsRunner = app.state.analytics_runner
    factory = app.state.session_factory
    async with session_scope(factory) as session:
        loaded = await service.load_job(session, claim.id)
    if loaded is None:
        return
    analysis, data = loaded
    outcome: Outcome
    async with keep_leased(
        queue,
        factory,
        claim,
        every=service.HEARTBEAT_SECONDS,
        logger=log,
        event_prefix="analysis",
    ):
        try:
            outcome = await execution.analyse(
                runner,
                data,
                filename=None,
                content_type=None,
                kind=analysis.kind.value,
                options=service.options_of(analysis),
                limits=service.limits_of(settings),
                time_limits=execution.job_limits(
                    settings.analytics_timeout_seconds, len(data), runner.workers
                ),
                progress=_progress_reporter(app, claim.id),
                shared_deadline=False,
            )
        except DomainError as exc:
            outcome = Refused({"code": exc.code, "message": exc.detail, "status": exc.status_code})
    async with session_scope(factory) as session:
        owned = await service.finish_job(session, queue, claim, outcome)
    if not owned:
        log.warning("analysis_job_lost", analysis_id=str(claim.id))
        return
    app.state.metrics.analyses.labels("job", "ok" if outcome.ok else "failed").inc()
    log.info("analysis_job_finished", analysis_id=str(claim.id), ok=outcome.ok)


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


@contextlib.asynccontextmanager
async def analytics_lifecycle(app: FastAPI) -> AsyncIterator[None]:
    """Start the job loop with the app; on shutdown release the running job (another
    process picks it up at once) and stop the process pool without waiting for it."""

    async def step() -> bool:
        return await run_one_job(app)

    task = asyncio.create_task(
        poll(step, idle_seconds=POLL_SECONDS, logger=log, error_event="analysis_job_loop_error"),
        name="analytics-jobs",
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.state.analytics_runner.terminate()
