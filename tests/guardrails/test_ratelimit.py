"""Rate limits: auth/general/api classes, headers, sliding window, client IP behind proxies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts import api_keys
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.core.ratelimit import MemoryWindowStorage, RateLimiter, parse_rule
from pintar_ekspor.core.security import TrustedProxies

PROBLEM = "application/problem+json"
BAD_LOGIN = {"email": "nobody@example.com", "password": "not-the-password"}


def _assert_refused(response: Any, *, rule: str) -> int:
    assert response.status_code == 429
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 429
    assert body["code"] == "rate_limited"
    assert rule in body["detail"]
    assert response.headers["ratelimit-remaining"] == "0"
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    return retry_after


async def test_21st_login_attempt_from_one_ip_is_refused(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app()  # defaults: auth 20 per 60 s
    async with client_for(app, ip="198.51.100.20") as client:
        for attempt in range(20):
            response = await client.post("/api/v1/auth/login", json=BAD_LOGIN)
            assert response.status_code == 401, response.text
            assert response.headers["ratelimit-limit"] == "20"
            assert response.headers["ratelimit-remaining"] == str(19 - attempt)
            assert 1 <= int(response.headers["ratelimit-reset"]) <= 60
            assert response.headers["ratelimit-policy"] == "20;w=60"
        refused = await client.post("/api/v1/auth/login", json=BAD_LOGIN)
        retry_after = _assert_refused(refused, rule="auth")
        assert retry_after <= 60
        assert refused.headers["ratelimit-limit"] == "20"
    # The refusal is counted for operators (/metrics answers loopback clients by default).
    async with client_for(app) as operator:
        metrics = (await operator.get("/metrics")).text
    assert 'rate_limit_rejections_total{limit="auth"} 1.0' in metrics
    async with client_for(app, ip="198.51.100.21") as other:
        response = await other.post("/api/v1/auth/login", json=BAD_LOGIN)
        assert response.status_code == 401
        assert response.headers["ratelimit-remaining"] == "19"


async def test_window_slides_instead_of_resetting(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    clock = ManualClock(start=1_000_000.0)
    app = make_app(rate_limit_auth="20/60")
    app.state.rate_limiter = RateLimiter(
        MemoryWindowStorage(clock=clock),
        app.state.rate_limiter.rules,
        metrics=app.state.metrics,
        clock=clock,
    )

    async def attempt(client: Any) -> Any:
        # An invalid body: the limiter counts it without any password hashing.
        return await client.post("/api/v1/auth/login", json={})

    # The storage reads the limiter's clock, so the manual clock moves the window too.
    async with client_for(app) as client:
        for i in range(10):  # t = 0
            response = await attempt(client)
            assert response.status_code == 422
            assert response.headers["ratelimit-remaining"] == str(19 - i)
            assert response.headers["ratelimit-reset"] == "60"
        clock.advance(30)
        for i in range(10):  # t = 30
            response = await attempt(client)
            assert response.headers["ratelimit-remaining"] == str(9 - i)
            # The oldest hit (t = 0) frees its slot at t = 60.
            assert response.headers["ratelimit-reset"] == "30"
        assert _assert_refused(await attempt(client), rule="auth") == 30

        clock.advance(29)  # t = 59
        assert _assert_refused(await attempt(client), rule="auth") == 1

        clock.advance(2)  # t = 61: the ten hits of t = 0 left the window, not all twenty
        for i in range(10):
            response = await attempt(client)
            assert response.status_code == 422
            assert response.headers["ratelimit-remaining"] == str(9 - i)
        # A fixed bucket would have reset at t = 60 and allowed twenty here.
        assert _assert_refused(await attempt(client), rule="auth") == 29


async def test_health_metrics_and_docs_are_never_limited(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(rate_limit_general="2/60")
    async with client_for(app) as client:
        for _ in range(5):
            for path in (
                "/health",
                "/metrics",
                "/docs",
                "/docs/assets/swagger-ui.css",
                "/api/v1/openapi.json",
            ):
                response = await client.get(path)
                assert response.status_code == 200, path
                assert "ratelimit-limit" not in response.headers, path
        assert (await client.get("/api/v1/users/me")).status_code == 401
        assert (await client.get("/api/v1/users/me")).status_code == 401
        _assert_refused(await client.get("/api/v1/users/me"), rule="general")


async def test_general_limit_is_per_user_and_per_anonymous_ip(
    make_app: Callable[..., Any],
    client_for: Callable[..., Any],
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    app = make_app(rate_limit_general="3/60")
    alice = await create_user(db_session, settings)
    bob = await create_user(db_session, settings)
    async with client_for(app) as client:
        for left in (2, 1, 0):
            response = await client.get("/api/v1/users/me", headers=auth_headers(settings, alice))
            assert response.status_code == 200
            assert response.headers["ratelimit-remaining"] == str(left)
        _assert_refused(
            await client.get("/api/v1/users/me", headers=auth_headers(settings, alice)),
            rule="general",
        )
        # Same address, other account: its own window.
        response = await client.get("/api/v1/users/me", headers=auth_headers(settings, bob))
        assert response.status_code == 200
        assert response.headers["ratelimit-remaining"] == "2"
        # Anonymous, and a token with a forged signature, count against the address.
        anonymous = await client.get("/api/v1/users/me")
        assert anonymous.status_code == 401
        assert anonymous.headers["ratelimit-remaining"] == "2"
        forged = auth_headers(settings, alice)["Authorization"][:-4] + "AAAA"
        response = await client.get("/api/v1/users/me", headers={"Authorization": forged})
        assert response.status_code == 401
        assert response.headers["ratelimit-remaining"] == "1"


async def test_the_limiter_counts_the_caller_the_app_authenticates(
    make_app: Callable[..., Any],
    client_for: Callable[..., Any],
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    """One credential parser: with two Authorization headers the app signs in with the first,
    so a signed-in user cannot escape their budget by adding a fresh `ApiKey` header."""
    app = make_app(rate_limit_general="3/60", rate_limit_api="100/60")
    alice = await create_user(db_session, settings)
    bearer = auth_headers(settings, alice)["Authorization"]
    async with client_for(app) as client:
        for n, left in enumerate((2, 1, 0)):
            headers = [("Authorization", bearer), ("Authorization", f"ApiKey pe_live_fresh{n}")]
            response = await client.get("/api/v1/users/me", headers=headers)
            assert response.status_code == 200, response.text
            assert response.headers["ratelimit-remaining"] == str(left)
        headers = [("Authorization", bearer), ("Authorization", "ApiKey pe_live_fresh9")]
        _assert_refused(await client.get("/api/v1/users/me", headers=headers), rule="general")


async def test_api_keys_are_limited_per_key_and_forged_keys_per_address(
    make_app: Callable[..., Any],
    client_for: Callable[..., Any],
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    app = make_app(rate_limit_api="3/60", rate_limit_general="5/60")
    developer = await create_user(db_session, settings, role=Role.DEVELOPER)
    _, raw_key = await api_keys.issue_key(
        db_session,
        settings,
        developer,
        name="bench",
        expires_at=None,
        now=utcnow(),
        email_template=None,
    )
    async with client_for(app, ip="203.0.113.9") as client:
        # A valid key: its own window of the `api` size, whichever header carries it.
        for left, headers in (
            (2, {"X-API-Key": raw_key}),
            (1, {"Authorization": f"ApiKey {raw_key}"}),
            (0, {"X-API-Key": raw_key}),
        ):
            response = await client.get("/api/v1/users/me", headers=headers)
            assert response.status_code == 200, response.text
            assert response.headers["ratelimit-limit"] == "3"
            assert response.headers["ratelimit-remaining"] == str(left)
        _assert_refused(
            await client.get("/api/v1/users/me", headers={"X-API-Key": raw_key}), rule="api"
        )
        # Successful key requests did not use the address's general window.
        anonymous = await client.get("/api/v1/users/me")
        assert anonymous.headers["ratelimit-remaining"] == "4"

        # Forged keys: each string counts against itself, and every rejection against the
        # address, so inventing a new key per request does not escape the limit.
        for i in range(4):
            response = await client.get("/api/v1/users/me", headers={"X-API-Key": f"pe_fake{i}"})
            assert response.status_code == 401
            assert response.headers["ratelimit-limit"] == "3"
        _assert_refused(
            await client.get("/api/v1/users/me", headers={"X-API-Key": "pe_fake_new"}),
            rule="general",
        )
        _assert_refused(await client.get("/api/v1/users/me"), rule="general")
    async with client_for(app, ip="203.0.113.10") as other:
        response = await other.get("/api/v1/users/me", headers={"X-API-Key": "pe_fake0"})
        assert response.status_code == 401
        assert response.headers["ratelimit-remaining"] == "1"  # pe_fake0 was tried once before


async def test_spoofed_forwarded_for_from_untrusted_peer_is_ignored(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(rate_limit_auth="3/60", trusted_proxies=[])
    async with client_for(app, ip="192.0.2.50") as client:
        for i in range(3):
            response = await client.post(
                "/api/v1/auth/login", json={}, headers={"X-Forwarded-For": f"10.9.9.{i}"}
            )
            assert response.status_code == 422
        refused = await client.post(
            "/api/v1/auth/login", json={}, headers={"X-Forwarded-For": "10.9.9.200"}
        )
        _assert_refused(refused, rule="auth")


async def test_trusted_proxy_forwarded_for_identifies_the_client(
    make_app: Callable[..., Any], client_for: Callable[..., Any]
) -> None:
    app = make_app(rate_limit_auth="3/60", trusted_proxies=["10.0.0.0/8"])
    async with client_for(app, ip="10.0.0.2") as proxy:
        for _ in range(3):
            response = await proxy.post(
                "/api/v1/auth/login", json={}, headers={"X-Forwarded-For": "203.0.113.5"}
            )
            assert response.status_code == 422
        # The client prepends a fake hop; the proxy appended the real address on the right.
        spoofed = await proxy.post(
            "/api/v1/auth/login",
            json={},
            headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.5"},
        )
        _assert_refused(spoofed, rule="auth")
        other = await proxy.post(
            "/api/v1/auth/login", json={}, headers={"X-Forwarded-For": "203.0.113.6"}
        )
        assert other.status_code == 422
        assert other.headers["ratelimit-remaining"] == "2"


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),  # untrusted peer: header ignored
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5, 10.0.0.7", "203.0.113.5"),  # two of our proxies
        ("10.0.0.2", "1.1.1.1, 203.0.113.5", "203.0.113.5"),  # right-most untrusted wins
        ("10.0.0.2", "10.0.0.5, 10.0.0.6", "10.0.0.5"),  # all ours: left-most
        ("10.0.0.2", "not-an-ip, 10.0.0.6", "10.0.0.6"),  # garbage stops the walk
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
        ("fd00::2", "203.0.113.5", "203.0.113.5"),
    ],
)
def test_client_address_resolution(peer: str, header: str | None, expected: str) -> None:
    proxies = TrustedProxies(["10.0.0.0/8", "fd00::/8"])
    assert proxies.resolve(peer, header) == expected


def test_limit_specs_parse() -> None:
    rule = parse_rule("auth", "20/60")
    assert (rule.limit, rule.window) == (20, 60)
    rule = parse_rule("general", "100/minute")
    assert (rule.limit, rule.window) == (100, 60)
    with pytest.raises(ValueError, match="positive"):
        parse_rule("api", "0/60")


async def test_memory_sweep_frees_expired_windows_only() -> None:
    clock = ManualClock(start=2_000_000.0)
    rule = parse_rule("general", "3/60")
    storage = MemoryWindowStorage(clock=clock)
    storage.keys_per_sweep = 2  # several passes over the keys
    limiter = RateLimiter(storage, {"general": rule}, clock=clock)
    for n in range(5):
        decision = await limiter.hit(rule, f"old-{n}")
        assert decision is not None
    clock.advance(45)
    for _ in range(2):
        await limiter.hit(rule, "recent")
    clock.advance(20)  # old-* windows have expired; "recent" is 20 s old
    while True:
        storage.sweep()
        if not storage._pending:
            break
    assert set(storage.events) == {"LIMITER/general/recent/3/60/second"}
    decision = await limiter.hit(rule, "recent")
    assert decision is not None
    assert (decision.allowed, decision.remaining) == (True, 0)
    refused = await limiter.hit(rule, "recent")
    assert refused is not None
    assert not refused.allowed
