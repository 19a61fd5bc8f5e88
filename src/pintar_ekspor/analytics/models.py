"""ORM models of the analytics module: uploaded datasets and the analyses run on them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pintar_ekspor.core.db import Base, UUIDPrimaryKey, utcnow


class AnalysisStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class AnalysisKind(enum.StrEnum):
    FULL = "analyze"
    QUICK = "quick"


class Dataset(UUIDPrimaryKey, Base):
    """Metadata of an uploaded file (never the figures themselves once analysed)."""

    __tablename__ = "datasets"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    source_format: Mapped[str] = mapped_column(String(10))  # csv | json
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_datasets_owner_id", "owner_id"),)


class Analysis(UUIDPrimaryKey, Base):
    """One analysis run: parameters, status, result and timings."""

    __tablename__ = "analyses"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    api_key_id: Mapped[uuid.UUID | None]
    dataset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    kind: Mapped[AnalysisKind] = mapped_column(
        Enum(
            AnalysisKind,
            native_enum=False,
            length=10,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    status: Mapped[AnalysisStatus] = mapped_column(
        Enum(
            AnalysisStatus,
            native_enum=False,
            length=10,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=AnalysisStatus.QUEUED,
    )
    params: Mapped[dict[str, Any]]
    progress: Mapped[int] = mapped_column(default=0)
    # The engine's result as JSON text: it can be tens of MB, and the server only ever
    # stores and relays it, so it never becomes Python objects here.
    result: Mapped[str | None] = mapped_column(Text)
    # The per-category chart series (JSON list): kept for the chart endpoints, added to the
    # result in answers only when the analysis asked for them (include_visualizations).
    charts: Mapped[str | None] = mapped_column(Text)
    error: Mapped[dict[str, Any] | None]
    timings: Mapped[dict[str, Any] | None]
    rows: Mapped[int | None]
    categories: Mapped[list[Any] | None]
    # The background job (see `service.ANALYSIS_JOBS`): attempts, lease, and the token of
    # the current claim (only the process holding it may record the outcome).
    attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    claim_token: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_analyses_owner_id_created_at", "owner_id", "created_at"),
        Index("ix_analyses_status", "status"),
    )


class AnalysisPayload(Base):
    """The raw upload of a queued background analysis; deleted once the job finishes."""

    __tablename__ = "analysis_payloads"

    analysis_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
