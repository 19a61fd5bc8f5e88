"""Admin actions on another account: unlock, log out everywhere, its security events; and
the audit chain's verification status."""

from __future__ import annotations

import httpx2
from accounts_helpers import PASSWORD, login, register
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import assert_problem
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings

USERS = "/api/v1/admin/users"


async def test_admin_unlocks_logs_out_and_reads_security_events(
    client: httpx2.AsyncClient,
    settings: Settings,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
) -> None:
    await register(client, "target@example.com")
    first = await login(client, "target@example.com")
    refresh = first.json()["refresh_token"]
    for _ in range(settings.login_max_failures):
        await login(client, "target@example.com", "Wrong-Password-123")
    assert (await login(client, "target@example.com")).status_code == 401
    user = await db_session.scalar(select(User).where(User.email == "target@example.com"))
    assert user is not None
    assert user.locked_until is not None

    r = await client.post(f"{USERS}/{user.id}/unlock", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["locked_until"] is None
    assert r.json()["failed_logins"] == 0
    assert (await login(client, "target@example.com", PASSWORD)).status_code == 200

    r = await client.post(f"{USERS}/{user.id}/logout-all", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["revoked"] >= 2
    client.cookies.clear()
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert r.status_code == 401

    r = await client.get(f"{USERS}/{user.id}/security-events", headers=admin_headers)
    actions = [e["action"] for e in r.json()["items"]]
    assert {"LOGIN", "LOGIN_FAILED", "USER_UNLOCKED", "LOGOUT"} <= set(actions), actions
    assert_problem(
        await client.post(
            f"{USERS}/00000000-0000-4000-8000-000000000000/unlock", headers=admin_headers
        ),
        404,
    )


async def test_audit_chain_verification_reports_the_head(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await register(client, "someone@example.com")
    r = await client.get("/api/v1/admin/audit-logs/verification", headers=admin_headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    assert body["rows_checked"] >= 1
    assert len(body["head_hash"]) == 64
    newest = (await client.get("/api/v1/admin/audit-logs", headers=admin_headers)).json()
    assert newest["items"][0]["hash"] == body["head_hash"]
