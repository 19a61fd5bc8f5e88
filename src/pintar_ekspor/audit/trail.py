"""Tamper-evident audit trail, captured once in the ORM layer.

Every INSERT, UPDATE and DELETE of an object whose model opts in with `__audited__ = True`
(and names in `__audit_ignore__` the columns whose changes alone are not worth a row) appends
an `audit_log` row in the same transaction, from a session `after_flush` hook, so no service
has to remember to log. Refresh tokens do not opt in: they churn on every refresh, and reuse
detection is recorded as an explicit security event instead. Security events (logins,
lockouts, key rotation, ...) are appended explicitly with `record_event`. Whether auditing
is on (per request, `AUDIT_ENABLED`) is read from `core.context`.

Each row stores `hash = sha256(prev_hash + canonical JSON of the row)`; appends are
serialised (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write lock that
`BEGIN IMMEDIATE` already holds), so concurrent writers never fork the chain.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.state import InstanceState

from pintar_ekspor.audit.models import GENESIS_HASH, AuditLog
from pintar_ekspor.core.context import get_context, is_audit_enabled

REDACTED = "[REDACTED]"
# A column or detail key containing one of these is never written in clear...
SECRET_MARKERS = (
    "password",
    "passwd",
    "secret",
    "token",
    "hash",
    "salt",
    "credential",
    "api_key",
    "apikey",
    "private_key",
)
# ...nor one named exactly like these.
SECRET_NAMES = frozenset({"key", "raw_key", "otp", "pin", "code_verifier"})
# Arbitrary 63-bit constant ("PINTAR-A") naming the advisory lock that serialises appends.
ADVISORY_LOCK_KEY = 0x50494E5441522D41
MAX_USER_AGENT = 512

CRUD_ACTIONS = ("INSERT", "UPDATE", "DELETE")
# Columns whose changes alone are not worth a row (the timestamp moves with every change).
ALWAYS_IGNORED = frozenset({"updated_at"})


def is_secret(name: str) -> bool:
    """Whether a column or detail key names a secret (matched generously, case-insensitive)."""
    lowered = name.lower()
    return lowered in SECRET_NAMES or any(marker in lowered for marker in SECRET_MARKERS)


def to_json(value: Any) -> Any:
    """A JSON-safe copy of `value` that round-trips unchanged through JSON/JSONB columns."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    return str(value)


