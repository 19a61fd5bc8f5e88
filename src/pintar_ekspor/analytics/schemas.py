"""API schemas of the analytics module (the result body itself is the engine's schema)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pintar_ekspor.analytics.engine import AnalysisResult, QuickAnalysisResult
from pintar_ekspor.analytics.models import AnalysisKind, AnalysisStatus


class ReadingOptions(BaseModel):
    """How an upload is read (query parameters of `analyze` and `quick-analysis`).

    Auto-detection covers most files; these name what it cannot know. Each is reported back
    in the cleaning report.
    """

    model_config = ConfigDict(extra="forbid")

    on_bad_rows: Literal["skip", "reject"] = "skip"
    decimal: Literal["auto", ".", ","] = Field(
        default="auto",
        description="Decimal separator; auto detects it per column (1.234.567,89 or 1,234,567.89).",
    )
    category: str | None = Field(default=None, max_length=200)
    date_column: str | None = Field(default=None, max_length=200)
    date_columns: list[str] | None = Field(
        default=None, max_length=2, description="Year column and month column (repeat the key)."
    )
    category_columns: list[str] | None = Field(
        default=None,
        max_length=5,
        description=(
            "Category columns, e.g. `Kode HS` and `Negara Tujuan` (repeat the key): several make "
            "one series per combination; category columns left out are summed over. Default: "
            "the first category column of the file."
        ),
    )
    value_column: str | None = Field(
        default=None, max_length=200, description="The value to analyse, e.g. `Berat Bersih (Kg)`."
    )
    value_scale: float = Field(
        default=1.0, gt=0, le=1e12, description="Multiply values by this (1000: thousands)."
    )
    duplicates: Literal["sum", "mean", "last", "reject"] = Field(
        default="sum",
        description="Rows repeating a date and category: sum, mean, last or reject.",
    )


class AnalysisOptions(ReadingOptions):
    """Options of `POST /analytics/analyze` (query parameters)."""

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
    gap_fill: Literal["zero", "interpolate"] = Field(
        default="zero",
        description="Periods without data: zero (trade flows) or interpolate (prices, stocks).",
    )
    mixed_frequency: Literal["aggregate", "refuse"] = Field(
        default="aggregate",
        description="A category recorded coarser than the rest: aggregate all to it, or refuse.",
    )
    outlier_treatment: Literal["flag", "replace"] = "flag"
    forecast_input: Literal["treated", "raw"] = Field(
        default="treated",
        description="Fit forecasts on the outlier-treated series (default) or the raw one.",
    )


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
