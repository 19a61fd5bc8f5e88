"""Issue 11 item 3: an access token stops working the moment its session ends.

Before, a logged-out, reused or password-changed session kept a working access token for up
to 15 minutes. Checked with the database as the revocation source (no Redis) and with the
shared Redis list, including Redis failing (the database answers then).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from accounts_helpers import PASSWORD, bearer, login, signed_in
from redis.asyncio import Redis

ME = "/api/v1/users/me"


async def _me(client: httpx2.AsyncClient, token: str) -> httpx2.Response:
    return await client.get(ME, headers=bearer(token))


def _ended(response: httpx2.Response) -> bool:
    return response.status_code == 401 and response.json()["code"] == "session_revoked"


@pytest.fixture(params=["database", "redis"])
async def revocation_client(
    request: pytest.FixtureRequest, app: Any, redis_url: str
) -> AsyncIterator[httpx2.AsyncClient]:
    """The app checking sessions against the database, or against a Redis list."""
    redis = None
    if request.param == "redis":
        redis = Redis.from_url(redis_url)
        app.state.redis = redis
        app.state.settings = app.state.settings.model_copy(
            update={"rate_limit_key_prefix": f"pintar-test-{uuid.uuid4().hex[:10]}"}
        )
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50002))
    try:
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c
    finally:
        if redis is not None:
            prefix = app.state.settings.rate_limit_key_prefix
            keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()


async def test_logout_ends_the_access_token_at_once(
    revocation_client: httpx2.AsyncClient,
) -> None:
    client = revocation_client
    tokens = await signed_in(client, "logout@example.com")
    other = (await login(client, "logout@example.com")).json()
    assert (await _me(client, tokens["access_token"])).status_code == 200
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert out.status_code == 204
    assert _ended(await _me(client, tokens["access_token"]))
    # Only that session ended.
    assert (await _me(client, other["access_token"])).status_code == 200


async def test_a_restart_does_not_revive_an_ended_session(
    client: httpx2.AsyncClient, app: Any
) -> None:
    tokens = await signed_in(client, "restart@example.com")
    await client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert _ended(await _me(client, tokens["access_token"]))
    app.state.revocation_list = None  # a new process: an empty in-process list
    assert _ended(await _me(client, tokens["access_token"]))


async def test_logout_all_ends_every_access_token(revocation_client: httpx2.AsyncClient) -> None:
    client = revocation_client
    first = await signed_in(client, "all@example.com")
    second = (await login(client, "all@example.com")).json()
    out = await client.post("/api/v1/auth/logout-all", headers=bearer(second["access_token"]))
    assert out.status_code == 204
    assert _ended(await _me(client, first["access_token"]))
    assert _ended(await _me(client, second["access_token"]))


async def test_refresh_reuse_ends_the_family_access_tokens(
    revocation_client: httpx2.AsyncClient,
) -> None:
    client = revocation_client
    tokens = await signed_in(client, "reuse@example.com")
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert rotated.status_code == 200
    fresh_access = rotated.json()["access_token"]
    assert (await _me(client, fresh_access)).status_code == 200
    reused = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert reused.status_code == 401
    assert _ended(await _me(client, tokens["access_token"]))
    assert _ended(await _me(client, fresh_access))


async def test_password_change_ends_the_other_sessions_only(
    revocation_client: httpx2.AsyncClient,
) -> None:
    client = revocation_client
    here = await signed_in(client, "change@example.com")
    elsewhere = (await login(client, "change@example.com")).json()
    changed = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "Kopi-Toraja-Baru-2027"},
        headers=bearer(here["access_token"]),
    )
    assert changed.status_code == 204, changed.text
    assert _ended(await _me(client, elsewhere["access_token"]))
    assert (await _me(client, here["access_token"])).status_code == 200


async def test_redis_failure_falls_back_to_the_database(app: Any, redis_url: str) -> None:
    """A Redis that cannot answer must not let a revoked token through."""
    app.state.redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50003))
    try:
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
            tokens = await signed_in(client, "noredis@example.com")
            assert (await _me(client, tokens["access_token"])).status_code == 200
            await client.post(
                "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
            )
            assert _ended(await _me(client, tokens["access_token"]))
    finally:
        await app.state.redis.aclose()
