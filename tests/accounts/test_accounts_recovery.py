"""Password reset and e-mail verification: enumeration-safe requests, single-use hashed
tokens that expire, sessions revoked, audit events, and the welcome e-mail's link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx2
from accounts_helpers import PASSWORD, bearer, emails_to, login, register, signed_in
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from factories import assert_problem
from pintar_ekspor.accounts.models import AccountToken, User
from pintar_ekspor.audit.models import AuditLog
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.crypto import decrypt_secrets
from pintar_ekspor.notifications.models import EmailOutbox

API = "/api/v1"
NEW_PASSWORD = "Lada-Hitam-Lampung-2027"


def _token(settings: Settings, email: EmailOutbox) -> str:
    """The raw token from the link in an outbox row (only there, and encrypted)."""
    assert email.secret_ciphertext is not None
    secrets = decrypt_secrets(
        settings.data_encryption_key.get_secret_value(), email.secret_ciphertext
    )
    return parse_qs(urlparse(secrets["link"]).query)["token"][0]


async def _reset_token(
    client: httpx2.AsyncClient, db: AsyncSession, settings: Settings, address: str
) -> str:
    r = await client.post(f"{API}/auth/password-reset", json={"email": address})
    assert r.status_code == 202, r.text
    mails = [e for e in await emails_to(db, address) if e.template == "password_reset"]
    return _token(settings, mails[-1])


async def test_request_answers_the_same_for_known_and_unknown_addresses(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    await signed_in(client, "known@example.com")
    known = await client.post(f"{API}/auth/password-reset", json={"email": "Known@Example.com"})
    unknown = await client.post(f"{API}/auth/password-reset", json={"email": "ghost@example.com"})
    assert (known.status_code, unknown.status_code) == (202, 202)
    assert known.json() == unknown.json()
    assert [e.template for e in await emails_to(db_session, "known@example.com")][-1] == (
        "password_reset"
    )
    assert await emails_to(db_session, "ghost@example.com") == []


async def test_reset_sets_the_password_once_and_ends_every_session(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    session = await signed_in(client, "reset@example.com")
    token = await _reset_token(client, db_session, settings, "reset@example.com")
    # Hashed at rest: the raw token is in no row.
    stored = (await db_session.scalars(select(AccountToken.token_hash))).all()
    assert token not in stored
    assert len(stored[-1]) == 64

    weak = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": "password"}
    )
    assert_problem(weak, 422)
    r = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert r.status_code == 204, r.text  # the weak attempt did not spend the link

    assert (await login(client, "reset@example.com")).status_code == 401
    assert (await login(client, "reset@example.com", NEW_PASSWORD)).status_code == 200
    refresh = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert refresh.status_code == 401
    again = await client.post(
        f"{API}/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert_problem(again, 422, code="invalid_account_token")

    events = (await db_session.scalars(select(AuditLog.action))).all()
    assert "PASSWORD_RESET" in events
    assert token not in str((await db_session.scalars(select(AuditLog.details))).all())
    templates = [e.template for e in await emails_to(db_session, "reset@example.com")]
    assert templates[-1] == "password_changed"


async def test_expired_and_superseded_tokens_are_refused(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    await signed_in(client, "late@example.com")
    first = await _reset_token(client, db_session, settings, "late@example.com")
    second = await _reset_token(client, db_session, settings, "late@example.com")
    body = {"new_password": NEW_PASSWORD}
    assert_problem(
        await client.post(f"{API}/auth/password-reset/confirm", json={"token": first, **body}),
        422,
        code="invalid_account_token",
    )
    await db_session.execute(
        update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    assert_problem(
        await client.post(f"{API}/auth/password-reset/confirm", json={"token": second, **body}),
        422,
        code="invalid_account_token",
    )
    assert_problem(
        await client.post(f"{API}/auth/password-reset/confirm", json={"token": "x" * 43, **body}),
        422,
        code="invalid_account_token",
    )


async def test_welcome_email_verifies_the_address(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    created = await register(client, "verify@example.com")
    assert created.json()["email_verified_at"] is None
    [welcome] = await emails_to(db_session, "verify@example.com")
    assert welcome.template == "welcome"
    assert "token" not in str(welcome.context)  # the link rests encrypted
    token = _token(settings, welcome)

    r = await client.post(f"{API}/auth/verify-email", json={"token": token})
    assert r.status_code == 200, r.text
    assert r.json()["email_verified_at"] is not None
    user = (await db_session.scalars(select(User).where(User.email == "verify@example.com"))).one()
    assert user.email_verified_at is not None
    assert_problem(
        await client.post(f"{API}/auth/verify-email", json={"token": token}),
        422,
        code="invalid_account_token",
    )
    access = (await login(client, "verify@example.com", PASSWORD)).json()["access_token"]
    assert_problem(
        await client.post(f"{API}/users/me/verification-email", headers=bearer(access)),
        409,
        code="email_already_verified",
    )


async def test_send_again_replaces_the_previous_link(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    body = await signed_in(client, "again@example.com")
    [welcome] = await emails_to(db_session, "again@example.com")
    r = await client.post(
        f"{API}/users/me/verification-email", headers=bearer(body["access_token"])
    )
    assert r.status_code == 202
    resent = [
        e for e in await emails_to(db_session, "again@example.com") if e.template == "verify_email"
    ]
    assert len(resent) == 1
    assert_problem(
        await client.post(f"{API}/auth/verify-email", json={"token": _token(settings, welcome)}),
        422,
    )
    ok = await client.post(f"{API}/auth/verify-email", json={"token": _token(settings, resent[0])})
    assert ok.status_code == 200
    assert_problem(await client.post(f"{API}/users/me/verification-email"), 401)
