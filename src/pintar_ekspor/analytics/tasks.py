"""Functions that run inside the analytics worker processes.

They take and return the typed values of :mod:`pintar_ekspor.analytics.contracts` (frozen
dataclasses of bytes, str, numbers and lists): engine exceptions become a :class:`Refused`
here, because custom exceptions do not always survive the trip between processes. Nothing
here imports the numeric stack at module level, so the web process can
name these functions (to send them to the pool) without loading numpy, pandas, scipy,
statsmodels or matplotlib; the forkserver preloads them for the workers (``PRELOAD``).

Forecasts are deferred: :func:`run_job` analyses an upload without forecasting and returns
the result JSON with a marker where each category's forecast goes, plus the series to
forecast; the parent spreads :func:`forecast_chunk` calls for those series over the pool
and :func:`splice_forecasts` puts the forecasts in place of the markers.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pintar_ekspor.analytics.contracts import (
    Analysed,
    AnalysisJob,
    AnalysisProblem,
    Outcome,
    PendingForecast,
    Refused,
    Rendered,
)

PRELOAD = [
    "pintar_ekspor.analytics.worker_boot",
    "pintar_ekspor.analytics.engine.pipeline",
    "pintar_ekspor.analytics.engine.charts",
    "pintar_ekspor.analytics.engine.export",
    "pintar_ekspor.analytics.tasks",
]
_JSON = {"separators": (",", ":"), "allow_nan": False}


def _read(source: bytes | str) -> bytes:
    """An upload given as bytes or as the path of the stored upload file."""
    return Path(source).read_bytes() if isinstance(source, str) else source


def run_job(job: AnalysisJob) -> Outcome:
    """Parse and analyse an upload: :class:`Analysed` or, for a refused upload,
    :class:`Refused`.

    With ``job.defer_forecasts`` the forecasts are not computed here: the result holds
    markers and ``forecasts`` lists the series to forecast (see :func:`forecast_chunk`).
    """
    from pintar_ekspor.analytics import engine

    t0 = time.perf_counter()
    charts: list[Any] | None = None
    pending: list[PendingForecast] = []
    nonce = secrets.token_hex(8)
    quick = job.kind == "quick"
    try:
        dataset = engine.parse_upload(
            _read(job.source),
            filename=job.filename,
            content_type=job.content_type,
            options=job.options.ingest_options(job.limits),
        )
        t1 = time.perf_counter()
        analysis_params = job.options.analysis_params(quick=quick)
        result: Mapping[str, Any]
        if quick:
            result = engine.quick_analysis(dataset, analysis_params)
        else:
            forecaster = _deferring_forecaster(pending, nonce) if job.defer_forecasts else None
            full = engine.run_analysis(dataset, analysis_params, forecaster)
            charts = full["charts"]["categories"]
            full["charts"]["categories"] = []
            result = full
        t2 = time.perf_counter()
    except engine.AnalyticsInputError as exc:
        return Refused(problem(exc.to_dict()))
    return Analysed(
        # JSON text: cheaper to send between processes than a deep dict, and stored as is.
        result=json.dumps(result, **_JSON),  # type: ignore[arg-type]
        # Chart series apart: stored for the chart endpoints, answered only when asked for.
        charts=None if charts is None else json.dumps(charts, **_JSON),  # type: ignore[arg-type]
        rows=dataset.report.observations_used,
        categories=list(dataset.categories),
        forecasts=pending,
        nonce=nonce,
        timings={
            "parse_seconds": round(t1 - t0, 4),
            "analysis_seconds": round(t2 - t1, 4),
            "total_seconds": round(t2 - t0, 4),
        },
    )


def problem(error: dict[str, Any]) -> AnalysisProblem:
    """An engine error (``AnalyticsInputError.to_dict()``) as a typed problem."""
    typed = AnalysisProblem(
        code=str(error["code"]), message=str(error["message"]), status=int(error["status"])
    )
    if "details" in error:
        typed["details"] = dict(error["details"] or {})
    return typed


def check_upload(job: AnalysisJob) -> AnalysisProblem | None:
    """Run before a large upload is queued: the engine's problem with it, if any.

    The whole file must decode, the header must have the required columns and the first
    rows must read; so a refused upload answers 4xx at once and nothing is stored.
    """
    from pintar_ekspor.analytics import engine

    try:
        engine.check_upload(
            _read(job.source),
            filename=job.filename,
            content_type=job.content_type,
            options=job.options.ingest_options(job.limits),
        )
    except engine.AnalyticsInputError as exc:
        return problem(exc.to_dict())
    return None


def _deferring_forecaster(pending: list[PendingForecast], nonce: str) -> Any:
    from pintar_ekspor.analytics.engine.pipeline import future_stamps

    def defer(series: Any, horizon: int, period: int | None, params: Any) -> dict[str, Any]:
        index = len(pending)
        pending.append(
            PendingForecast(
                index=index,
                category=series.category,
                values=series.value.astype("float64").tobytes(),
                horizon=horizon,
                period=period,
                max_points=params.forecast_max_points,
                stamps=future_stamps(series, horizon),
            )
        )
        return {"category": series.category, "points": f"\x00{nonce}:{index}"}

    return defer


def forecast_chunk(items: list[PendingForecast]) -> list[tuple[int, str, str]]:
    """Forecast some series; ``(index, forecast JSON, points JSON)`` for each."""
    from pintar_ekspor.analytics.engine.forecast import forecast_packed
    from pintar_ekspor.analytics.engine.pipeline import forecast_entry

    out = []
    for item in items:
        result = forecast_packed(
            item.values,
            horizon=item.horizon,
            period=item.period,
            max_points=item.max_points,
        )
        entry = forecast_entry(item.category, result, item.stamps)
        out.append(
            (
                item.index,
                json.dumps(entry, **_JSON),  # type: ignore[arg-type]
                json.dumps(entry["points"], **_JSON),  # type: ignore[arg-type]
            )
        )
    return out


def splice_forecasts(result: str, nonce: str, done: dict[int, tuple[str, str]]) -> str:
    """Replace the markers left by :func:`run_job` with the forecasts (one pass each)."""
    if not done:
        return result
    marker = re.escape(f"\\u0000{nonce}:")
    entry = re.compile(r'\{"category":"(?:[^"\\]|\\.)*","points":"' + marker + r'(\d+)"\}')
    points = re.compile('"' + marker + r'(\d+)"')
    result = entry.sub(lambda m: done[int(m.group(1))][0], result)
    return points.sub(lambda m: done[int(m.group(1))][1], result)


CHART_SLOT = '"charts":{"categories":[]'


def with_charts(result: str, charts: str | None) -> str:
    """The result text with the stored chart series put back in place."""
    at = result.rfind(CHART_SLOT)
    if charts is None or at < 0:
        return result
    return result[:at] + CHART_SLOT[:-2] + charts + result[at + len(CHART_SLOT) :]


def render_chart(
    result_json: str, name: str, fmt: str, charts_json: str | None = None
) -> Rendered | Refused:
    """Render a named chart of a stored result (and its chart series) as SVG or PNG."""
    from pintar_ekspor.analytics import engine

    result = json.loads(result_json)
    if charts_json is not None:
        result["charts"]["categories"] = json.loads(charts_json)
    try:
        return Rendered(engine.render_chart(result, name, fmt))
    except engine.AnalyticsInputError as exc:
        return Refused(problem(exc.to_dict()))


def export_csv(result_json: str) -> str:
    """A stored result as CSV text (one section per table)."""
    from pintar_ekspor.analytics import engine

    return str(engine.export_csv(json.loads(result_json)))


def worker_started(app_pid: int) -> None:
    """Pool initializer: die with the app, even when it is killed with SIGKILL.

    On Linux ``PR_SET_PDEATHSIG`` asks the kernel for SIGKILL when the parent (the
    forkserver, which itself exits when the app dies) goes away; everywhere, a daemon thread
    also checks every half second that the app process still exists.
    """
    import os
    import threading

    from pintar_ekspor.analytics.worker_boot import die_with_parent

    die_with_parent()

    def watch() -> None:
        while True:
            try:
                os.kill(app_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            time.sleep(0.5)

    threading.Thread(target=watch, name="watch-app", daemon=True).start()
