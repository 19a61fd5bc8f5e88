"""Pydantic schemas of the audit trail views."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditLogFilter(BaseModel):
    """Query filters of the admin audit log; all optional, combined with AND."""

    actor_user_id: uuid.UUID | None = Field(default=None, description="Who acted (user id)")
    actor_api_key_id: uuid.UUID | None = Field(default=None, description="API key used")
    user_id: uuid.UUID | None = Field(default=None, description="Account the event is about")
    action: str | None = Field(
        default=None, max_length=40, description="INSERT, UPDATE, DELETE, LOGIN, ..."
    )
    table_name: str | None = Field(default=None, max_length=63)
    record_id: str | None = Field(default=None, max_length=128)
    since: datetime | None = Field(default=None, description="Inclusive lower bound (ISO 8601)")
    until: datetime | None = Field(default=None, description="Exclusive upper bound (ISO 8601)")


class AuditLogRead(BaseModel):
    """One audit row as stored, with its place in the hash chain."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seq: int
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    actor_api_key_id: uuid.UUID | None
    user_id: uuid.UUID | None
    ip: str | None
    user_agent: str | None
    request_id: str | None
    action: str
    table_name: str | None
    record_id: str | None
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    details: dict[str, Any] | None
    prev_hash: str
    hash: str


class SecurityEventRead(BaseModel):
    """A security event on the caller's own account (sign-in, lockout, key changes, ...)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    action: str
    ip: str | None
    user_agent: str | None
    details: dict[str, Any] | None


class AuditChainStatus(BaseModel):
    """Outcome of recomputing the audit hash chain from the first row."""

    ok: bool
    rows_checked: int
    head_hash: str = Field(description="Hash of the last intact row (what the next row chains to)")
    broken_seq: int | None = None
    broken_id: uuid.UUID | None = None
    reason: str | None = None
