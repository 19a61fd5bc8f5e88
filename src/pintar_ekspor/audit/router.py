"""HTTP routes of the audit trail: the admin log and a user's own security events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pintar_ekspor.accounts.dependencies import AdminUser, CurrentUser
from pintar_ekspor.audit import service as audit_service
from pintar_ekspor.audit.schemas import AuditLogFilter, AuditLogRead, SecurityEventRead
from pintar_ekspor.core.deps import DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination

router = APIRouter()


@router.get(
    "/admin/audit-logs",
    response_model=Page[AuditLogRead],
    operation_id="listAuditLogs",
    tags=["admin"],
    responses=problem_responses(401, 403, 422),
)
async def list_audit_logs(
    session: DbSession,
    _admin: AdminUser,
    page: Pagination,
    filters: Annotated[AuditLogFilter, Query()],
) -> Page[AuditLogRead]:
    """The audit trail, newest first, filtered by actor, action, table, record and time."""
    rows, total = await audit_service.list_audit_logs(session, filters=filters, page=page)
    return Page[AuditLogRead].of([AuditLogRead.model_validate(r) for r in rows], total, page)


@router.get(
    "/users/me/security-events",
    response_model=Page[SecurityEventRead],
    operation_id="listMySecurityEvents",
    tags=["users"],
    responses=problem_responses(401),
)
async def list_my_security_events(
    session: DbSession, user: CurrentUser, page: Pagination
) -> Page[SecurityEventRead]:
    """Sign-ins, failed sign-ins, lockouts and key changes on the caller's own account."""
    rows, total = await audit_service.list_security_events(session, user_id=user.id, page=page)
    return Page[SecurityEventRead].of(
        [SecurityEventRead.model_validate(r) for r in rows], total, page
    )
