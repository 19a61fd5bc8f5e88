"""Admin user management: search, filters, pagination totals, role and active changes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx2
import pytest
from accounts_helpers import PASSWORD, PROBLEM, bearer, login, signed_in
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Locale, Role, User
from pintar_ekspor.accounts.security import build_password_hasher
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow

USERS = "/api/v1/admin/users"


async def _admin_headers(session: AsyncSession, settings: Settings) -> dict[str, str]:
    admin = await create_user(session, settings, role=Role.ADMIN, email="root@example.com")
    return auth_headers(settings, admin)


async def _bulk_users(session: AsyncSession, settings: Settings, count: int, stem: str) -> None:
    """Insert many users in one statement with one precomputed hash (hashing is the slow part)."""
    if count == 0:
        return
    password_hash = build_password_hasher(settings).hash(PASSWORD)
    start = utcnow()
    await session.execute(
        insert(User),
        [
            {
                "id": uuid.uuid4(),
                "email": f"{stem}{i:03d}@example.com",
                "full_name": f"{stem.title()} Exporter {i}",
                "password_hash": password_hash,
                "role": Role.DEVELOPER if i % 3 == 0 else Role.LEARNER,
                "is_active": i % 10 != 0,
                "locale": Locale.ID,
                "failed_logins": 0,
                "created_at": start + timedelta(seconds=i),
                "updated_at": start,
            }
            for i in range(count)
        ],
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", USERS),
        ("GET", f"{USERS}/{uuid.uuid4()}"),
        ("PATCH", f"{USERS}/{uuid.uuid4()}"),
    ],
)
async def test_a_learner_cannot_reach_admin_routes(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, method: str, path: str
) -> None:
    learner = await create_user(db_session, settings)
    body = {"role": "admin"} if method == "PATCH" else None
    response = await client.request(
        method, path, json=body, headers=auth_headers(settings, learner)
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    anonymous = await client.request(method, path, json=body)
    assert anonymous.status_code == 401


async def test_a_learner_sending_role_admin_anywhere_stays_a_learner(
    client: httpx2.AsyncClient,
) -> None:
    tokens = await signed_in(client, "climber@example.com")
    headers = bearer(tokens["access_token"])
    me = (await client.get("/api/v1/users/me", headers=headers)).json()
    attempts = [
        ("PATCH", "/api/v1/users/me", {"role": "admin"}),
        ("PATCH", f"{USERS}/{me['id']}", {"role": "admin"}),
        ("POST", "/api/v1/developer/upgrade", {"role": "admin"}),
        ("POST", "/api/v1/developer/upgrade", {"key_name": "k", "role": "admin"}),
    ]
    for method, path, body in attempts:
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code in (403, 422), (path, response.status_code)
    assert (await client.get("/api/v1/users/me", headers=headers)).json()["role"] == "learner"


@pytest.mark.parametrize("count", [0, 1, 150])
async def test_list_totals_and_pages_with_0_1_and_150_users(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, count: int
) -> None:
    """Acceptance: the same search over 0, 1 and 150 matching users."""
    headers = await _admin_headers(db_session, settings)
    await _bulk_users(db_session, settings, count, "bulk")
    await _bulk_users(db_session, settings, 5, "other")  # never matched by the search

    first = (await client.get(USERS, params={"q": "BULK", "limit": 100}, headers=headers)).json()
    assert first["total"] == count
    assert len(first["items"]) == min(count, 100)
    assert first["limit"] == 100
    assert first["offset"] == 0
    second = (
        await client.get(USERS, params={"q": "bulk", "limit": 100, "offset": 100}, headers=headers)
    ).json()
    assert second["total"] == count
    assert len(second["items"]) == max(count - 100, 0)
    seen = [u["email"] for u in first["items"] + second["items"]]
    assert len(set(seen)) == count
    assert all(e.startswith("bulk") for e in seen)

    developers = sum(1 for i in range(count) if i % 3 == 0)
    active = sum(1 for i in range(count) if i % 10 != 0)
    by_role = (
        await client.get(USERS, params={"q": "bulk", "role": "developer"}, headers=headers)
    ).json()
    assert by_role["total"] == developers
    assert all(u["role"] == "developer" for u in by_role["items"])
    by_active = (
        await client.get(USERS, params={"q": "bulk", "is_active": "true"}, headers=headers)
    ).json()
    assert by_active["total"] == active
    inactive = (
        await client.get(USERS, params={"q": "bulk", "is_active": "false"}, headers=headers)
    ).json()
    assert inactive["total"] == count - active
    # The search matches names as well as emails.
    by_name = (await client.get(USERS, params={"q": "Bulk Exporter"}, headers=headers)).json()
    assert by_name["total"] == count
    everyone = (await client.get(USERS, headers=headers)).json()
    assert everyone["total"] == count + 5 + 1


async def test_list_search_treats_wildcards_literally(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    headers = await _admin_headers(db_session, settings)
    await create_user(db_session, settings, email="percent@example.com")
    response = await client.get(USERS, params={"q": "%"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"role": "superuser"}, {"is_active": "maybe"}],
)
async def test_list_rejects_bad_parameters(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    params: dict[str, str | int],
) -> None:
    headers = await _admin_headers(db_session, settings)
    response = await client.get(USERS, params=params, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


async def test_get_one_user_and_404(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    headers = await _admin_headers(db_session, settings)
    user = await create_user(db_session, settings, email="someone@example.com")
    response = await client.get(f"{USERS}/{user.id}", headers=headers)
    assert response.status_code == 200
    assert response.json()["email"] == "someone@example.com"
    assert "password_hash" not in response.json()
    missing = await client.get(f"{USERS}/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert (await client.get(f"{USERS}/not-a-uuid", headers=headers)).status_code == 422


async def test_admin_changes_role_and_name(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    headers = await _admin_headers(db_session, settings)
    user = await create_user(db_session, settings)
    response = await client.patch(
        f"{USERS}/{user.id}", json={"role": "developer", "full_name": "Dewi"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["role"] == "developer"
    assert response.json()["full_name"] == "Dewi"
    for body in ({"email": "x@example.com"}, {"password": "whatever-123"}, {"role": "root"}):
        bad = await client.patch(f"{USERS}/{user.id}", json=body, headers=headers)
        assert bad.status_code == 422


async def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    headers = auth_headers(settings, admin)
    # An inactive admin does not count as another admin.
    await create_user(db_session, settings, role=Role.ADMIN, is_active=False)
    for body in ({"role": "learner"}, {"is_active": False}, {"role": "developer"}):
        response = await client.patch(f"{USERS}/{admin.id}", json=body, headers=headers)
        assert response.status_code == 409, body
        assert response.json()["code"] == "last_admin"
    # With a second active admin, the first may step down.
    second = await create_user(db_session, settings, role=Role.ADMIN)
    response = await client.patch(f"{USERS}/{admin.id}", json={"role": "learner"}, headers=headers)
    assert response.status_code == 200
    # ...and the former admin has lost admin access at once.
    assert (await client.get(USERS, headers=headers)).status_code == 403
    second_headers = auth_headers(settings, second)
    last = await client.patch(
        f"{USERS}/{second.id}", json={"is_active": False}, headers=second_headers
    )
    assert last.status_code == 409


async def test_deactivation_stops_tokens_refresh_keys_and_login_at_once(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    headers = await _admin_headers(db_session, settings)
    tokens = await signed_in(client, "leaver@example.com")
    user_id = tokens["user"]["id"]
    # Make them a developer with a key first.
    await client.patch(f"{USERS}/{user_id}", json={"role": "developer"}, headers=headers)
    user = await db_session.get(User, uuid.UUID(user_id))
    assert user is not None
    _, raw_key = await create_api_key(db_session, settings, user)
    assert (
        await client.get("/api/v1/_probe/developer", headers=api_key_headers(raw_key))
    ).status_code == 200

    response = await client.patch(f"{USERS}/{user_id}", json={"is_active": False}, headers=headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False

    me = await client.get("/api/v1/users/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    probe = await client.get("/api/v1/_probe/developer", headers=api_key_headers(raw_key))
    assert probe.status_code == 401
    assert (await login(client, "leaver@example.com")).status_code == 401

    # Reactivation restores login, not the old sessions.
    await client.patch(f"{USERS}/{user_id}", json={"is_active": True}, headers=headers)
    assert (await login(client, "leaver@example.com")).status_code == 200
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_an_admin_api_key_cannot_manage_users(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    _, raw = await create_api_key(db_session, settings, admin)
    response = await client.get(USERS, headers=api_key_headers(raw))
    assert response.status_code == 403
