"""Functions that run inside the analytics worker processes.

They take and return plain picklable values (bytes, str, dicts, lists): engine exceptions
become error dicts here, because custom exceptions do not always survive the trip between
processes. Nothing here imports the numeric stack at module level, so the web process can
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
from pathlib import Path
from typing import Any

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


def run_job(
    source: bytes | str,
    filename: str | None,
    content_type: str | None,
    kind: str,
    params: dict[str, Any],
    limits: dict[str, int],
    defer_forecasts: bool = False,
) -> dict[str, Any]:
    """Parse and analyse an upload; returns `{ok, result, timings, rows, categories}`.

    With ``defer_forecasts`` the forecasts are not computed here: the result holds markers
    and ``forecasts`` lists the series to forecast (see :func:`forecast_chunk`).
    """
    from pintar_ekspor.analytics import engine

    t0 = time.perf_counter()
    charts: list[Any] | None = None
    pending: list[dict[str, Any]] = []
    nonce = secrets.token_hex(8)
    try:
        dataset = engine.parse_upload(
            _read(source),
            filename=filename,
            content_type=content_type,
            options=engine.ingest_options(params, limits),
        )
        t1 = time.perf_counter()
        analysis_params = engine.analysis_params(params, quick=kind == "quick")
        if kind == "quick":
            result = engine.quick_analysis(dataset, analysis_params)
        else:
            forecaster = _deferring_forecaster(pending, nonce) if defer_forecasts else None
            result = engine.run_analysis(dataset, analysis_params, forecaster)
            charts = result["charts"]["categories"]
            result["charts"]["categories"] = []
        t2 = time.perf_counter()
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}
    return {
        "ok": True,
        # JSON text: cheaper to send between processes than a deep dict, and stored as is.
        "result": json.dumps(result, **_JSON),  # type: ignore[arg-type]
        # Chart series apart: stored for the chart endpoints, answered only when asked for.
        "charts": None if charts is None else json.dumps(charts, **_JSON),  # type: ignore[arg-type]
        "rows": dataset.report.observations_used,
        "categories": dataset.categories,
        "forecasts": pending,
        "nonce": nonce,
        "timings": {
            "parse_seconds": round(t1 - t0, 4),
            "analysis_seconds": round(t2 - t1, 4),
            "total_seconds": round(t2 - t0, 4),
        },
    }


def _deferring_forecaster(pending: list[dict[str, Any]], nonce: str) -> Any:
    from pintar_ekspor.analytics.engine.pipeline import future_stamps

    def defer(series: Any, horizon: int, period: int | None, params: Any) -> dict[str, Any]:
        index = len(pending)
        pending.append(
            {
                "index": index,
                "category": series.category,
                "values": series.value.astype("float64").tobytes(),
                "horizon": horizon,
                "period": period,
                "max_points": params.forecast_max_points,
                "stamps": future_stamps(series, horizon),
            }
        )
        return {"category": series.category, "points": f"\x00{nonce}:{index}"}

    return defer


def forecast_chunk(items: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """Forecast some series; ``(index, forecast JSON, points JSON)`` for each."""
    from pintar_ekspor.analytics.engine.forecast import forecast_packed
    from pintar_ekspor.analytics.engine.pipeline import forecast_entry

    out = []
    for item in items:
        result = forecast_packed(
            item["values"],
            horizon=item["horizon"],
            period=item["period"],
            max_points=item["max_points"],
        )
        entry = forecast_entry(item["category"], result, item["stamps"])
        out.append(
            (
                item["index"],
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
) -> dict[str, Any]:
    """Render a named chart of a stored result (and its chart series) as SVG or PNG."""
    from pintar_ekspor.analytics import engine

    result = json.loads(result_json)
    if charts_json is not None:
        result["charts"]["categories"] = json.loads(charts_json)
    try:
        return {"ok": True, "content": engine.render_chart(result, name, fmt)}
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}


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