def redact(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """JSON-safe values with every secret-looking key replaced by a marker, recursively."""
    if values is None:
        return None
    result: dict[str, Any] = {}
    for key, value in values.items():
        name = str(key)
        # A flag (`rehashed: true`) cannot leak a secret; anything else under such a name can.
        if is_secret(name) and value is not None and not isinstance(value, bool):
            result[name] = REDACTED
        else:
            result[name] = _redact_nested(value)
    return result


def _redact_nested(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redact(value)
    if isinstance(value, list | tuple):
        return [_redact_nested(v) for v in value]
    return to_json(value)


def _canonical_number(value: Any) -> Any:
    # JSONB may hand 1e20 back as an integer; hash numbers by value, not by spelling.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_number(v) for v in value]
    return value


HASHED_FIELDS = (
    "seq",
    "id",
    "occurred_at",
    "actor_user_id",
    "actor_api_key_id",
    "user_id",
    "ip",
    "user_agent",
    "request_id",
    "action",
    "table_name",
    "record_id",
    "old_values",
    "new_values",
    "details",
    "prev_hash",
)


def canonical_row(row: Mapping[Any, Any]) -> str:
    """The canonical JSON of an audit row as hashed (keys sorted, numbers by value)."""
    doc = {name: _canonical_number(to_json(row.get(name))) for name in HASHED_FIELDS}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(prev_hash: str, row: Mapping[Any, Any]) -> str:
    """`sha256(prev_hash + canonical row)` as hex."""
    return hashlib.sha256((prev_hash + canonical_row(row)).encode("utf-8")).hexdigest()


@dataclass
class Entry:
    """An audit row before it is chained (seq, prev_hash and hash come at append time)."""

    action: str
    table_name: str | None = None
    record_id: str | None = None
    old_values: dict[str, Any] | None = None
    new_values: dict[str, Any] | None = None
    details: dict[str, Any] | None = None
    user_id: uuid.UUID | None = None
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _clip(value: str | None, size: int) -> str | None:
    # Truncated before hashing, so the stored row is exactly what was hashed.
    return value[:size] if value else value


def _entry(action: str, *, record_id: str | None = None, **values: Any) -> Entry:
    ctx = get_context()
    return Entry(
        action=action,
        record_id=_clip(record_id, 128),
        actor_user_id=ctx.actor_user_id,
        actor_api_key_id=ctx.actor_api_key_id,
        ip=_clip(ctx.ip, 45),
        user_agent=_clip(ctx.user_agent, MAX_USER_AGENT),
        request_id=_clip(ctx.request_id, 128),
        **values,
    )


def append_entries(connection: Connection, entries: list[Entry]) -> None:
    """Chain and insert `entries` on `connection`, inside its current transaction."""
    if not entries:
        return
    if connection.dialect.name == "postgresql":
        # Held until commit/rollback: the next writer reads our hash only once we are done.
        # It must be its own statement: under READ COMMITTED the SELECT below then takes its
        # snapshot after the lock, and so sees the row the previous holder committed.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    table = cast(Table, AuditLog.__table__)
    last = connection.execute(
        select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
    rows: list[dict[str, Any]] = []
    for item in entries:
        seq += 1
        row: dict[str, Any] = {
            "id": item.id,
            "seq": seq,
            "occurred_at": item.occurred_at,
            "actor_user_id": item.actor_user_id,
            "actor_api_key_id": item.actor_api_key_id,
            "user_id": item.user_id,
            "ip": item.ip,
            "user_agent": item.user_agent,
            "request_id": item.request_id,
            "action": item.action,
            "table_name": item.table_name,
            "record_id": item.record_id,
            "old_values": item.old_values,
            "new_values": item.new_values,
            "details": item.details,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = row_hash(prev_hash, row)
        rows.append(row)
    connection.execute(insert(table), rows)


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
    if not is_audit_enabled():
        return
    entry = _entry(
        action,
        user_id=user_id,
        table_name=table_name,
        record_id=record_id,
        details=redact(details),
    )
    await session.run_sync(lambda sync_session: append_entries(sync_session.connection(), [entry]))


# --- capture of ORM changes -------------------------------------------------------------


def _audit_config(state: InstanceState[Any]) -> frozenset[str] | None:
    """The ignored columns of an audited object's table, or None when it is not audited."""
    mapper = state.mapper
    table = getattr(mapper.local_table, "name", None)
    if table is None:
        return None
    if not getattr(mapper.class_, "__audited__", False):
        return None
    return frozenset(getattr(mapper.class_, "__audit_ignore__", ()))


def _record_id(state: InstanceState[Any]) -> str | None:
    values = [
        state.dict.get(prop.key)
        for prop in state.mapper.column_attrs
        if prop.columns[0].primary_key
    ]
    if not values or any(v is None for v in values):
        return None
    return ":".join(str(v) for v in values)


def _loaded_values(state: InstanceState[Any]) -> dict[str, Any]:
    # Only what is already in memory: loading an expired column here would run SQL mid-flush.
    return {
        prop.key: state.dict[prop.key]
        for prop in state.mapper.column_attrs
        if prop.key in state.dict
    }


def _changes(
    state: InstanceState[Any], ignored: frozenset[str]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    relevant = False
    for prop in state.mapper.column_attrs:
        history = state.attrs[prop.key].history
        if not history.has_changes():
            continue
        if prop.key in ALWAYS_IGNORED:
            continue
        old[prop.key] = history.deleted[0] if history.deleted else None
        new[prop.key] = history.added[0] if history.added else None
        if old[prop.key] == new[prop.key]:
            del old[prop.key], new[prop.key]
            continue
        if prop.key not in ignored:
            relevant = True
    return (old, new) if relevant else None


def _table(state: InstanceState[Any]) -> str:
    return str(state.mapper.local_table.name)  # type: ignore[attr-defined]


def collect_entries(session: Session) -> list[Entry]:
    """Audit entries for the audited objects this flush inserted, updated or deleted."""
    entries: list[Entry] = []
    for obj in session.new:
        state = inspect(obj)
        if _audit_config(state) is None:
            continue
        entries.append(
            _entry(
                "INSERT",
                table_name=_table(state),
                record_id=_record_id(state),
                new_values=redact(_loaded_values(state)),
            )
        )
    for obj in session.dirty:
        state = inspect(obj)
        ignored = _audit_config(state)
        if ignored is None:
            continue
        changes = _changes(state, ignored)
        if changes is None:
            continue
        entries.append(
            _entry(
                "UPDATE",
                table_name=_table(state),
                record_id=_record_id(state),
                old_values=redact(changes[0]),
                new_values=redact(changes[1]),
            )
        )
    for obj in session.deleted:
        state = inspect(obj)
        if _audit_config(state) is None:
            continue
        entries.append(
            _entry(
                "DELETE",
                table_name=_table(state),
                record_id=_record_id(state),
                old_values=redact(_loaded_values(state)),
            )
        )
    return entries


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    # Still pre-flush state here: session.new/dirty/deleted and attribute history are intact.
    if not is_audit_enabled():
        return
    entries = collect_entries(session)
    if entries:
        append_entries(session.connection(), entries)


if not event.contains(Session, "after_flush", _after_flush):
    event.listen(Session, "after_flush", _after_flush)
