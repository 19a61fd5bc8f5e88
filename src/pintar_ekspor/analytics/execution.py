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

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pintar_ekspor.analytics import tasks
from pintar_ekspor.analytics.runner import AnalyticsRunner

MAX_CHUNK = 25
JOB_SECONDS_PER_MB = 4.0
JOB_SECONDS_PER_FORECAST = 1.0

Progress = Callable[[int, int], Awaitable[None]]


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


def chunks(items: list[Any], workers: int) -> list[list[Any]]:
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
    kind: str,
    params: dict[str, Any],
    limits: dict[str, int],
    time_limits: Limits,
    progress: Progress | None = None,
    shared_deadline: bool = True,
) -> dict[str, Any]:
    """Analyse an upload (bytes or a stored file path); the outcome dict of ``run_job``."""
    start = time.perf_counter()
    outcome: dict[str, Any] = await runner.run(
        tasks.run_job,
        source,
        filename,
        content_type,
        kind,
        params,
        limits,
        True,
        time_limit=time_limits.analysis_seconds,
    )
    if not outcome["ok"]:
        return outcome
    pending = outcome.pop("forecasts", [])
    nonce = outcome.pop("nonce", "")
    if not pending:
        return outcome
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
    outcome["result"] = tasks.splice_forecasts(outcome["result"], nonce, done)
    if outcome.get("charts"):
        outcome["charts"] = tasks.splice_forecasts(outcome["charts"], nonce, done)
    timings = outcome["timings"]
    timings["forecast_seconds"] = round(time.perf_counter() - begun, 4)
    timings["forecast_series"] = len(pending)
    timings["total_seconds"] = round(time.perf_counter() - start, 4)
    return outcome
