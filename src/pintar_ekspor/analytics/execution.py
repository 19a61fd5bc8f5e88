"""Runs one analysis across the worker pool: analysis in one worker, forecasts in all.

The first task parses and analyses the upload and leaves a marker where each forecast
goes; the series to forecast are then split into chunks that run in parallel on every
worker of the pool (progress moves as each chunk finishes), and the forecasts are spliced
into the result text. The web process only relays bytes and text: it never parses the
result or imports the numeric stack.

Time limits: a request has the fixed ``ANALYTICS_TIMEOUT_SECONDS`` for everything; a
background job's limits scale with its size (see :func:`job_limits`).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pintar_ekspor.analytics import tasks
from pintar_ekspor.analytics.contracts import Analysed, AnalysisJob, Kind, Outcome, Refused
from pintar_ekspor.analytics.engine.options import AnalysisOptions, UploadLimits
from pintar_ekspor.analytics.runner import AnalyticsRunner

MAX_CHUNK = 25
JOB_SECONDS_PER_MB = 4.0
JOB_SECONDS_PER_FORECAST = 1.0

Progress = Callable[[int, int], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    analysis_seconds: float
    forecast_seconds: Callable[[int], float]  # number of series -> seconds


def request_limits(timeout: float) -> Limits:
    """One deadline for the whole request (the forecasts get what the analysis left)."""
    return Limits(timeout, lambda _n: timeout)


def job_limits(timeout: float, size_bytes: int, workers: int) -> Limits:
    """A background job: the base limit plus 4 s per MB of upload for the analysis, and
    plus 1 CPU second per forecast series shared by the workers for the forecasts (about
    ten times the measured cost, so a busy machine still finishes)."""
    return Limits(
        timeout + JOB_SECONDS_PER_MB * size_bytes / 1_000_000,
        lambda n: timeout + JOB_SECONDS_PER_FORECAST * n / max(1, workers),
    )


def chunks(items: list[T], workers: int) -> list[list[T]]:
    """About four chunks per worker (so progress moves), at most 25 series each."""
    if not items:
        return []
    size = max(1, min(MAX_CHUNK, math.ceil(len(items) / (4 * max(1, workers)))))
    return [items[k : k + size] for k in range(0, len(items), size)]


async def analyse(
    runner: AnalyticsRunner,
    source: bytes | str,
    *,
    filename: str | None,
    content_type: str | None,
    kind: Kind,
    options: AnalysisOptions,
    limits: UploadLimits,
    time_limits: Limits,
    progress: Progress | None = None,
    shared_deadline: bool = True,
) -> Outcome:
    """Analyse an upload (bytes or a stored file path): :class:`Analysed` with the
    forecasts in place, or :class:`Refused`."""
    start = time.perf_counter()
    job = AnalysisJob(
        source=source,
        filename=filename,
        content_type=content_type,
        kind=kind,
        options=options,
        limits=limits,
        defer_forecasts=True,
    )
    outcome = await runner.run(tasks.run_job, job, time_limit=time_limits.analysis_seconds)
    if isinstance(outcome, Refused):
        return outcome
    pending = outcome.forecasts
    done_outcome = dataclasses.replace(outcome, forecasts=[], nonce="")
    if not pending:
        return done_outcome
    if progress is not None:
        await progress(0, len(pending))
    limit = time_limits.forecast_seconds(len(pending))
    if shared_deadline:
        limit = max(0.001, limit - (time.perf_counter() - start))
    begun = time.perf_counter()
    parts = chunks(pending, runner.workers)
    sizes = [len(p) for p in parts]
    forecasted = 0

    async def chunk_done(done: int, _total: int) -> None:
        nonlocal forecasted
        forecasted = sum(sizes[:done])
        if progress is not None:
            await progress(forecasted, len(pending))

    results = await runner.map(
        tasks.forecast_chunk, parts, time_limit=limit, on_done=chunk_done if progress else None
    )
    done = {index: (entry, points) for part in results for index, entry, points in part}
    return Analysed(
        result=tasks.splice_forecasts(outcome.result, outcome.nonce, done),
        charts=(
            tasks.splice_forecasts(outcome.charts, outcome.nonce, done)
            if outcome.charts
            else outcome.charts
        ),
        rows=outcome.rows,
        categories=outcome.categories,
        timings={
            "parse_seconds": outcome.timings["parse_seconds"],
            "analysis_seconds": outcome.timings["analysis_seconds"],
            "total_seconds": round(time.perf_counter() - start, 4),
            "forecast_seconds": round(time.perf_counter() - begun, 4),
            "forecast_series": len(pending),
        },
    )
