"""Registration, login (JSON and OAuth2 form), refresh rotation with reuse detection, logout."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import httpx2
import pytest
from accounts_helpers import (
    PASSWORD,
    PROBLEM,
    bearer,
    emails_to,
    login,
    register,
    signed_in,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from pintar_ekspor.accounts.models import RefreshToken, Role, User
from pintar_ekspor.core.clock import ManualClock

REFRESH = "/api/v1/auth/refresh"


async def test_register_creates_a_learner_and_queues_a_welcome_email(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    response = await register(client, "  Siti@Example.COM ", locale="en")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "siti@example.com"
    assert body["role"] == "learner"
    assert body["locale"] == "en"
    assert body["is_active"] is True
    assert "password" not in response.text
    assert "hash" not in response.text
    [email] = await emails_to(db_session, "siti@example.com")
    assert email.template == "welcome"
    assert email.locale == "en"


async def test_register_with_a_role_is_rejected_and_creates_nobody(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    response = await register(client, "sneaky@example.com", role="admin")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "role"
    user = await db_session.scalar(select(User).where(User.email == "sneaky@example.com"))
    assert user is None
    # Without the extra field the same person registers as a plain learner.
    response = await register(client, "sneaky@example.com")
    assert response.status_code == 201
    assert response.json()["role"] == "learner"


async def test_register_answers_alike_for_new_and_existing_addresses(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    """Issue 11 item 9: a 409 for a taken address let anyone enumerate accounts."""
    first = await register(client, "dup@example.com")
    assert first.status_code == 201
    again = await register(client, "DUP@Example.com")
    fresh = await register(client, "fresh@example.com")
    assert again.status_code == fresh.status_code == 201
    volatile = {"id", "created_at", "email"}
    assert {k: v for k, v in again.json().items() if k not in volatile} == {
        k: v for k, v in fresh.json().items() if k not in volatile
    }
    assert set(again.json()) == set(fresh.json())
    assert again.headers.keys() == fresh.headers.keys()
    # Nothing was created or changed; the owner was told by e-mail instead.
    users = await db_session.scalars(
        select(User).where(func.lower(User.email) == "dup@example.com")
    )
    [owner] = users.all()
    assert str(owner.id) == first.json()["id"] != again.json()["id"]
    templates = [e.template for e in await emails_to(db_session, "dup@example.com")]
    assert templates == ["welcome", "account_exists"]
    # The original password still signs in.
    assert (await login(client, "dup@example.com")).status_code == 200


async def test_register_checks_the_email_format(client: httpx2.AsyncClient) -> None:
    response = await register(client, "not-an-email")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("email", "password", "rule"),
    [
        ("short@example.com", "Ab3$short", "at least 10 characters"),
        ("same.as.email@example.com", "Same.As.Email@Example.com", "same as the email"),
        ("localpart123@example.com", "LocalPart123", "same as the email"),
        ("common@example.com", "Password123", "too common"),
        ("common2@example.com", "indonesia2026", "too common"),
    ],
)
async def test_register_enforces_the_password_policy(
    client: httpx2.AsyncClient, email: str, password: str, rule: str
) -> None:
    response = await register(client, email, password)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "weak_password"
    assert rule in body["detail"]
    assert body["errors"][0]["field"] == "password"
    assert rule in body["errors"][0]["message"]


async def test_login_returns_tokens_user_and_a_strict_http_only_cookie(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    await register(client, "cookie@example.com")
    response = await login(client, "COOKIE@example.com")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["refresh_token"]
    assert body["user"]["email"] == "cookie@example.com"
    assert body["user"]["role"] == "learner"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"pe_refresh={body['refresh_token']};")
    lowered = cookie.lower()
    assert "httponly" in lowered
    assert "samesite=strict" in lowered
    assert "path=/api/v1/auth" in lowered
    assert "secure" not in lowered  # test settings: not production
    me = await client.get("/api/v1/users/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == "cookie@example.com"
    user = await db_session.scalar(select(User).where(User.email == "cookie@example.com"))
    assert user is not None
    assert user.last_login_at is not None


async def test_oauth2_password_form_logs_in_for_the_swagger_authorize_button(
    client: httpx2.AsyncClient,
) -> None:
    await register(client, "swagger@example.com")
    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "swagger@example.com", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    wrong = await client.post(
        "/api/v1/auth/token", data={"username": "swagger@example.com", "password": "nope-nope-1"}
    )
    assert wrong.status_code == 401
    schema = (await client.get("/api/v1/openapi.json")).json()
    flows = [
        s["flows"]["password"]["tokenUrl"]
        for s in schema["components"]["securitySchemes"].values()
        if s["type"] == "oauth2"
    ]
    assert flows == ["/api/v1/auth/token"]


async def test_refresh_rotates_and_a_reused_token_revokes_the_whole_family(
    client: httpx2.AsyncClient,
) -> None:
    """Acceptance: register, login, refresh, refresh again with the old token: 401 for it
    and for the token the first refresh issued."""
    first = (await signed_in(client, "rotate@example.com"))["refresh_token"]
    rotated = await client.post(REFRESH, json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    assert rotated.json()["user"]["email"] == "rotate@example.com"

    reused = await client.post(REFRESH, json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.headers["content-type"] == PROBLEM
    assert reused.json()["code"] == "invalid_refresh_token"
    after_theft = await client.post(REFRESH, json={"refresh_token": second})
    assert after_theft.status_code == 401


async def test_reuse_revocation_is_committed_even_though_the_answer_is_401(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine
) -> None:
    first = (await signed_in(committed_client, "commit-reuse@example.com"))["refresh_token"]
    second = (await committed_client.post(REFRESH, json={"refresh_token": first})).json()[
        "refresh_token"
    ]
    assert (await committed_client.post(REFRESH, json={"refresh_token": first})).status_code == 401
    # Read back through a different connection: the revocation really reached the database.
    async with AsyncSession(engine) as fresh:
        row = await fresh.scalar(
            select(RefreshToken).where(
                RefreshToken.token_hash == hashlib.sha256(second.encode()).hexdigest()
            )
        )
        assert row is not None
        assert row.revoked_at is not None
        assert row.revoked_reason == "reuse"
    assert (await committed_client.post(REFRESH, json={"refresh_token": second})).status_code == 401


async def test_reuse_in_one_family_leaves_other_sessions_alone(client: httpx2.AsyncClient) -> None:
    phone = (await signed_in(client, "two-devices@example.com"))["refresh_token"]
    laptop = (await login(client, "two-devices@example.com")).json()["refresh_token"]
    client.cookies.clear()
    await client.post(REFRESH, json={"refresh_token": phone})
    assert (await client.post(REFRESH, json={"refresh_token": phone})).status_code == 401
    assert (await client.post(REFRESH, json={"refresh_token": laptop})).status_code == 200


async def test_refresh_reads_the_cookie_and_sets_the_next_one(client: httpx2.AsyncClient) -> None:
    await register(client, "browser@example.com")
    await login(client, "browser@example.com")
    assert client.cookies.get("pe_refresh")
    response = await client.post(REFRESH)  # no body at all, as the web app sends it
    assert response.status_code == 200, response.text
    new_token = response.json()["refresh_token"]
    assert response.headers["set-cookie"].startswith(f"pe_refresh={new_token};")
    assert (await client.post(REFRESH)).status_code == 200


async def test_refresh_without_any_token_is_401_and_clears_the_cookie(
    client: httpx2.AsyncClient,
) -> None:
    response = await client.post(REFRESH)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert "pe_refresh=" in response.headers["set-cookie"]
    assert "max-age=0" in response.headers["set-cookie"].lower()
    bogus = await client.post(REFRESH, json={"refresh_token": "made-up"})
    assert bogus.status_code == 401


async def test_an_access_token_is_not_a_refresh_token(client: httpx2.AsyncClient) -> None:
    tokens = await signed_in(client, "swap@example.com")
    response = await client.post(REFRESH, json={"refresh_token": tokens["access_token"]})
    assert response.status_code == 401


async def test_refresh_token_expires_after_seven_days(
    client: httpx2.AsyncClient, clock: ManualClock
) -> None:
    tokens = await signed_in(client, "expiry@example.com")
    clock.advance(7 * 24 * 3600 - 60)
    still = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    assert still.status_code == 200
    clock.advance(7 * 24 * 3600 + 1)  # the rotated token has its own seven days
    late = await client.post(REFRESH, json={"refresh_token": still.json()["refresh_token"]})
    assert late.status_code == 401


async def test_logout_revokes_the_family_and_clears_the_cookie(
    client: httpx2.AsyncClient,
) -> None:
    await register(client, "bye@example.com")
    tokens = (await login(client, "bye@example.com")).json()
    rotated = (await client.post(REFRESH)).json()["refresh_token"]
    response = await client.post("/api/v1/auth/logout")  # cookie only
    assert response.status_code == 204
    assert "max-age=0" in response.headers["set-cookie"].lower()
    for token in (tokens["refresh_token"], rotated):
        assert (await client.post(REFRESH, json={"refresh_token": token})).status_code == 401
    # Logging out again, or with nothing, is harmless.
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": "unknown"})
    ).status_code == 204


async def test_logout_all_ends_every_session(client: httpx2.AsyncClient) -> None:
    one = await signed_in(client, "all@example.com")
    two = (await login(client, "all@example.com")).json()
    client.cookies.clear()
    response = await client.post("/api/v1/auth/logout-all", headers=bearer(one["access_token"]))
    assert response.status_code == 204
    for tokens in (one, two):
        refreshed = await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 401
    assert (await client.post("/api/v1/auth/logout-all")).status_code == 401


async def test_database_holds_no_plain_refresh_token(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    tokens = await signed_in(client, "hashed@example.com")
    rotated = (await client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})).json()[
        "refresh_token"
    ]
    user = await db_session.scalar(select(User).where(User.email == "hashed@example.com"))
    assert user is not None
    assert user.role == Role.LEARNER
    table = RefreshToken.__table__
    rows = (
        (await db_session.execute(select(table).where(table.c.user_id == user.id))).mappings().all()
    )
    assert len(rows) == 2
    dumped = repr([dict(r) for r in rows])
    for raw in (tokens["refresh_token"], rotated):
        assert raw not in dumped
        assert hashlib.sha256(raw.encode()).hexdigest() in dumped
    assert len({r["family_id"] for r in rows}) == 1


async def test_unknown_user_id_in_a_valid_token_is_401(client: httpx2.AsyncClient) -> None:
    from pintar_ekspor.accounts.security import create_access_token
    from pintar_ekspor.core.config import Settings

    settings: Settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    token, _ = create_access_token(settings, user_id=uuid.uuid4(), role="admin")
    response = await client.get("/api/v1/users/me", headers=bearer(token))
    assert response.status_code == 401


async def test_two_simultaneous_refreshes_with_one_token_end_the_session(
    committed_client: httpx2.AsyncClient,
) -> None:
    """The row lock makes the second refresh see the first one's rotation: it counts as
    reuse, so exactly one succeeds and the family (including its new token) is revoked."""
    token = (await signed_in(committed_client, "race@example.com"))["refresh_token"]
    first, second = await asyncio.gather(
        committed_client.post(REFRESH, json={"refresh_token": token}),
        committed_client.post(REFRESH, json={"refresh_token": token}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 401]
    winner = first if first.status_code == 200 else second
    successor = winner.json()["refresh_token"]
    assert (
        await committed_client.post(REFRESH, json={"refresh_token": successor})
    ).status_code == 401


async def test_register_needs_a_name(client: httpx2.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "noname@example.com", "password": PASSWORD, "full_name": "   "},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "full_name"
