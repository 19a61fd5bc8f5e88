"""Sign-in back-off per account *and* client.

A lockout keyed on the account alone let anyone who knew an address lock its owner out for
up to a day. Here each (account, client) pair counts its own consecutive failures: after
`LOGIN_MAX_FAILURES` that client waits `LOGIN_LOCKOUT_BASE_SECONDS`, doubling with each
further failure (at most a day), while the owner signing in from another client is not
affected. The client is the IP the request context resolved (behind trusted proxies, the real
one), an IPv6 address counted by its /64 since one host usually holds the whole prefix.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import LoginThrottle
from pintar_ekspor.core.config import Settings

MAX_LOCKOUT = timedelta(days=1)


def client_key(ip: str | None) -> str:
    """The throttle key of a client address (`unknown` when there is none)."""
    if not ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"raw:{ip[:60]}"
    if address.version == 6:
        return f"net:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


def lockout_delay(settings: Settings, failures: int) -> timedelta | None:
    """How long a client waits after `failures` consecutive failures (None: not yet)."""
    over = failures - settings.login_max_failures
    if over < 0:
        return None
    seconds = settings.login_lockout_base_seconds * (2 ** min(over, 20))
    return min(timedelta(seconds=seconds), MAX_LOCKOUT)


async def locked_until(
    session: AsyncSession, user_id: uuid.UUID, key: str, *, now: datetime
) -> datetime | None:
    """Until when this client may not sign in to this account (None: it may now)."""
    until = await session.scalar(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.user_id == user_id, LoginThrottle.client_key == key
        )
    )
    return until if until is not None and until > now else None


async def record_failure(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, key: str, *, now: datetime
) -> tuple[int, timedelta | None]:
    """Count one more failure of this client (atomically); returns it and any new lockout."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    upsert = (
        insert(LoginThrottle)
        .values(user_id=user_id, client_key=key, failures=1, locked_until=None, updated_at=now)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.user_id, LoginThrottle.client_key],
            set_={"failures": LoginThrottle.failures + 1, "updated_at": now},
        )
        .returning(LoginThrottle.failures)
    )
    failures = int((await session.execute(upsert)).scalar_one())
    delay = lockout_delay(settings, failures)
    if delay is not None:
        await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.user_id == user_id, LoginThrottle.client_key == key)
            .values(locked_until=now + delay)
            .execution_options(synchronize_session=False)
        )
    return failures, delay


async def clear(session: AsyncSession, user_id: uuid.UUID, key: str | None = None) -> None:
    """Forget the failures of one client (after its successful sign-in), or of every client."""
    stmt = delete(LoginThrottle).where(LoginThrottle.user_id == user_id)
    if key is not None:
        stmt = stmt.where(LoginThrottle.client_key == key)
    await session.execute(stmt.execution_options(synchronize_session=False))
