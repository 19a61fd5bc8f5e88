"""API shapes of the email outbox (admin views). Secrets are never part of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pintar_ekspor.notifications.models import EmailStatus


class EmailRead(BaseModel):
    """One outbox row as an admin sees it: no secret, no rendered body."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    to: str = Field(validation_alias="to_address")
    template: str
    locale: str
    context: dict[str, Any] = Field(description="Non-secret template variables")
    status: EmailStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
