"""SVG and PNG charts of an analysis result, drawn with matplotlib's object API.

No pyplot: each call builds its own ``Figure`` and renders it with the Agg or SVG canvas,
so rendering is safe in threads and leaves no global figure state behind. SVG output is
deterministic (fixed id salt, no date metadata).

Chart names: ``series`` (every category, the ten largest when there are more),
``forecast`` / ``forecast-<category-slug>``, ``seasonality`` /
``seasonality-<category-slug>``, ``shares``.

The result is read through its TypedDicts (:mod:`.result_types`, generated from the schema),
so mypy checks every key read here against the published shape.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .errors import UnknownChartError
from .result_types import AnalysisResultDict, CategoryChartDict, ShareRowDict

CHART_NAMES = ("series", "forecast", "seasonality", "shares")
"""Base names; ``forecast`` and ``seasonality`` also take ``-<category-slug>``."""
MAX_LINES = 10
ChartFormat = Literal["svg", "png"]


def slugify(name: str) -> str:
    """Lower-case ASCII slug of a category name (``"Minyak Sawit"`` → ``minyak-sawit``)."""
    slug = re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")
    return slug or "category"


def _dates(points: Sequence[Mapping[str, Any]]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array([p["ts"] for p in points], dtype="datetime64[D]")


def _values(points: Sequence[Mapping[str, Any]], key: str) -> np.ndarray[Any, np.dtype[Any]]:
    return np.array([np.nan if p[key] is None else p[key] for p in points], dtype=float)


def _pick(result: AnalysisResultDict, slug: str | None, kind: str) -> CategoryChartDict:
    charts = result["charts"]["categories"]
    if not charts:
        raise UnknownChartError("The analysis has no categories to draw.")
    if slug is None:
        return charts[0]
    for chart in charts:
        if slugify(chart["category"]) == slug:
            return chart
    known = ", ".join(f"{kind}-{slugify(c['category'])}" for c in charts[:20])
    raise UnknownChartError(f"No category matches {kind}-{slug}; try one of: {known}.")


def _series(fig: Figure, result: AnalysisResultDict) -> None:
    ax = fig.add_subplot()
    charts = result["charts"]["categories"]
    totals = {c["category"]: c["summary"]["total"] for c in result["categories"]}
    chosen = sorted(charts, key=lambda c: -totals.get(c["category"], 0.0))[:MAX_LINES]
    for chart in chosen:
        x, y = _dates(chart["series"]), _values(chart["series"], "value")
        (line,) = ax.plot(x, y, linewidth=1.2, label=chart["category"])
        outlier = np.array([p["is_outlier"] for p in chart["series"]], dtype=bool)
        if outlier.any():
            ax.scatter(
                x[outlier],
                y[outlier],
                marker="o",
                s=24,
                color=line.get_color(),
                edgecolors="black",
                zorder=3,
            )
    title = "Series by category"
    if len(charts) > len(chosen):
        title += f" (largest {len(chosen)} of {len(charts)})"
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=2 if len(chosen) > 5 else 1)
    _style(ax)


def _forecast(fig: Figure, result: AnalysisResultDict, slug: str | None) -> None:
    forecasts = result.get("forecast")
    if not forecasts:
        raise UnknownChartError("This analysis has no forecast; run it with include_forecast=true.")
    chart = _pick(result, slug, "forecast")
    forecast = next(f for f in forecasts if f["category"] == chart["category"])
    history = chart["series"][-max(4 * len(forecast["points"]), 48) :]
    ax = fig.add_subplot()
    ax.plot(_dates(history), _values(history, "value"), color="#1f4e79", label="observed")
    points = forecast["points"]
    x = _dates(points)
    ax.fill_between(
        x,
        _values(points, "lower95"),
        _values(points, "upper95"),
        color="#f4a261",
        alpha=0.25,
        label="95% interval",
    )
    ax.fill_between(
        x,
        _values(points, "lower80"),
        _values(points, "upper80"),
        color="#f4a261",
        alpha=0.45,
        label="80% interval",
    )
    ax.plot(x, _values(points, "mean"), color="#e76f51", label=f"forecast ({forecast['model']})")
    ax.set_title(f"Forecast: {chart['category']}")
    ax.legend(fontsize=8)
    _style(ax)


def _seasonality(fig: Figure, result: AnalysisResultDict, slug: str | None) -> None:
    seasonal = [(c["category"], s) for c in result["categories"] if (s := c.get("seasonality"))]
    if not seasonal:
        raise UnknownChartError(
            "No category has seasonality (it needs at least two full seasonal cycles)."
        )
    ax = fig.add_subplot()
    if slug is not None:
        name = _pick(result, slug, "seasonality")["category"]
        seasonal = [(category, s) for category, s in seasonal if category == name]
        if not seasonal:
            raise UnknownChartError(f"Category {name!r} has no seasonality to draw.")
        indices = seasonal[0][1]["indices"]
        ratios = [i["ratio"] for i in indices]
        use_ratio = all(r is not None for r in ratios)
        heights = [
            r - 1.0 if use_ratio and r is not None else i["index"]
            for i, r in zip(indices, ratios, strict=True)
        ]
        ax.bar([i["label"] for i in indices], heights, color="#2a9d8f")
        ax.set_ylabel("above / below mean (fraction)" if use_ratio else "seasonal index")
        ax.set_title(f"Seasonal pattern: {name}")
    else:
        for category, seasonality in seasonal[:MAX_LINES]:
            indices = seasonality["indices"]
            line = [np.nan if i["ratio"] is None else i["ratio"] for i in indices]
            ax.plot([i["label"] for i in indices], line, marker="o", label=category)
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.set_ylabel("ratio to mean")
        ax.set_title("Seasonal indices")
        ax.legend(fontsize=8)
    if len(seasonal[0][1]["indices"]) > 12:
        ax.tick_params(axis="x", labelrotation=90, labelsize=6)
    _style(ax)


def _shares(fig: Figure, result: AnalysisResultDict) -> None:
    cross = result["cross_category"]
    if cross.get("shares_reason"):
        raise UnknownChartError(f"Shares cannot be drawn: {cross['shares_reason']}")
    rows = cross["shares"]
    top = rows[:15]
    labels = [r["category"] for r in top]
    shares = [_share(r) * 100.0 for r in top]
    rest = sum(_share(r) for r in rows[15:]) * 100.0
    if rest > 0:
        labels.append(f"{len(rows) - 15} others")
        shares.append(rest)
    ax = fig.add_subplot()
    ax.barh(labels[::-1], shares[::-1], color="#264653")
    ax.set_xlabel("share of total (%)")
    title = "Share of total"
    if cross.get("hhi") is not None:
        title += f" (HHI {cross['hhi']:.0f}, {cross['hhi_label']})"
    ax.set_title(title)
    _style(ax)


def _share(row: ShareRowDict) -> float:
    """A row's share; null only when shares cannot be drawn (``shares_reason`` says why)."""
    share = row["share"]
    if share is None:
        raise UnknownChartError(f"Shares cannot be drawn: {row['category']!r} has no share.")
    return share


