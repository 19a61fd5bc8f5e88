"""Email outbox services. (The notifications work fills in persistence and delivery.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


async def enqueue_email(
    session: AsyncSession,
    *,
    to: str,
    template: str,
    locale: str,
    context: dict[str, Any],
    secret_context: dict[str, str] | None = None,
) -> None:
    """Queue an email in the caller's transaction: sent only if the transaction commits.

    `secret_context` holds values (an API key) that must never rest in plain text: they
    are stored encrypted and erased once the email is delivered.
    """
    raise NotImplementedError("email outbox not built yet")
