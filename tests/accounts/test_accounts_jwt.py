"""Access-token validation: only well-formed, correctly signed, current access tokens pass."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx2
import jwt
import pytest
from accounts_helpers import PROBLEM, bearer, signed_in
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.core.config import Settings

ME = "/api/v1/users/me"
OTHER_SECRET = "another-secret-that-is-also-long-enough-0123456789"


def _claims(settings: Settings, user_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "role": "learner",
        "type": "access",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(settings: Settings, claims: dict[str, Any], secret: str | None = None) -> str:
    return jwt.encode(claims, secret or settings.jwt_secret.get_secret_value(), "HS256")


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_a_valid_token_is_accepted(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    response = await client.get(ME, headers=bearer(_sign(settings, _claims(settings, user.id))))
    assert response.status_code == 200
    assert response.json()["id"] == str(user.id)


async def test_a_refresh_token_sent_as_bearer_is_401(client: httpx2.AsyncClient) -> None:
    tokens = await signed_in(client, "bearer-refresh@example.com")
    response = await client.get(ME, headers=bearer(tokens["refresh_token"]))
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "case",
    [
        "other_secret",
        "expired",
        "alg_none",
        "wrong_aud",
        "wrong_iss",
        "type_refresh",
        "no_type",
        "no_jti",
        "no_exp",
        "hs384_not_configured",
        "not_yet_valid",
        "garbage",
        "bad_sub",
    ],
)
async def test_bad_tokens_are_401(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, case: str
) -> None:
    user = await create_user(db_session, settings)
    now = int(time.time())
    makers: dict[str, Callable[[], str]] = {
        "other_secret": lambda: _sign(settings, _claims(settings, user.id), OTHER_SECRET),
        "expired": lambda: _sign(
            settings, _claims(settings, user.id, iat=now - 3600, nbf=now - 3600, exp=now - 60)
        ),
        "alg_none": lambda: (
            _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims(settings, user.id)) + "."
        ),
        "wrong_aud": lambda: _sign(settings, _claims(settings, user.id, aud="someone-else")),
        "wrong_iss": lambda: _sign(settings, _claims(settings, user.id, iss="evil-issuer")),
        "type_refresh": lambda: _sign(settings, _claims(settings, user.id, type="refresh")),
        "no_type": lambda: _sign(settings, _claims(settings, user.id, type=None)),
        "no_jti": lambda: _sign(settings, _claims(settings, user.id, jti=None)),
        "no_exp": lambda: _sign(settings, _claims(settings, user.id, exp=None)),
        "hs384_not_configured": lambda: jwt.encode(
            _claims(settings, user.id), settings.jwt_secret.get_secret_value(), "HS384"
        ),
        "not_yet_valid": lambda: _sign(settings, _claims(settings, user.id, nbf=now + 3600)),
        "garbage": lambda: "not.a.jwt",
        "bad_sub": lambda: _sign(settings, _claims(settings, user.id, sub="not-a-uuid")),
    }
    token = makers[case]()
    response = await client.get(ME, headers=bearer(token))
    assert response.status_code == 401, case
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] in ("invalid_token", "token_expired")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"],
)
async def test_malformed_authorization_headers_are_401(
    client: httpx2.AsyncClient, header: str
) -> None:
    response = await client.get(ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


async def test_no_credentials_is_401(client: httpx2.AsyncClient) -> None:
    response = await client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_role_comes_from_the_database_not_the_token(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    learner = await create_user(db_session, settings)
    forged_role = _sign(settings, _claims(settings, learner.id, role="admin"))
    response = await client.get("/api/v1/admin/users", headers=bearer(forged_role))
    assert response.status_code == 403
    assert (await client.get(ME, headers=auth_headers(settings, learner))).json()[
        "role"
    ] == "learner"
