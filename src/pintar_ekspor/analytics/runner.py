"""Runs CPU-heavy analyses in a process pool, off the event loop, with a time limit."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import structlog

from pintar_ekspor.analytics import tasks
from pintar_ekspor.core.errors import DomainError, ServiceUnavailableError

log = structlog.get_logger("pintar_ekspor.analytics")
T = TypeVar("T")


class AnalysisTimeoutError(DomainError):
    status_code = 504
    code = "analysis_timeout"


class AnalyticsRunner:
    """A lazily started process pool; a run past its time limit recycles the pool.

    Processes come from a forkserver that preloads the engine (numpy, pandas, statsmodels,
    matplotlib) once, so a new worker is cheap and never inherits the event loop's threads;
    the web process itself never imports the numeric stack. Workers die with the app, even
    on SIGKILL (see :func:`tasks.worker_started`).
    """

    def __init__(self, *, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(workers)

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(tasks.PRELOAD)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=tasks.worker_started,
                initargs=(os.getpid(),),
            )
        return self._pool

    def worker_pids(self) -> list[int]:
        pool = self._pool
        return [p.pid for p in getattr(pool, "_processes", {}).values() if p.pid]

    async def run(self, fn: Callable[..., T], *args: Any, time_limit: float | None = None) -> T:
        """Run `fn(*args)` in a worker process; 504 problem when it exceeds the limit."""
        limit = self.timeout if time_limit is None else time_limit
        try:
            return await asyncio.wait_for(self._run(fn, *args), timeout=limit)
        except TimeoutError as exc:
            raise self._timed_out(limit) from exc

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        async with self._slots:
            pool = self._ensure_pool()
            try:
                # Submitting may start the forkserver and a worker, which waits for the
                # preload of the numeric stack (seconds): never on the event loop thread.
                future = await asyncio.to_thread(pool.submit, fn, *args)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool as exc:
                self._recycle()
                raise ServiceUnavailableError(
                    "The analysis worker stopped unexpectedly; please retry.",
                    code="analysis_worker_crashed",
                ) from exc

    async def map(
        self,
        fn: Callable[[Any], T],
        items: list[Any],
        *,
        time_limit: float,
        on_done: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> list[T]:
        """Run `fn(item)` for every item across the pool (results in order); one time limit
        for all; `on_done(done, total)` after each item."""
        results: list[T | None] = [None] * len(items)
        done = 0

        async def one(k: int) -> None:
            nonlocal done
            results[k] = await self._run(fn, items[k])
            done += 1
            if on_done is not None:
                await on_done(done, len(items))

        try:
            async with asyncio.timeout(time_limit):
                async with asyncio.TaskGroup() as group:
                    for k in range(len(items)):
                        group.create_task(one(k))
        except TimeoutError as exc:
            raise self._timed_out(time_limit) from exc
        except BaseExceptionGroup as group_error:
            raise group_error.exceptions[0] from None
        return [r for r in results if r is not None]

    def _timed_out(self, limit: float) -> AnalysisTimeoutError:
        log.warning("analysis_timeout", seconds=limit)
        self._recycle()
        return AnalysisTimeoutError(
            f"The analysis did not finish within {limit:g} seconds; "
            "send a smaller file or fewer categories, or ask without a forecast."
        )

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
