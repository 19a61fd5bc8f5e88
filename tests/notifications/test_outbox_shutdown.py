"""Graceful shutdown of the e-mail worker: what it had claimed goes back to the queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from outbox_fakes import RecordingBackend
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.backends import build_backend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email


@pytest.fixture
async def silent_smtp() -> AsyncIterator[tuple[int, asyncio.Event]]:
    """An SMTP server that accepts connections and never says a word (a hung provider)."""
    connected = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []

    async def handle(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        connected.set()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port, connected
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


async def _rows(factory: async_sessionmaker[AsyncSession]) -> list[EmailOutbox]:
    async with factory() as session:
        return list((await session.scalars(select(EmailOutbox))).all())


async def test_cancelled_pass_releases_its_claims(
    committed: async_sessionmaker[AsyncSession],
    settings: Settings,
    make_worker: Any,
    silent_smtp: tuple[int, asyncio.Event],
) -> None:
    port, connected = silent_smtp
    async with committed() as session, session.begin():
        for n in range(2):
            await enqueue_email(
                session,
                to=f"user{n}@outbox.test",
                template="welcome",
                locale="en",
                context={},
                now=utcnow(),
            )
    smtp = settings.model_copy(
        update={"email_backend": "smtp", "smtp_port": port, "smtp_timeout_seconds": 60}
    )
    backend = build_backend(smtp)
    worker = make_worker(backend)
    delivering = asyncio.create_task(worker.run_once())
    await asyncio.wait_for(connected.wait(), 10)
    claimed = await _rows(committed)
    assert {row.status for row in claimed} == {EmailStatus.SENDING}

    delivering.cancel()  # what the lifespan does on SIGTERM once its grace period is over
    with pytest.raises(asyncio.CancelledError):
        await delivering
    await backend.aclose()

    rows = await _rows(committed)
    assert {row.status for row in rows} == {EmailStatus.PENDING}
    assert all(row.claim_token is None and row.locked_until is None for row in rows)
    assert all(row.attempts == 0 for row in rows)  # an interrupted try is not counted

    recording = RecordingBackend()
    result = await make_worker(recording).run_until_idle()
    assert result.sent == 2  # delivered at once by the next worker, nothing lost
    assert sorted(m.to for m in recording.sent) == ["user0@outbox.test", "user1@outbox.test"]
