"""Brute-force protection: lockout with a growing delay, and answers that reveal nothing."""

from __future__ import annotations

from typing import Any

import httpx2
from accounts_helpers import PASSWORD, PROBLEM, login, register, without_request_id
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from factories import create_user
from pintar_ekspor.accounts.models import LoginThrottle, User
from pintar_ekspor.accounts.security import build_password_hasher
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings

WRONG = "Wrong-Password-123"


async def _fail(client: httpx2.AsyncClient, email: str, times: int) -> httpx2.Response:
    response = None
    for _ in range(times):
        response = await login(client, email, WRONG)
        assert response.status_code == 401
    assert response is not None
    return response


async def test_unknown_email_and_wrong_password_answer_identically(
    client: httpx2.AsyncClient,
) -> None:
    await register(client, "known@example.com")
    wrong_password = await login(client, "known@example.com", WRONG)
    unknown_email = await login(client, "nobody@example.com", WRONG)
    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert "set-cookie" not in response.headers
    assert without_request_id(wrong_password.json()) == without_request_id(unknown_email.json())
    assert wrong_password.json()["detail"] == "Incorrect email or password."
    same_headers = {"content-type", "www-authenticate", "content-length"}
    assert {k: v for k, v in wrong_password.headers.items() if k in same_headers} == {
        k: v for k, v in unknown_email.headers.items() if k in same_headers
    }


async def test_lockout_engages_after_n_failures_and_lifts_after_the_delay(
    client: httpx2.AsyncClient, clock: ManualClock, settings: Settings, db_session: AsyncSession
) -> None:
    """Acceptance: N failures lock the account for this client. The right password then
    hears that the account is temporarily locked and when to try again (the owner proved who
    they are); a wrong one keeps the generic answer. After the delay the right password
    works again."""
    await register(client, "target@example.com")
    assert settings.login_max_failures == 10
    wrong = await _fail(client, "target@example.com", settings.login_max_failures)

    locked = await login(client, "target@example.com", PASSWORD)
    assert locked.status_code == 401
    assert locked.json()["code"] == "account_locked"
    assert locked.json()["retry_after_seconds"] == settings.login_lockout_base_seconds
    assert locked.headers["retry-after"] == str(settings.login_lockout_base_seconds)
    still_wrong = await login(client, "target@example.com", WRONG)
    assert without_request_id(still_wrong.json()) == without_request_id(wrong.json())
    user = await db_session.scalar(select(User).where(User.email == "target@example.com"))
    assert user is not None
    throttle = await db_session.scalar(
        select(LoginThrottle).where(LoginThrottle.user_id == user.id)
    )
    assert throttle is not None
    assert throttle.locked_until is not None

    clock.advance(settings.login_lockout_base_seconds - 1)
    assert (await login(client, "target@example.com", PASSWORD)).status_code == 401
    clock.advance(2)
    unlocked = await login(client, "target@example.com", PASSWORD)
    assert unlocked.status_code == 200, unlocked.text
    await db_session.refresh(user)
    assert user.failed_logins == 0
    assert (
        await db_session.scalar(select(LoginThrottle).where(LoginThrottle.user_id == user.id))
        is None
    )


async def test_the_delay_grows_with_each_failure_after_the_threshold(
    client: httpx2.AsyncClient, clock: ManualClock, settings: Settings
) -> None:
    base = settings.login_lockout_base_seconds
    await register(client, "growing@example.com")
    await _fail(client, "growing@example.com", settings.login_max_failures)
    clock.advance(base + 1)
    await _fail(client, "growing@example.com", 1)  # failure N+1: locked for 2 * base
    clock.advance(base + 1)
    assert (await login(client, "growing@example.com", PASSWORD)).status_code == 401
    clock.advance(base)
    assert (await login(client, "growing@example.com", PASSWORD)).status_code == 200


async def test_attempts_during_a_lockout_do_not_extend_it(
    client: httpx2.AsyncClient, clock: ManualClock, settings: Settings
) -> None:
    await register(client, "steady@example.com")
    await _fail(client, "steady@example.com", settings.login_max_failures + 5)
    clock.advance(settings.login_lockout_base_seconds + 1)
    assert (await login(client, "steady@example.com", PASSWORD)).status_code == 200


async def test_the_failure_count_survives_the_401(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine
) -> None:
    await register(committed_client, "persist@example.com")
    await _fail(committed_client, "persist@example.com", 3)
    async with AsyncSession(engine) as fresh:
        user = await fresh.scalar(select(User).where(User.email == "persist@example.com"))
        assert user is not None
        assert user.failed_logins == 3


async def test_unknown_emails_never_lock_and_answer_like_wrong_passwords(
    client: httpx2.AsyncClient, settings: Settings
) -> None:
    await register(client, "real@example.com")
    real = await _fail(client, "real@example.com", settings.login_max_failures + 1)
    ghost = await _fail(client, "ghost@example.com", settings.login_max_failures + 1)
    assert without_request_id(real.json()) == without_request_id(ghost.json())


async def test_a_deactivated_account_gets_the_same_generic_answer(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    await create_user(db_session, settings, email="gone@example.com", is_active=False)
    response = await login(client, "gone@example.com", "Rahasia-Ekspor-2026!")
    assert response.status_code == 401
    assert response.json()["detail"] == "Incorrect email or password."


async def test_login_rehashes_when_argon2_parameters_change(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    weaker = settings.model_copy(update={"password_hash_time_cost": 2})
    old_hash = build_password_hasher(weaker).hash(PASSWORD)
    user = await create_user(db_session, settings, email="rehash@example.com", password=PASSWORD)
    user.password_hash = old_hash
    await db_session.flush()
    response = await login(client, "rehash@example.com", PASSWORD)
    assert response.status_code == 200
    await db_session.refresh(user)
    assert user.password_hash != old_hash
    assert "t=1" in user.password_hash  # the configured time cost
    assert (await login(client, "rehash@example.com", PASSWORD)).status_code == 200


async def test_a_stranger_cannot_lock_the_owner_out(
    app: Any, client: httpx2.AsyncClient, settings: Settings
) -> None:
    """Issue 11 item 9: failures from one client lock that client only."""
    await register(client, "owner@example.com")
    transport = httpx2.ASGITransport(app=app, client=("198.51.100.66", 40000))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as stranger:
        await _fail(stranger, "owner@example.com", settings.login_max_failures + 3)
        # Brute force from that client is still stopped: even the right password fails.
        assert (await login(stranger, "owner@example.com", PASSWORD)).status_code == 401
    owner = await login(client, "owner@example.com", PASSWORD)
    assert owner.status_code == 200, owner.text


async def test_ipv6_clients_are_counted_per_64_prefix(
    app: Any, client: httpx2.AsyncClient, settings: Settings
) -> None:
    await register(client, "six@example.com")
    for host in range(settings.login_max_failures):
        transport = httpx2.ASGITransport(app=app, client=(f"2001:db8:1:2::{host + 1:x}", 1))
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await _fail(c, "six@example.com", 1)
    transport = httpx2.ASGITransport(app=app, client=("2001:db8:1:2::ffff", 1))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as same_net:
        assert (await login(same_net, "six@example.com", PASSWORD)).status_code == 401
    transport = httpx2.ASGITransport(app=app, client=("2001:db8:9:9::1", 1))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await login(other, "six@example.com", PASSWORD)).status_code == 200
