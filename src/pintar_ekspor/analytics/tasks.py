"""Functions that run inside the analytics worker processes.

They take and return plain picklable values (bytes, dicts): engine exceptions become error
dicts here, because custom exceptions do not always survive the trip between processes.
"""

from __future__ import annotations

import json
import time
from typing import Any

from pintar_ekspor.analytics import engine


def run_job(
    data: bytes,
    filename: str | None,
    content_type: str | None,
    kind: str,
    params: dict[str, Any],
    limits: dict[str, int],
) -> dict[str, Any]:
    """Parse and analyse an upload; returns `{ok, result, timings, rows, categories}`."""
    t0 = time.perf_counter()
    try:
        dataset = engine.parse_upload(
            data,
            filename=filename,
            content_type=content_type,
            options=engine.ingest_options(params, limits),
        )
        t1 = time.perf_counter()
        analysis_params = engine.analysis_params(params, quick=kind == "quick")
        if kind == "quick":
            result = engine.quick_analysis(dataset, analysis_params)
        else:
            result = engine.run_analysis(dataset, analysis_params)
            if not params.get("include_visualizations", True):
                result["charts"]["categories"] = []
        t2 = time.perf_counter()
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}
    return {
        "ok": True,
        # JSON text: cheaper to send between processes than a deep dict, and stored as is.
        "result": json.dumps(result, separators=(",", ":"), allow_nan=False),
        "rows": dataset.report.observations_used,
        "categories": dataset.categories,
        "timings": {
            "parse_seconds": round(t1 - t0, 4),
            "analysis_seconds": round(t2 - t1, 4),
            "total_seconds": round(t2 - t0, 4),
        },
    }


def render_chart(result_json: str, name: str, fmt: str) -> dict[str, Any]:
    """Render a named chart of a stored result as SVG or PNG bytes."""
    try:
        return {"ok": True, "content": engine.render_chart(json.loads(result_json), name, fmt)}
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}
