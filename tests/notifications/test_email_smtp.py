"""SMTP backend against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from outbox_fakes import SmtpSink, free_port
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.accounts.models import Locale, Role, User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.backends import SmtpBackend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email

API_KEY = "pe_live_7f3a9c.0c8d1b4e5f6a7b8c9d0e1f2a3b4c5d6e"


async def _upgrade_email_for(
    factory: async_sessionmaker[AsyncSession], *, email: str, locale: Locale, name: str
) -> None:
    """What the developer upgrade does: a user in their language, an email in the same tx."""
    async with factory() as session, session.begin():
        user = User(
            email=email, full_name=name, password_hash="x", role=Role.DEVELOPER, locale=locale
        )
        session.add(user)
        await session.flush()
        await enqueue_email(
            session,
            to=user.email,
            template="developer_upgrade",
            locale=user.locale,
            context={
                "full_name": user.full_name,
                "key_prefix": "pe_live_7f3a9c",
                "key_name": "CLI",
            },
            secret_context={"api_key": API_KEY},
            now=utcnow(),
        )


@pytest.mark.parametrize(
    ("locale", "subject", "phrase"),
    [
        (Locale.EN, "Your developer account is active: Pintar Ekspor API key", "Store this key"),
        (
            Locale.ID,
            "Akun developer Anda aktif: kunci API Pintar Ekspor",
            "Simpan kunci ini",
        ),
    ],
)
async def test_developer_upgrade_email_arrives_over_smtp_in_the_users_language(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    smtp_server: tuple[SmtpSink, int],
    locale: Locale,
    subject: str,
    phrase: str,
) -> None:
    sink, port = smtp_server
    address = f"dev-{locale.value}@outbox.test"
    await _upgrade_email_for(committed, email=address, locale=locale, name="Budi Santoso")

    smtp_settings = settings.model_copy(
        update={"email_backend": "smtp", "smtp_host": "127.0.0.1", "smtp_port": port}
    )
    worker = make_worker(SmtpBackend(smtp_settings))
    result = await worker.run_until_idle()
    assert result.sent == 1

    (mail,) = sink.messages
    assert mail.rcpt_tos == [address]
    assert mail.message["To"] == address
    assert mail.message["Subject"] == subject
    assert "no-reply@pintarekspor.local" in mail.mail_from
    assert mail.message.get_content_type() == "multipart/alternative"
    text, html = mail.part("plain"), mail.part("html")
    for body in (text, html):
        assert API_KEY in body
        assert phrase in body
        assert "Budi Santoso" in body

    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.status == EmailStatus.SENT
    assert row.secret_ciphertext is None


async def test_a_refused_recipient_fails_at_once(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    smtp_server: tuple[SmtpSink, int],
) -> None:
    sink, port = smtp_server
    sink.refuse.add("ghost@outbox.test")
    async with committed() as session, session.begin():
        await enqueue_email(
            session,
            to="ghost@outbox.test",
            template="welcome",
            locale="id",
            context={},
            now=utcnow(),
        )
    smtp_settings = settings.model_copy(update={"email_backend": "smtp", "smtp_port": port})
    result = await make_worker(SmtpBackend(smtp_settings)).run_once()
    assert result.failed == 1
    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.status == EmailStatus.FAILED
    assert row.last_error is not None
    assert "550" in row.last_error
    assert sink.messages == []


async def test_an_unreachable_smtp_server_is_retried(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, settings: Settings
) -> None:
    async with committed() as session, session.begin():
        await enqueue_email(
            session,
            to="a@outbox.test",
            template="welcome",
            locale="id",
            context={},
            now=utcnow(),
        )
    smtp_settings = settings.model_copy(
        update={"email_backend": "smtp", "smtp_port": free_port(), "smtp_timeout_seconds": 2}
    )
    result = await make_worker(SmtpBackend(smtp_settings)).run_once()
    assert result.retried == 1
    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.status == EmailStatus.PENDING
    assert row.last_error is not None
    assert row.last_error.startswith("SMTP error")
