"""Email outbox services: enqueue in the caller's transaction, list and retry for admins."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.errors import ConflictError, NotFoundError
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.notifications.crypto import current_data_key, encrypt_secrets
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.rendering import TEMPLATES, normalise_locale


async def enqueue_email(
    session: AsyncSession,
    *,
    to: str,
    template: str,
    locale: str,
    context: dict[str, Any],
    secret_context: dict[str, str] | None = None,
    now: datetime,
) -> EmailOutbox:
    """Queue an email in the caller's transaction: sent only if the transaction commits.

    `now` is the caller's time from the app's clock (`app.state.clock`): the row is
    created then and due at once from then, so a test's `ManualClock` decides both.

    `secret_context` holds values (an API key) that must never rest in plain text: they
    are stored encrypted and erased once the email is delivered. Raises `ValueError` for
    an unknown template, a missing secret, or a secret passed in the plain `context`
    (programming errors, caught by tests rather than at delivery time).
    """
    spec = TEMPLATES.get(template)
    if spec is None:
        raise ValueError(f"unknown email template {template!r}")
    secrets = dict(secret_context or {})
    missing = spec.secrets - secrets.keys()
    if missing:
        raise ValueError(f"template {template!r} needs secret_context keys {sorted(missing)}")
    leaked = (spec.secrets | spec.optional_secrets) & context.keys()
    if leaked:
        raise ValueError(f"{sorted(leaked)} must go in secret_context, never in context")
    to = to.strip()
    if not to or "@" not in to:
        raise ValueError(f"invalid recipient {to!r}")
    try:
        json.dumps(context)
    except TypeError as exc:
        raise ValueError(f"email context must be JSON-serialisable: {exc}") from exc

    row = EmailOutbox(
        to_address=to,
        template=template,
        locale=normalise_locale(locale),
        context=dict(context),
        secret_ciphertext=encrypt_secrets(current_data_key(session), secrets) if secrets else None,
        status=EmailStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def list_emails(
    session: AsyncSession,
    *,
    status: EmailStatus | None,
    params: PageParams,
    template: str | None = None,
) -> tuple[Sequence[EmailOutbox], int]:
    """A page of outbox rows, newest first, optionally of one status and template."""
    stmt = select(EmailOutbox).order_by(EmailOutbox.created_at.desc(), EmailOutbox.id)
    if status is not None:
        stmt = stmt.where(EmailOutbox.status == status)
    if template:
        stmt = stmt.where(EmailOutbox.template == template)
    rows, total = await paginate(session, stmt, params)
    return rows, total


async def retry_email(session: AsyncSession, email_id: uuid.UUID, *, now: datetime) -> EmailOutbox:
    """Put a failed email back in the queue with a fresh attempt budget, due at `now`
    (the app's clock).

    Raises `NotFoundError`, or `ConflictError` if it is not failed or if its secret (an API
    key) has been erased after the retention window, since the email could not be rendered.
    """
    row = await session.get(EmailOutbox, email_id, with_for_update=True)
    if row is None:
        raise NotFoundError("No email with this id.", code="email_not_found")
    if row.status != EmailStatus.FAILED:
        raise ConflictError(
            f"Only failed emails can be retried; this one is {row.status.value}.",
            code="email_not_failed",
        )
    spec = TEMPLATES.get(row.template)
    if spec is not None and spec.secrets and row.secret_ciphertext is None:
        raise ConflictError(
            "The secret this email carried has been erased; ask the user to rotate the key.",
            code="email_secret_expired",
        )
    row.status = EmailStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = now
    row.updated_at = now
    row.locked_until = None
    row.claim_token = None
    await session.flush()
    await audit.record_event(
        session,
        "EMAIL_RETRY",
        table_name=EmailOutbox.__tablename__,
        record_id=str(row.id),
        details={"template": row.template},
    )
    return row
