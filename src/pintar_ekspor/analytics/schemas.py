"""API schemas of the analytics module (the result body itself is the engine's schema)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pintar_ekspor.analytics.engine import AnalysisResult, QuickAnalysisResult
from pintar_ekspor.analytics.models import AnalysisKind, AnalysisStatus


class AnalysisOptions(BaseModel):
    """Options of `POST /analytics/analyze` (query parameters)."""

    model_config = ConfigDict(extra="forbid")

    include_forecast: bool = True
    horizon: int | None = Field(default=None, ge=1, le=366, description="Default: one cycle")
    include_visualizations: bool = Field(
        default=False,
        description=(
            "Add the chart-ready series of every category to the result (they can be "
            "large); the chart endpoints work either way."
        ),
    )
    export_format: Literal["json", "csv"] = "json"
    frequency: Literal["auto", "D", "W", "M", "Q", "Y"] = "auto"
    category: str | None = Field(default=None, max_length=200)
    on_bad_rows: Literal["skip", "reject"] = "skip"
    decimal: Literal[".", ","] = "."


class AnalysisSummary(BaseModel):
    """An analysis without its (possibly large) result."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: AnalysisKind
    status: AnalysisStatus
    progress: int
    params: dict[str, Any]
    rows: int | None
    categories: list[Any] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    timings: dict[str, Any] | None
    error: dict[str, Any] | None
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
