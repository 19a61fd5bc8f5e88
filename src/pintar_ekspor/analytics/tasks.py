"""Functions that run inside the analytics worker processes.

They take and return plain picklable values (bytes, dicts): engine exceptions become error
dicts here, because custom exceptions do not always survive the trip between processes.
"""

from __future__ import annotations

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
            options=engine.IngestOptions(
                max_bytes=limits["max_bytes"],
                max_rows=limits["max_rows"],
                max_categories=limits["max_categories"],
                on_bad_rows=params.get("on_bad_rows", "skip"),
                decimal=params.get("decimal", "."),
                category=params.get("category"),
                frequency=params.get("frequency", "auto"),
            ),
        )
        t1 = time.perf_counter()
        if kind == "quick":
            result = engine.quick_analysis(dataset)
        else:
            result = engine.run_analysis(
                dataset,
                engine.AnalysisParams(
                    include_forecast=params.get("include_forecast", True),
                    horizon=params.get("horizon"),
                    include_visualizations=params.get("include_visualizations", True),
                ),
            )
        t2 = time.perf_counter()
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}
    body = result if isinstance(result, dict) else result.model_dump(mode="json")
    return {
        "ok": True,
        "result": body,
        "rows": engine.dataset_rows(dataset),
        "categories": engine.dataset_categories(dataset),
        "timings": {
            "parse_seconds": round(t1 - t0, 4),
            "analysis_seconds": round(t2 - t1, 4),
            "total_seconds": round(t2 - t0, 4),
        },
    }


def render_chart(result: dict[str, Any], name: str, fmt: str) -> dict[str, Any]:
    """Render a named chart of a stored result as SVG or PNG bytes."""
    try:
        return {"ok": True, "content": engine.render_chart(result, name, fmt)}
    except engine.AnalyticsInputError as exc:
        return {"ok": False, "error": exc.to_dict()}