def _style(ax: Axes) -> None:
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def render_chart(
    result: AnalysisResultDict,
    name: str,
    fmt: str = "svg",
    *,
    width: float = 9.0,
    height: float = 4.5,
    dpi: int = 100,
) -> bytes:
    """Draw the named chart of an analysis result as SVG or PNG bytes."""
    if fmt not in ("svg", "png"):
        raise UnknownChartError(f"Unknown chart format {fmt!r}; use svg or png.")
    base, _, slug = name.partition("-")
    if base not in CHART_NAMES or (slug and base not in ("forecast", "seasonality")):
        raise UnknownChartError(
            f"Unknown chart {name!r}; available: series, forecast, forecast-<category>, "
            "seasonality, seasonality-<category>, shares."
        )
    # Category names are user data: "$\\frac{1}{$" must be drawn as text, never parsed as
    # math (a parse error would make every chart of the analysis fail).
    with matplotlib.rc_context(
        {"text.parse_math": False, "svg.hashsalt": "pintar-ekspor", "svg.fonttype": "path"}
    ):
        fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        if base == "series":
            _series(fig, result)
        elif base == "forecast":
            _forecast(fig, result, slug or None)
        elif base == "seasonality":
            _seasonality(fig, result, slug or None)
        else:
            _shares(fig, result)
        buffer = io.BytesIO()
        if fmt == "svg":
            FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})  # type: ignore[no-untyped-call]
        else:
            FigureCanvasAgg(fig).print_png(buffer)  # type: ignore[no-untyped-call]
    return buffer.getvalue()
