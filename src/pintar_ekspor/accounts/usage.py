"""API calls per key, counted cheaply: in memory per request, added to the database in batches.

The middleware only bumps a counter in a dictionary keyed by (key id, UTC hour); a background
task (and shutdown) adds the counters to `api_key_usage` with one upsert per key and hour
(`requests = requests + n`), so several processes can flush into the same rows safely. A
crash loses at most one flush interval of counts, which is acceptable for usage statistics.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.accounts.models import ApiKey, ApiKeyUsage
from pintar_ekspor.core.db import session_scope, utcnow

log = structlog.get_logger("pintar_ekspor.usage")
UsageKey = tuple[uuid.UUID, datetime]


@dataclass
class Counts:
    requests: int = 0
    client_errors: int = 0
    server_errors: int = 0


class UsageBuffer:
    """Per-process counters of API-key calls, waiting to be flushed."""

    def __init__(self, now: Callable[[], datetime] = utcnow) -> None:
        self._now = now
        self._pending: dict[UsageKey, Counts] = {}

    def record(self, api_key_id: uuid.UUID, status: int) -> None:
        """Count one answered request made with `api_key_id` (no I/O, no await)."""
        hour = self._now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        counts = self._pending.setdefault((api_key_id, hour), Counts())
        counts.requests += 1
        if 400 <= status < 500:
            counts.client_errors += 1
        elif status >= 500:
            counts.server_errors += 1

    def take(self) -> dict[UsageKey, Counts]:
        """The pending counters, leaving the buffer empty."""
        pending, self._pending = self._pending, {}
        return pending

    def give_back(self, pending: dict[UsageKey, Counts]) -> None:
        """Return counters whose flush failed, so the next flush adds them."""
        for key, counts in pending.items():
            mine = self._pending.setdefault(key, Counts())
            mine.requests += counts.requests
            mine.client_errors += counts.client_errors
            mine.server_errors += counts.server_errors

    def __len__(self) -> int:
        return len(self._pending)


async def write_counts(session: AsyncSession, pending: dict[UsageKey, Counts]) -> None:
    """Add `pending` to `api_key_usage` (one multi-row upsert)."""
    if not pending:
        return
    rows = [
        {
            "api_key_id": key_id,
            "hour": hour,
            "requests": c.requests,
            "client_errors": c.client_errors,
            "server_errors": c.server_errors,
        }
        for (key_id, hour), c in sorted(pending.items(), key=lambda item: (item[0][0], item[0][1]))
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(ApiKeyUsage).values(rows)
    table = ApiKeyUsage.__table__.c
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.api_key_id, table.hour],
        set_={
            "requests": table.requests + stmt.excluded.requests,
            "client_errors": table.client_errors + stmt.excluded.client_errors,
            "server_errors": table.server_errors + stmt.excluded.server_errors,
        },
    )
    await session.execute(stmt)


async def flush(buffer: UsageBuffer, factory: async_sessionmaker[AsyncSession]) -> int:
    """Write the buffer in its own transaction; returns how many (key, hour) rows it added."""
    pending = buffer.take()
    if not pending:
        return 0
    try:
        async with session_scope(factory) as session:
            await write_counts(session, pending)
    except Exception:
        # A key deleted meanwhile (FK) or a database hiccup: keep the counts for next time,
        # except those of keys that no longer exist, which would fail forever.
        log.warning("api_usage_flush_failed", rows=len(pending), exc_info=True)
        buffer.give_back(await _existing_only(factory, pending))
        return 0
    return len(pending)


async def _existing_only(
    factory: async_sessionmaker[AsyncSession], pending: dict[UsageKey, Counts]
) -> dict[UsageKey, Counts]:
    ids = {key_id for key_id, _ in pending}
    try:
        async with session_scope(factory) as session:
            alive = set((await session.scalars(select(ApiKey.id).where(ApiKey.id.in_(ids)))).all())
    except Exception:
        return pending
    return {key: counts for key, counts in pending.items() if key[0] in alive}


class ApiUsageMiddleware:
    """Counts every answered request authenticated with an API key (after the response)."""

    def __init__(self, app: ASGIApp, buffer: UsageBuffer) -> None:
        self.app = app
        self.buffer = buffer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            # The auth dependency leaves the principal on request.state (= scope["state"]).
            principal = scope.get("state", {}).get("principal")
            key_id = getattr(principal, "api_key_id", None)
            if key_id is not None:
                self.buffer.record(key_id, status["code"])


@asynccontextmanager
async def usage_flusher(app: Any) -> AsyncIterator[None]:
    """Lifespan starter: flush the app's usage buffer periodically and once at shutdown."""
    buffer: UsageBuffer = app.state.usage_buffer
    factory = app.state.session_factory
    interval: float = app.state.settings.api_usage_flush_seconds
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
            await flush(buffer, factory)

    task = asyncio.create_task(loop(), name="api-usage-flusher")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
