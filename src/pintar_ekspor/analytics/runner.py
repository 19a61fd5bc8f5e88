"""Runs CPU-heavy analyses in a process pool, off the event loop, with a time limit."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import structlog

from pintar_ekspor.core.errors import DomainError, ServiceUnavailableError

log = structlog.get_logger("pintar_ekspor.analytics")
T = TypeVar("T")


class AnalysisTimeoutError(DomainError):
    status_code = 504
    code = "analysis_timeout"


class AnalyticsRunner:
    """A lazily started process pool; a run past its time limit recycles the pool.

    Processes come from a forkserver that preloads pandas and statsmodels once, so a new
    worker is cheap and never inherits the event loop's threads.
    """

    def __init__(self, *, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(workers)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["pintar_ekspor.analytics.tasks"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in a worker process; 504 problem when it exceeds the limit."""
        limit = self.timeout
        async with self._slots:
            pool = self._ensure_pool()
            # Submitting may start the forkserver and a worker, which waits for the preload
            # of pandas/statsmodels (seconds): never on the event loop thread.
            future = asyncio.wrap_future(await asyncio.to_thread(pool.submit, fn, *args))
            try:
                return await asyncio.wait_for(future, timeout=limit)
            except TimeoutError as exc:
                log.warning("analysis_timeout", seconds=limit)
                self._recycle()
                raise AnalysisTimeoutError(
                    f"The analysis did not finish within {limit:g} seconds; "
                    "send a smaller file or fewer categories, or ask without a forecast."
                ) from exc
            except BrokenProcessPool as exc:
                self._recycle()
                raise ServiceUnavailableError(
                    "The analysis worker stopped unexpectedly; please retry.",
                    code="analysis_worker_crashed",
                ) from exc

    def _recycle(self) -> None:
        """Kill the pool's processes (a timed-out analysis must not keep burning CPU)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive() and process.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGKILL)

    def terminate(self) -> None:
        """Stop at once, killing an analysis still running (its job has been released)."""
        self._recycle()

    def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
