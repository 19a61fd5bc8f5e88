"""Admin routes of the email outbox."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pintar_ekspor.core.deps import AppClock, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.notifications import service
from pintar_ekspor.notifications.models import EmailStatus
from pintar_ekspor.notifications.schemas import EmailRead

# `api.py` attaches the admin check where it mounts this router.
router = APIRouter(prefix="/admin/emails", tags=["admin"])


@router.get(
    "",
    operation_id="listEmails",
    response_model=Page[EmailRead],
    responses=problem_responses(401, 403, 422),
)
async def list_emails(
    session: DbSession,
    page: Pagination,
    status: Annotated[EmailStatus | None, Query(description="Only emails in this state")] = None,
    template: Annotated[
        str | None, Query(max_length=100, description="Only emails of this template")
    ] = None,
) -> Page[EmailRead]:
    """The email outbox, newest first. Secrets and rendered bodies are never returned."""
    rows, total = await service.list_emails(session, status=status, params=page, template=template)
    return Page[EmailRead].of([EmailRead.model_validate(r) for r in rows], total, page)


@router.post(
    "/{email_id}/retry",
    operation_id="retryEmail",
    response_model=EmailRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def retry_email(session: DbSession, clock: AppClock, email_id: uuid.UUID) -> EmailRead:
    """Queue a failed email again with a fresh attempt budget (409 unless it failed)."""
    row = await service.retry_email(session, email_id, now=clock.now())
    return EmailRead.model_validate(row)
