"""End to end: POST /api/v1/developer/upgrade → outbox → worker → real SMTP server."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from outbox_fakes import FailingBackend, SmtpSink
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Locale, Role
from pintar_ekspor.core.config import Settings
from pintar_ekspor.notifications.backends import SmtpBackend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus

UPGRADE = "/api/v1/developer/upgrade"


@pytest.mark.parametrize(
    ("locale", "subject"),
    [
        (Locale.EN, "Your developer account is active: Pintar Ekspor API key"),
        (Locale.ID, "Akun developer Anda aktif: kunci API Pintar Ekspor"),
    ],
)
async def test_upgrade_emails_the_new_key_in_the_users_language(
    committed_client: httpx2.AsyncClient,
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    smtp_server: tuple[SmtpSink, int],
    locale: Locale,
    subject: str,
) -> None:
    sink, port = smtp_server
    async with committed() as session, session.begin():
        user = await create_user(
            session,
            settings,
            email=f"upgrade-{locale.value}@outbox.test",
            full_name="Dewi Lestari",
            locale=locale,
            role=Role.LEARNER,
        )
    resp = await committed_client.post(
        UPGRADE, json={"key_name": "Laptop"}, headers=auth_headers(settings, user)
    )
    assert resp.status_code == 201, resp.text
    raw_key = resp.json()["api_key"]["key"]

    # At rest before delivery: encrypted, never plain.
    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.template == "developer_upgrade"
    assert row.secret_ciphertext is not None
    assert raw_key not in row.secret_ciphertext
    assert raw_key not in str(row.context)

    smtp_settings = settings.model_copy(update={"email_backend": "smtp", "smtp_port": port})
    result = await make_worker(SmtpBackend(smtp_settings)).run_until_idle()
    assert result.sent == 1

    (mail,) = sink.messages
    assert mail.rcpt_tos == [user.email]
    assert mail.message["Subject"] == subject
    assert raw_key in mail.part("plain")
    assert raw_key in mail.part("html")
    assert "Laptop" in mail.part("plain")

    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.status == EmailStatus.SENT
    assert row.secret_ciphertext is None  # delivered: nothing secret left at rest


async def test_upgrade_succeeds_while_email_delivery_is_failing(
    committed_client: httpx2.AsyncClient,
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
) -> None:
    async with committed() as session, session.begin():
        user = await create_user(session, settings, email="down@outbox.test")
    resp = await committed_client.post(UPGRADE, headers=auth_headers(settings, user))
    assert resp.status_code == 201
    assert resp.json()["user"]["role"] == "developer"

    result = await make_worker(FailingBackend("SMTP server unreachable")).run_until_idle()
    assert result.retried == 1
    async with committed() as session:
        row = (await session.scalars(select(EmailOutbox))).one()
    assert row.status == EmailStatus.PENDING
    assert row.secret_ciphertext is not None  # kept, encrypted, for the next attempt
