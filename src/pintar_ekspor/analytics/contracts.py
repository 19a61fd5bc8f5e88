"""What crosses the process boundary between the app and the analytics workers, typed.

The app sends an :class:`AnalysisJob` to a worker process (:func:`tasks.run_job`) and gets
back an :class:`Analysed` or a :class:`Refused`; forecasts travel as
:class:`PendingForecast` items. All are plain frozen dataclasses of picklable values (the
options are the Pydantic :class:`~pintar_ekspor.analytics.engine.AnalysisOptions`), checked
by mypy where they are built and read, instead of dicts decoded by string keys.

:class:`AnalysisTimings` and :class:`AnalysisProblem` are also what an analysis stores
(`timings`, `error`) and what the API answers, so the published schema is the same type.

The web process imports this module without the numeric stack (pydantic only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired

# pydantic reads TypedDicts only from typing_extensions before Python 3.12
from typing_extensions import TypedDict

from pintar_ekspor.analytics.engine.options import AnalysisOptions, UploadLimits

Kind = Literal["analyze", "quick"]


class AnalysisTimings(TypedDict):
    """Seconds spent reading and analysing an upload (and forecasting, when it did)."""

    parse_seconds: float
    analysis_seconds: float
    total_seconds: float
    forecast_seconds: NotRequired[float]
    forecast_series: NotRequired[int]


class AnalysisProblem(TypedDict):
    """Why an analysis was refused or failed: the problem's stable code, its message and
    HTTP status, and the engine's details (rows, columns) when it has them."""

    code: str
    message: str
    status: int
    details: NotRequired[dict[str, Any]]


@dataclass(frozen=True)
class AnalysisJob:
    """One analysis for a worker process: the upload (bytes, or the path of the stored
    upload file, so large bodies never cross the pipe) and what to do with it."""

    source: bytes | str
    filename: str | None
    content_type: str | None
    kind: Kind
    options: AnalysisOptions
    limits: UploadLimits
    defer_forecasts: bool = False


@dataclass(frozen=True)
class PendingForecast:
    """A series whose forecast :func:`tasks.forecast_chunk` computes (values packed as
    float64 bytes); `index` names its marker in the result text."""

    index: int
    category: str
    values: bytes
    horizon: int
    period: int | None
    max_points: int
    stamps: list[str]


@dataclass(frozen=True)
class Analysed:
    """An analysed upload. `result` is the engine's result as JSON text (it is stored and
    relayed as is); `charts` the per-category chart series apart. With deferred forecasts
    the result holds markers, and `forecasts` lists the series to forecast."""

    result: str
    charts: str | None
    rows: int
    categories: list[str]
    timings: AnalysisTimings
    forecasts: list[PendingForecast] = field(default_factory=list)
    nonce: str = ""
    ok: Literal[True] = True


@dataclass(frozen=True)
class Refused:
    """An upload the engine refused (or a job that failed), with the problem to report."""

    problem: AnalysisProblem
    ok: Literal[False] = False


Outcome = Analysed | Refused


@dataclass(frozen=True)
class Rendered:
    """A chart rendered by a worker (SVG text or PNG bytes)."""

    content: bytes
    ok: Literal[True] = True
