"""The two loops every job worker needs: poll for work, and keep a running job's lease."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.db import session_scope
from pintar_ekspor.jobs.queue import Claim, JobQueue

log = structlog.get_logger("pintar_ekspor.jobs")


async def poll(
    step: Callable[[], Awaitable[bool]],
    *,
    idle_seconds: float,
    stop: asyncio.Event | None = None,
    logger: Any = log,
    error_event: str = "job_loop_error",
) -> None:
    """Run `step` until `stop` is set (or the task is cancelled): again at once while it
    says there is more work, after `idle_seconds` otherwise. An error is logged and the
    loop goes on (a database or backend outage never ends it)."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            busy = await step()
        except Exception:
            logger.exception(error_event)
            busy = False
        if busy:
            continue
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=idle_seconds)


@asynccontextmanager
async def keep_leased(
    queue: JobQueue,
    factory: async_sessionmaker[AsyncSession],
    claim: Claim,
    *,
    every: float,
    logger: Any = log,
    event_prefix: str = "job",
) -> AsyncIterator[None]:
    """Renew `claim`'s lease every `every` seconds (one short transaction each) while the
    block runs. A missed renewal is retried at the next beat: choose `every` well below the
    lease so a few can be missed. A lost claim (the lease ran out and another worker took
    the job) stops the beats; the job's outcome will then be refused as ``lost``."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                async with session_scope(factory) as session:
                    held = await queue.extend(session, claim)
            except Exception:
                logger.warning(f"{event_prefix}_lease_renewal_failed", job_id=str(claim.id))
                continue
            if not held:
                logger.warning(f"{event_prefix}_claim_lost", job_id=str(claim.id))
                return

    task = asyncio.create_task(beat(), name=f"lease-{claim.id}")
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
