"""API schemas of the analytics module.

Each shape is defined once and published as is: the request options are the engine's
:class:`AnalysisOptions` / :class:`ReadingOptions` (also what an analysis stores as
`params`), timings and errors the types the worker processes return
(:mod:`pintar_ekspor.analytics.contracts`), and the result body the engine's
:class:`AnalysisResult` / :class:`QuickAnalysisResult`. The result is relayed as stored JSON
text, never re-validated per request; `tests/analytics/test_analytics_openapi.py` checks
that stored results match the published schema.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from pintar_ekspor.analytics.contracts import AnalysisProblem, AnalysisTimings
from pintar_ekspor.analytics.engine import AnalysisResult, QuickAnalysisResult
from pintar_ekspor.analytics.engine.options import AnalysisOptions, ReadingOptions
from pintar_ekspor.analytics.models import AnalysisKind, AnalysisStatus

__all__ = [
    "AnalysisAccepted",
    "AnalysisOptions",
    "AnalysisRead",
    "AnalysisSummary",
    "DatasetRead",
    "ReadingOptions",
]


class AnalysisSummary(BaseModel):
    """An analysis without its (possibly large) result."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: AnalysisKind
    status: AnalysisStatus
    progress: int
    params: AnalysisOptions
    rows: int | None
    categories: list[str] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    timings: AnalysisTimings | None
    error: AnalysisProblem | None
    dataset_id: uuid.UUID
    owner_id: uuid.UUID


class DatasetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str | None
    content_type: str | None
    size_bytes: int
    sha256: str
    source_format: str
    created_at: datetime


class AnalysisRead(AnalysisSummary):
    """An analysis with its result (`AnalysisResult` or, for quick analyses,
    `QuickAnalysisResult`) and dataset metadata."""

    result: AnalysisResult | QuickAnalysisResult | None
    dataset: DatasetRead | None = None
    status_url: str | None = None


class AnalysisAccepted(BaseModel):
    """A large upload queued as a background job."""

    id: uuid.UUID
    status: AnalysisStatus
    status_url: str
