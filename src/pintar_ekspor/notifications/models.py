"""ORM model of the email outbox."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pintar_ekspor.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class EmailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class EmailOutbox(UUIDPrimaryKey, Timestamps, Base):
    """One email to deliver. Written in the transaction of the change that causes it."""

    __tablename__ = "email_outbox"

    to_address: Mapped[str] = mapped_column(String(320))
    template: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(5))
    # Non-secret template variables only; secrets live encrypted in `secret_ciphertext`.
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Fernet token of the JSON secret context; NULL once sent (or after the retention window).
    secret_ciphertext: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(
        Enum(
            EmailStatus,
            name="email_status",
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=EmailStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    # Identifies the current claim: only the worker holding it may mark the row done.
    claim_token: Mapped[uuid.UUID | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_email_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_email_outbox_created_at", "created_at"),
    )
