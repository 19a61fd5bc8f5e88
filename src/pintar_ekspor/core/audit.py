"""Tamper-evident audit trail. (The guardrails work fills this in.)"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


async def record_event(
    session: AsyncSession,
    action: str,
    *,
    user_id: uuid.UUID | None = None,
    table_name: str | None = None,
    record_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append a security event (LOGIN, LOGIN_FAILED, ...) in the caller's transaction.

    The actor, client IP and request id come from `core.context`; `user_id` names the
    account the event is about when it differs from the actor (a failed login).
    """
    return None
