"""HTTP routes of the audit trail: the admin log and a user's own security events."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pintar_ekspor.audit import service as audit_service
from pintar_ekspor.audit.schemas import (
    AuditChainStatus,
    AuditLogFilter,
    AuditLogRead,
    SecurityEventRead,
)
from pintar_ekspor.core.deps import DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination

# Admin routes only: `api.py` attaches the admin check where it mounts this router (the
# platform layer does not import identity).
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
    page: Pagination,
    filters: Annotated[AuditLogFilter, Query()],
) -> Page[AuditLogRead]:
    """The audit trail, newest first, filtered by actor, action, table, record and time."""
    rows, total = await audit_service.list_audit_logs(session, filters=filters, page=page)
    return Page[AuditLogRead].of([AuditLogRead.model_validate(r) for r in rows], total, page)


@router.get(
    "/admin/audit-logs/verification",
    response_model=AuditChainStatus,
    operation_id="verifyAuditChain",
    tags=["admin"],
    responses=problem_responses(401, 403),
)
async def verify_audit_chain(session: DbSession) -> AuditChainStatus:
    """Recompute the hash chain: whether it is intact, the head hash, the first broken row."""
    report = await audit_service.verify_chain(session)
    return AuditChainStatus(
        ok=report.ok,
        rows_checked=report.rows_checked,
        head_hash=report.head_hash,
        broken_seq=report.broken_seq,
        broken_id=report.broken_id,
        reason=report.reason,
    )


@router.get(
    "/admin/users/{user_id}/security-events",
    response_model=Page[SecurityEventRead],
    operation_id="adminListUserSecurityEvents",
    tags=["admin"],
    responses=problem_responses(401, 403, 422),
)
async def list_user_security_events(
    session: DbSession, user_id: uuid.UUID, page: Pagination
) -> Page[SecurityEventRead]:
    """Sign-ins, failed sign-ins, lockouts, role changes and key changes of one account."""
    rows, total = await audit_service.list_security_events(session, user_id=user_id, page=page)
    return Page[SecurityEventRead].of(
        [SecurityEventRead.model_validate(r) for r in rows], total, page
    )
