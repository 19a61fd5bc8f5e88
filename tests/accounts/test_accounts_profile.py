"""The signed-in user's profile and password."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from accounts_helpers import PASSWORD, PROBLEM, bearer, emails_to, login, signed_in
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.config import Settings

ME = "/api/v1/users/me"
REFRESH = "/api/v1/auth/refresh"
NEW_PASSWORD = "Kayu-Manis-Kerinci-77"


async def test_get_me_with_a_token_runs_exactly_one_query(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, query_counter: Any
) -> None:
    user = await create_user(db_session, settings)
    headers = auth_headers(settings, user)
    query_counter.active = True
    response = await client.get(ME, headers=headers)
    query_counter.active = False
    assert response.status_code == 200
    assert response.json()["id"] == str(user.id)
    assert query_counter.count == 1, query_counter.statements


async def test_update_name_and_locale(client: httpx2.AsyncClient) -> None:
    tokens = await signed_in(client, "profile@example.com")
    response = await client.patch(
        ME,
        json={"full_name": "  Budi Santoso ", "locale": "en"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Budi Santoso"
    assert response.json()["locale"] == "en"
    again = await client.get(ME, headers=bearer(tokens["access_token"]))
    assert again.json()["locale"] == "en"


@pytest.mark.parametrize(
    "body",
    [
        {"role": "admin"},
        {"full_name": "X", "role": "developer"},
        {"is_active": True},
        {"email": "new@example.com"},
        {"password_hash": "x"},
        {"locale": "fr"},
    ],
)
async def test_profile_update_cannot_touch_anything_else(
    client: httpx2.AsyncClient, body: dict[str, Any]
) -> None:
    tokens = await signed_in(client, "mass-assign@example.com")
    response = await client.patch(ME, json=body, headers=bearer(tokens["access_token"]))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    me = (await client.get(ME, headers=bearer(tokens["access_token"]))).json()
    assert me["role"] == "learner"
    assert me["email"] == "mass-assign@example.com"


async def test_an_api_key_can_read_but_not_change_the_profile(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    dev = await create_user(db_session, settings, role=Role.DEVELOPER)
    _, raw = await create_api_key(db_session, settings, dev)
    assert (await client.get(ME, headers=api_key_headers(raw))).status_code == 200
    response = await client.patch(ME, json={"full_name": "Bot"}, headers=api_key_headers(raw))
    assert response.status_code == 403
    assert response.json()["code"] == "jwt_required"


async def test_change_password_ends_other_sessions_and_emails_the_user(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    this = await signed_in(client, "rotate-pw@example.com")
    other = (await login(client, "rotate-pw@example.com")).json()
    client.cookies.clear()
    response = await client.post(
        f"{ME}/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(this["access_token"]),
    )
    assert response.status_code == 204, response.text
    # The other device is signed out; this one keeps its session.
    assert (
        await client.post(REFRESH, json={"refresh_token": other["refresh_token"]})
    ).status_code == 401
    assert (
        await client.post(REFRESH, json={"refresh_token": this["refresh_token"]})
    ).status_code == 200
    assert (await login(client, "rotate-pw@example.com", PASSWORD)).status_code == 401
    assert (await login(client, "rotate-pw@example.com", NEW_PASSWORD)).status_code == 200
    templates = [e.template for e in await emails_to(db_session, "rotate-pw@example.com")]
    assert templates == ["welcome", "password_changed"]


async def test_change_password_needs_the_current_password(client: httpx2.AsyncClient) -> None:
    tokens = await signed_in(client, "wrong-current@example.com")
    response = await client.post(
        f"{ME}/password",
        json={"current_password": "Not-The-Password-1", "new_password": NEW_PASSWORD},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "wrong_password"
    assert response.json()["errors"][0]["field"] == "current_password"
    assert (await login(client, "wrong-current@example.com", PASSWORD)).status_code == 200


async def test_change_password_applies_the_policy(client: httpx2.AsyncClient) -> None:
    tokens = await signed_in(client, "weak-new@example.com")
    response = await client.post(
        f"{ME}/password",
        json={"current_password": PASSWORD, "new_password": "qwertyuiop"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_password"
    assert "too common" in response.json()["detail"]


async def test_change_password_needs_authentication(client: httpx2.AsyncClient) -> None:
    response = await client.post(
        f"{ME}/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401
