"""Audit trail queries and chain verification. Appending lives in `audit.trail`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.audit import trail
from pintar_ekspor.audit.models import GENESIS_HASH, AuditLog
from pintar_ekspor.audit.schemas import AuditLogFilter
from pintar_ekspor.core.errors import ValidationFailedError
from pintar_ekspor.core.pagination import PageParams, paginate


def _utc(value: datetime) -> datetime:
    # A bound without an offset is read as UTC rather than rejected.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


async def list_audit_logs(
    session: AsyncSession, *, filters: AuditLogFilter, page: PageParams
) -> tuple[Sequence[AuditLog], int]:
    """One page of audit rows matching `filters`, newest first, and the total count."""
    stmt = select(AuditLog)
    if filters.actor_user_id is not None:
        stmt = stmt.where(AuditLog.actor_user_id == filters.actor_user_id)
    if filters.actor_api_key_id is not None:
        stmt = stmt.where(AuditLog.actor_api_key_id == filters.actor_api_key_id)
    if filters.user_id is not None:
        stmt = stmt.where(AuditLog.user_id == filters.user_id)
    if filters.action:
        stmt = stmt.where(AuditLog.action == filters.action.strip().upper())
    if filters.table_name:
        stmt = stmt.where(AuditLog.table_name == filters.table_name)
    if filters.record_id:
        stmt = stmt.where(AuditLog.record_id == filters.record_id)
    since = _utc(filters.since) if filters.since else None
    until = _utc(filters.until) if filters.until else None
    if since and until and since >= until:
        raise ValidationFailedError(
            "`since` must be earlier than `until`.", code="invalid_time_range"
        )
    if since:
        stmt = stmt.where(AuditLog.occurred_at >= since)
    if until:
        stmt = stmt.where(AuditLog.occurred_at < until)
    return await paginate(session, stmt.order_by(AuditLog.seq.desc()), page)


async def list_security_events(
    session: AsyncSession, *, user_id: uuid.UUID, page: PageParams
) -> tuple[Sequence[AuditLog], int]:
    """Security events (not data changes) about or by one user, newest first."""
    stmt = (
        select(AuditLog)
        .where(
            or_(AuditLog.user_id == user_id, AuditLog.actor_user_id == user_id),
            AuditLog.action.not_in(trail.CRUD_ACTIONS),
        )
        .order_by(AuditLog.seq.desc())
    )
    return await paginate(session, stmt, page)


@dataclass(frozen=True)
class ChainReport:
    """Outcome of walking the hash chain."""

    rows_checked: int
    head_hash: str
    broken_seq: int | None = None
    broken_id: uuid.UUID | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


async def verify_chain(session: AsyncSession, *, batch_size: int = 1000) -> ChainReport:
    """Recompute every row's hash in order; report the first row that does not match."""
    table = AuditLog.__table__
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        result = await session.execute(
            select(table).where(table.c.seq > last_seq).order_by(table.c.seq).limit(batch_size)
        )
        rows = result.mappings().all()
        if not rows:
            return ChainReport(rows_checked=checked, head_hash=prev_hash)
        for row in rows:
            reason = None
            if row["seq"] != expected_seq:
                reason = f"expected seq {expected_seq}, found {row['seq']} (rows missing)"
            elif row["prev_hash"] != prev_hash:
                reason = "prev_hash does not match the previous row's hash"
            elif trail.row_hash(prev_hash, row) != row["hash"]:
                reason = "the row's content does not match its hash (edited)"
            if reason:
                return ChainReport(
                    rows_checked=checked,
                    head_hash=prev_hash,
                    broken_seq=int(row["seq"]),
                    broken_id=row["id"],
                    reason=reason,
                )
            prev_hash = str(row["hash"])
            expected_seq += 1
            last_seq = int(row["seq"])
            checked += 1
