"""Failure drill: the SMTP server is down for a while, then starts; nothing is lost.

E-mails queued while nothing listens are retried with back-off (pending, never failed within
the attempt budget), and once a real aiosmtpd server comes up on that port every one of them
is delivered, each exactly once.
"""

from __future__ import annotations

from typing import Any

from aiosmtpd.controller import Controller
from outbox_fakes import SmtpSink, free_port
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.backends import SmtpBackend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email

ADDRESSES = [f"drill{n}@outbox.test" for n in range(5)]


async def _statuses(factory: async_sessionmaker[AsyncSession]) -> list[EmailStatus]:
    async with factory() as session:
        return [row.status for row in await session.scalars(select(EmailOutbox))]


async def test_emails_queued_while_smtp_is_down_are_delivered_after(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    clock: ManualClock,
) -> None:
    async with committed() as session, session.begin():
        for address in ADDRESSES:
            await enqueue_email(
                session, to=address, template="welcome", locale="id", context={}, now=utcnow()
            )
    port = free_port()
    smtp = settings.model_copy(
        update={"email_backend": "smtp", "smtp_port": port, "smtp_timeout_seconds": 2}
    )
    worker = make_worker(SmtpBackend(smtp))

    for _ in range(3):  # down: every pass retries, nothing fails for good
        result = await worker.run_once()
        assert result.sent == 0
        clock.advance(3600)
    assert set(await _statuses(committed)) == {EmailStatus.PENDING}

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()  # the SMTP server comes (late)
    try:
        sent = 0
        for _ in range(5):
            sent += (await worker.run_once()).sent
            if sent == len(ADDRESSES):
                break
            clock.advance(3600)
    finally:
        controller.stop()
    assert sent == len(ADDRESSES)
    assert set(await _statuses(committed)) == {EmailStatus.SENT}
    assert sorted(rcpt for mail in sink.messages for rcpt in mail.rcpt_tos) == sorted(ADDRESSES)
