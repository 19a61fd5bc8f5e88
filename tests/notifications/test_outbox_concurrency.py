"""Several workers, one outbox: every email is delivered exactly once (counted by the receiver).

On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED; on SQLite the single writer serialises
claims. Both variants run with whichever database the suite targets.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path
from typing import Any

from outbox_fakes import FakeEmailApi, http_settings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_engine, create_session_factory, utcnow
from pintar_ekspor.notifications.backends import HttpApiBackend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email

N_EMAILS = 200


async def _enqueue_many(factory: async_sessionmaker[AsyncSession], n: int) -> None:
    async with factory() as session, session.begin():
        for i in range(n):
            await enqueue_email(
                session,
                to=f"bulk{i}@outbox.test",
                template="api_key_created",
                locale="en",
                context={"key_name": f"k{i}"},
                secret_context={"api_key": f"secret-{i}"},
                now=utcnow(),
            )


async def _status_counts(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with factory() as session:
        rows = await session.execute(
            select(EmailOutbox.status, func.count()).group_by(EmailOutbox.status)
        )
        return {status.value: count for status, count in rows.all()}


async def test_two_workers_with_their_own_pools_deliver_200_emails_exactly_once(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    database_url: str,
    email_api: FakeEmailApi,
) -> None:
    await _enqueue_many(committed, N_EMAILS)
    engines = [create_engine(database_url) for _ in range(2)]  # as two processes would
    backends = [HttpApiBackend(http_settings(settings, email_api)) for _ in engines]
    try:
        workers = [
            make_worker(backend, factory=create_session_factory(engine), batch_size=10)
            for engine, backend in zip(engines, backends, strict=True)
        ]
        results = await asyncio.gather(*(w.run_until_idle() for w in workers))
    finally:
        for backend in backends:
            await backend.aclose()
        for engine in engines:
            await engine.dispose()

    assert len(email_api.delivered) == N_EMAILS
    assert len(email_api.per_key) == N_EMAILS
    assert set(email_api.per_key.values()) == {1}
    assert sum(r.sent for r in results) == N_EMAILS
    assert all(r.sent > 0 for r in results), [r.sent for r in results]  # both took part
    assert await _status_counts(committed) == {EmailStatus.SENT.value: N_EMAILS}


async def test_two_worker_processes_deliver_200_emails_exactly_once(
    committed: async_sessionmaker[AsyncSession],
    settings: Settings,
    database_url: str,
    email_api: FakeEmailApi,
    tmp_path: Path,
) -> None:
    """Two real `pintar-ekspor emails send-due` processes racing over the same outbox."""
    await _enqueue_many(committed, N_EMAILS)
    env = {
        **os.environ,
        "ENV": "test",
        "DATABASE_URL": database_url,
        "AUTO_MIGRATE": "false",
        "DATA_ENCRYPTION_KEY": settings.data_encryption_key.get_secret_value(),
        "EMAIL_BACKEND": "http",
        "EMAIL_API_BASE_URL": email_api.base_url,
        "EMAIL_API_KEY": email_api.api_key,
        "LOG_LEVEL": "WARNING",
    }
    cli = Path(sys.executable).with_name("pintar-ekspor")
    procs = [
        await asyncio.create_subprocess_exec(
            str(cli),
            "emails",
            "send-due",
            env=env,
            cwd=tmp_path,  # no stray .env from the repository
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await p.communicate() for p in procs]
    sent_by_process = []
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
        match = re.search(rb"sent (\d+)", out)
        assert match, out
        sent_by_process.append(int(match.group(1)))
    assert sum(sent_by_process) == N_EMAILS

    assert len(email_api.delivered) == N_EMAILS
    assert set(email_api.per_key.values()) == {1}
    assert len(email_api.per_key) == N_EMAILS
    assert await _status_counts(committed) == {EmailStatus.SENT.value: N_EMAILS}
