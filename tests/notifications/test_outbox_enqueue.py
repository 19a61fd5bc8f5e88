"""Enqueueing: validation, encryption of secrets at rest, transactions, templates."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from outbox_fakes import RecordingBackend
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.crypto import decrypt_secrets, encrypt_secrets
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.rendering import TEMPLATES, render_email
from pintar_ekspor.notifications.service import enqueue_email

API_KEY = "pe_live_abc123.SuperSecretKeyMaterial0123456789"
UPGRADE_CONTEXT = {"full_name": "Siti Rahma", "key_prefix": "pe_live_abc123", "key_name": "Default"}
COMPLETION_CONTEXT = {
    "course_title": "Dasar Ekspor",
    "completed_at": "2026-12-01T10:00:00+00:00",
    "certificate_code": "PE-AAAA-BBBB-CCCC",
    "certificate_url": "http://127.0.0.1:8000/certificates/PE-AAAA-BBBB-CCCC",
    "link": "http://127.0.0.1:8000/reset-password?token=abc",
    "expires_minutes": 30,
}


async def test_enqueue_stores_a_pending_row_with_the_secret_encrypted(
    db_session: AsyncSession, settings: Settings
) -> None:
    row = await enqueue_email(
        db_session,
        to="  siti@example.com ",
        template="developer_upgrade",
        locale="en",
        context=UPGRADE_CONTEXT,
        secret_context={"api_key": API_KEY},
        now=utcnow(),
    )
    assert isinstance(row, EmailOutbox)
    stored = (await db_session.scalars(select(EmailOutbox))).one()
    assert stored.id == row.id
    assert stored.status == EmailStatus.PENDING
    assert stored.attempts == 0
    assert stored.to_address == "siti@example.com"
    assert stored.context == UPGRADE_CONTEXT
    assert stored.secret_ciphertext is not None

    # Nowhere in the raw row is the key in plain text.
    raw = (await db_session.execute(text("SELECT * FROM email_outbox"))).one()
    assert all(API_KEY not in str(value) for value in raw)
    key = settings.data_encryption_key.get_secret_value()
    assert decrypt_secrets(key, stored.secret_ciphertext) == {"api_key": API_KEY}


async def test_emails_without_secrets_store_no_ciphertext(db_session: AsyncSession) -> None:
    row = await enqueue_email(
        db_session,
        to="a@example.com",
        template="password_changed",
        locale="id",
        context={},
        now=utcnow(),
    )
    assert row.secret_ciphertext is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"template": "no_such_template"}, "unknown email template"),
        ({"template": "developer_upgrade", "secret_context": None}, "needs secret_context"),
        ({"template": "api_key_rotated", "secret_context": {}}, "needs secret_context"),
        (
            {
                "template": "api_key_created",
                "context": {"api_key": API_KEY},
                "secret_context": {"api_key": API_KEY},
            },
            "must go in secret_context",
        ),
        ({"template": "welcome", "to": "not-an-address"}, "invalid recipient"),
        ({"template": "welcome", "context": {"when": object()}}, "JSON-serialisable"),
    ],
)
async def test_programming_errors_are_rejected_at_enqueue_time(
    db_session: AsyncSession, kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"to": "a@example.com", "locale": "id", "context": {}, "now": utcnow()}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        await enqueue_email(db_session, **args)
    assert (await db_session.scalars(select(EmailOutbox))).all() == []


@pytest.mark.parametrize(
    ("given", "stored"), [("en", "en"), ("EN-us", "en"), ("id", "id"), ("fr", "id"), ("", "id")]
)
async def test_locale_is_normalised_with_indonesian_as_default(
    db_session: AsyncSession, given: str, stored: str
) -> None:
    row = await enqueue_email(
        db_session,
        to="a@example.com",
        template="welcome",
        locale=given,
        context={},
        now=utcnow(),
    )
    assert row.locale == stored


async def test_a_rolled_back_transaction_sends_nothing(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    async with committed() as session:
        await enqueue_email(
            session,
            to="a@example.com",
            template="welcome",
            locale="id",
            context={},
            now=utcnow(),
        )
        await session.rollback()
    backend = RecordingBackend()
    result = await make_worker(backend).run_until_idle()
    assert result.claimed == 0
    assert backend.sent == []


async def test_a_committed_transaction_always_gets_its_email(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    async with committed() as session, session.begin():
        await enqueue_email(
            session,
            to="a@example.com",
            template="welcome",
            locale="en",
            context={},
            now=utcnow(),
        )
    backend = RecordingBackend()
    await make_worker(backend).run_until_idle()
    assert [e.subject for e in backend.sent] == ["Welcome to Pintar Ekspor"]


def test_ciphertext_is_not_readable_with_another_key() -> None:
    from pintar_ekspor.notifications.crypto import SecretDecryptionError

    token = encrypt_secrets("key-one-key-one-key-one-key-one-00", {"api_key": "x"})
    with pytest.raises(SecretDecryptionError):
        decrypt_secrets("key-two-key-two-key-two-key-two-00", token)


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_in_both_languages(template: str, locale: str) -> None:
    variables = {**UPGRADE_CONTEXT, **COMPLETION_CONTEXT, "api_key": API_KEY}
    rendered = render_email(template, locale, variables)
    assert rendered.subject
    assert "\n" not in rendered.subject
    assert rendered.text.strip()
    assert rendered.html.strip()
    assert f'<html lang="{locale}">' in rendered.html
    needs_key = "api_key" in TEMPLATES[template].secrets
    assert (API_KEY in rendered.text) is needs_key
    assert (API_KEY in rendered.html) is needs_key


def test_subjects_follow_the_language() -> None:
    variables = {**UPGRADE_CONTEXT, "api_key": API_KEY}
    assert "developer" in render_email("developer_upgrade", "en", variables).subject
    assert render_email("welcome", "id", {}).subject == "Selamat datang di Pintar Ekspor"
    assert render_email("welcome", "en", {}).subject == "Welcome to Pintar Ekspor"


def test_html_escapes_user_supplied_values_and_text_keeps_them() -> None:
    rendered = render_email("welcome", "en", {"full_name": "<script>alert(1)</script>"})
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text


def test_templates_ship_as_package_data() -> None:
    root = files("pintar_ekspor.notifications") / "templates"
    for template in TEMPLATES:
        for locale in ("id", "en"):
            for suffix in ("subject.txt", "txt", "html"):
                assert (root / locale / f"{template}.{suffix}").is_file()


def test_dates_are_written_out_in_the_email_language() -> None:
    variables = {"api_key": API_KEY, "expires_at": "2027-01-05T10:05:00+00:00"}
    assert "5 Januari 2027, 10:05 UTC" in render_email("api_key_created", "id", variables).text
    assert "5 January 2027, 10:05 UTC" in render_email("api_key_rotated", "en", variables).html
    changed = render_email("password_changed", "en", {"changed_at": "2026-11-23T03:00:00+07:00"})
    assert "23 November 2026, 20:00 UTC" not in changed.text
    assert "22 November 2026, 20:00 UTC" in changed.text
    assert "valid until" not in render_email("api_key_created", "en", {"api_key": "k"}).text
