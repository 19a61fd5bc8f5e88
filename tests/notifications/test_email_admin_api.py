"""Admin API of the outbox: list (filter, paging, no secrets) and retry of failed emails."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email

URL = "/api/v1/admin/emails"
API_KEY = "pe_live_adm.this-must-never-appear-in-the-admin-api"


async def _email(
    session: AsyncSession,
    *,
    status: EmailStatus = EmailStatus.PENDING,
    template: str = "api_key_created",
    to: str = "dev@example.com",
) -> EmailOutbox:
    secrets = {"api_key": API_KEY} if template.startswith("api_key_c") else None
    row = await enqueue_email(
        session,
        to=to,
        template=template,
        locale="id",
        context={"key_name": "Default"},
        secret_context=secrets,
        now=utcnow(),
    )
    row.status = status
    if status == EmailStatus.FAILED:
        row.attempts = 8
        row.last_error = "email API answered 503"
    await session.flush()
    return row


@pytest.fixture
async def admin_headers(db_session: AsyncSession, settings: Settings) -> dict[str, str]:
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    headers: dict[str, str] = auth_headers(settings, admin)
    return headers


async def test_admin_lists_emails_newest_first_without_secrets(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    await _email(db_session, to="one@example.com")
    await _email(db_session, to="two@example.com", status=EmailStatus.SENT)
    await _email(db_session, to="three@example.com", status=EmailStatus.FAILED)

    resp = await client.get(URL, headers=admin_headers)
    assert resp.status_code == 200
    body = resp.json()
    assert body["total"] == 3
    assert (body["limit"], body["offset"]) == (20, 0)
    item = body["items"][0]
    assert set(item) == {
        "id",
        "to",
        "template",
        "locale",
        "context",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
        "updated_at",
    }
    assert API_KEY not in resp.text
    assert "secret" not in resp.text
    assert "ciphertext" not in resp.text


async def test_status_filter_and_pagination(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    for i in range(3):
        await _email(db_session, to=f"f{i}@example.com", status=EmailStatus.FAILED)
    await _email(db_session, to="p@example.com")

    failed = (await client.get(URL, params={"status": "failed"}, headers=admin_headers)).json()
    assert failed["total"] == 3
    assert {i["status"] for i in failed["items"]} == {"failed"}
    assert failed["items"][0]["last_error"] == "email API answered 503"

    page = (
        await client.get(
            URL, params={"status": "failed", "limit": 2, "offset": 2}, headers=admin_headers
        )
    ).json()
    assert page["total"] == 3
    assert len(page["items"]) == 1

    pending = (await client.get(URL, params={"status": "pending"}, headers=admin_headers)).json()
    assert [i["to"] for i in pending["items"]] == ["p@example.com"]


async def test_template_filter(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    await _email(db_session, to="a@example.com", template="password_changed")
    await _email(db_session, to="b@example.com")
    params = {"template": "password_changed"}
    body = (await client.get(URL, params=params, headers=admin_headers)).json()
    assert body["total"] == 1
    assert body["items"][0]["to"] == "a@example.com"
    params = {"template": "password_changed", "status": "failed"}
    assert (await client.get(URL, params=params, headers=admin_headers)).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"status": "exploded"}, {"limit": 0}, {"limit": 101}, {"offset": -1}],
)
async def test_invalid_query_is_a_problem_json_422(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], params: dict[str, str | int]
) -> None:
    resp = await client.get(URL, params=params, headers=admin_headers)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")


async def test_only_admins_see_the_outbox(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    row = await _email(db_session, status=EmailStatus.FAILED)
    developer = await create_user(db_session, settings, role=Role.DEVELOPER)
    headers = auth_headers(settings, developer)

    anonymous = await client.get(URL)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(URL, headers=headers)).status_code == 403
    forbidden = await client.post(f"{URL}/{row.id}/retry", headers=headers)
    assert forbidden.status_code == 403
    assert (await client.post(f"{URL}/{row.id}/retry")).status_code == 401
    # Nothing changed.
    await db_session.refresh(row)
    assert row.status == EmailStatus.FAILED


async def test_retry_puts_a_failed_email_back_in_the_queue(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    row = await _email(db_session, status=EmailStatus.FAILED)
    resp = await client.post(f"{URL}/{row.id}/retry", headers=admin_headers)
    assert resp.status_code == 200
    body = resp.json()
    assert body["id"] == str(row.id)
    assert body["status"] == "pending"
    assert body["attempts"] == 0
    stored = (await db_session.scalars(select(EmailOutbox).where(EmailOutbox.id == row.id))).one()
    await db_session.refresh(stored)
    assert stored.status == EmailStatus.PENDING
    assert stored.secret_ciphertext is not None  # the key can still be delivered


async def test_the_app_clock_decides_when_a_retried_and_an_enqueued_email_are_due(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    settings: Settings,
) -> None:
    """Retry (admin route) and enqueue (a domain route's e-mail) take their time from
    `app.state.clock`, not the wall clock: a clock set years ahead shows in the rows."""
    ahead = datetime(2031, 5, 5, 7, 30, tzinfo=UTC)
    app.state.clock = ManualClock(start=ahead.timestamp())
    row = await _email(db_session, status=EmailStatus.FAILED)
    assert row.next_attempt_at < ahead

    resp = await client.post(f"{URL}/{row.id}/retry", headers=admin_headers)
    assert resp.status_code == 200
    assert datetime.fromisoformat(resp.json()["next_attempt_at"]) == ahead
    await db_session.refresh(row)
    assert (row.next_attempt_at, row.updated_at) == (ahead, ahead)

    # A password reset request enqueues its e-mail at the clock's time.
    user = await create_user(db_session, settings, email="clocked@example.com")
    sent = await client.post("/api/v1/auth/password-reset", json={"email": user.email})
    assert sent.status_code == 202
    mail = (
        await db_session.scalars(
            select(EmailOutbox).where(EmailOutbox.to_address == "clocked@example.com")
        )
    ).one()
    assert (mail.created_at, mail.next_attempt_at) == (ahead, ahead)

    app.state.clock.advance(90)
    later = await _email(db_session, status=EmailStatus.FAILED, template="password_changed")
    resp = await client.post(f"{URL}/{later.id}/retry", headers=admin_headers)
    assert datetime.fromisoformat(resp.json()["next_attempt_at"]) == datetime.fromtimestamp(
        ahead.timestamp() + 90, UTC
    )


@pytest.mark.parametrize("status", [EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.SENT])
async def test_retry_of_an_email_that_has_not_failed_is_409(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    status: EmailStatus,
) -> None:
    row = await _email(db_session, status=status)
    resp = await client.post(f"{URL}/{row.id}/retry", headers=admin_headers)
    assert resp.status_code == 409
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == "email_not_failed"


async def test_retry_after_the_secret_was_erased_is_409(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    row = await _email(db_session, status=EmailStatus.FAILED)
    row.secret_ciphertext = None
    await db_session.flush()
    resp = await client.post(f"{URL}/{row.id}/retry", headers=admin_headers)
    assert resp.status_code == 409
    assert resp.json()["code"] == "email_secret_expired"


async def test_retry_of_a_failed_email_without_secrets_works_after_any_time(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    row = await _email(db_session, status=EmailStatus.FAILED, template="password_changed")
    resp = await client.post(f"{URL}/{row.id}/retry", headers=admin_headers)
    assert resp.status_code == 200


async def test_retry_of_unknown_or_malformed_ids(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    missing = await client.post(f"{URL}/{uuid.uuid4()}/retry", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "email_not_found"
    malformed = await client.post(f"{URL}/not-a-uuid/retry", headers=admin_headers)
    assert malformed.status_code == 422


async def test_openapi_declares_the_admin_email_routes(client: httpx2.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    listing = spec["paths"]["/api/v1/admin/emails"]["get"]
    retry = spec["paths"]["/api/v1/admin/emails/{email_id}/retry"]["post"]
    assert listing["operationId"] == "listEmails"
    assert retry["operationId"] == "retryEmail"
    assert {"401", "403", "404", "409"} <= set(retry["responses"])
