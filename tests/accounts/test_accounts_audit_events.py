"""Security events reach the audit trail, survive 401 answers, and never hold secrets."""

from __future__ import annotations

import httpx2
from accounts_helpers import PASSWORD, bearer, login, signed_in
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.audit.models import AuditLog
from pintar_ekspor.core.config import Settings

REFRESH = "/api/v1/auth/refresh"


async def _events(engine: AsyncEngine) -> list[AuditLog]:
    async with AsyncSession(engine) as fresh:
        return list(await fresh.scalars(select(AuditLog).order_by(AuditLog.seq)))


async def test_security_events_are_recorded_without_secrets(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    tokens = await signed_in(committed_client, "audited@example.com")
    user_id = tokens["user"]["id"]
    # A second session, untouched by the reuse below.
    other = (await login(committed_client, "audited@example.com", PASSWORD)).json()
    headers = bearer(other["access_token"])

    # Refresh reuse (answered 401) and failed logins up to a lockout (answered 401).
    first = tokens["refresh_token"]
    await committed_client.post(REFRESH, json={"refresh_token": first})
    assert (await committed_client.post(REFRESH, json={"refresh_token": first})).status_code == 401
    # The reuse ended that session: its access token stops at once.
    me = await committed_client.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert (me.status_code, me.json()["code"]) == (401, "session_revoked")
    for _ in range(settings.login_max_failures):
        assert (
            await login(committed_client, "audited@example.com", "Wrong-Guess-99")
        ).status_code == 401
    assert (await login(committed_client, "ghost@example.com", "Wrong-Guess-99")).status_code == 401

    # Developer upgrade and key lifecycle.
    session = await login(committed_client, "audited@example.com", PASSWORD)
    assert session.status_code == 401  # locked, so use the other session's access token
    upgrade = await committed_client.post("/api/v1/developer/upgrade", headers=headers)
    assert upgrade.status_code == 201
    raw_key = upgrade.json()["api_key"]["key"]
    key_id = upgrade.json()["api_key"]["id"]
    rotated = await committed_client.post(
        f"/api/v1/developer/keys/{key_id}/rotate", headers=headers
    )
    new_key = rotated.json()["key"]
    await committed_client.delete(f"/api/v1/developer/keys/{rotated.json()['id']}", headers=headers)

    events = await _events(engine)
    actions = [e.action for e in events if e.user_id is not None and str(e.user_id) == user_id]
    for expected in (
        "LOGIN",
        "REFRESH_REUSE",
        "LOGIN_FAILED",
        "LOCKOUT",
        "DEVELOPER_UPGRADE",
        "API_KEY_CREATED",
        "API_KEY_ROTATED",
        "API_KEY_REVOKED",
    ):
        assert expected in actions, (expected, actions)
    assert actions.count("LOCKOUT") == 1
    unknown = [e for e in events if e.action == "LOGIN_FAILED" and e.user_id is None]
    assert unknown
    assert unknown[0].details == {"reason": "unknown_email"}

    dumped = repr([(e.details, e.old_values, e.new_values) for e in events])
    for secret in (PASSWORD, first, tokens["access_token"], raw_key, new_key, "Wrong-Guess-99"):
        assert secret not in dumped


async def test_password_change_role_change_and_deactivation_are_recorded(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as setup:
        admin = await create_user(setup, settings, role=Role.ADMIN)
        await setup.commit()
    admin_headers = auth_headers(settings, admin)
    tokens = await signed_in(committed_client, "changes@example.com")
    user_id = tokens["user"]["id"]
    changed = await committed_client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "Lada-Putih-Bangka-42"},
        headers=bearer(tokens["access_token"]),
    )
    assert changed.status_code == 204
    for body in ({"role": "developer"}, {"is_active": False}):
        response = await committed_client.patch(
            f"/api/v1/admin/users/{user_id}", json=body, headers=admin_headers
        )
        assert response.status_code == 200
    await committed_client.post("/api/v1/auth/logout-all", headers=admin_headers)
    events = await _events(engine)
    actions = [e.action for e in events if str(e.user_id) == user_id]
    for expected in ("PASSWORD_CHANGED", "ROLE_CHANGED", "USER_DEACTIVATED"):
        assert expected in actions, (expected, actions)
    role_change = next(e for e in events if e.action == "ROLE_CHANGED")
    assert role_change.details == {"from": "learner", "to": "developer"}
    assert role_change.actor_user_id == admin.id
    assert "LOGOUT" in [e.action for e in events if e.user_id == admin.id]
