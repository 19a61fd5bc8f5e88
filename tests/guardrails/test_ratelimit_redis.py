"""Rate limits on Redis: one count across processes, and fail-open while Redis is down."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from redis.asyncio import Redis

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.ratelimit import RateLimiter

pytestmark = pytest.mark.redis

ANONYMOUS_PATH = "/api/v1/users/me"  # 401 for anonymous callers, limited by `general`


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is required in CI", pytrace=False)
    pytest.skip(f"{what} is not available")


@pytest.fixture
async def key_prefix(redis_url: str) -> AsyncIterator[str]:
    """A Redis key namespace of this test only, removed afterwards."""
    prefix = f"pintar-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx2.AsyncClient() as client:
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            try:
                if (await client.get(url, timeout=1)).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_two_processes_share_one_limit(
    redis_url: str, key_prefix: str, tmp_path: Path
) -> None:
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for n in range(2):
            port = _free_port()
            env = {
                **os.environ,
                "ENV": "test",
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / f'app{n}.db'}",
                "REDIS_URL": redis_url,
                "RATE_LIMIT_KEY_PREFIX": key_prefix,
                "RATE_LIMIT_GENERAL": "10/60",
                "EMAIL_WORKER_ENABLED": "false",
                "ANALYTICS_WORKERS": "1",
                "FRONTEND_DIST": str(tmp_path / "no-frontend"),
                "LOG_LEVEL": "WARNING",
            }
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "pintar_ekspor.main:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=tmp_path,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, base in servers:
            await _wait_until_up(f"{base}/health", process)

        async with httpx2.AsyncClient() as client:
            remaining = []
            for i in range(10):
                _, base = servers[i % 2]  # alternate between the two processes
                response = await client.get(f"{base}{ANONYMOUS_PATH}")
                assert response.status_code == 401, response.text
                remaining.append(int(response.headers["ratelimit-remaining"]))
            assert remaining == list(range(9, -1, -1))
            for _, base in servers:
                refused = await client.get(f"{base}{ANONYMOUS_PATH}")
                assert refused.status_code == 429
                assert int(refused.headers["retry-after"]) >= 1
            ready = await client.get(f"{servers[0][1]}/health/ready")
            assert ready.json()["checks"]["redis"]["status"] == "UP"
    finally:
        for process, _ in servers:
            _stop(process)


class RedisServer:
    """A private redis-server on a free port that a test can stop and start again."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = Redis.from_url(self.url)
        try:
            for _ in range(100):
                try:
                    await client.ping()
                    return
                except Exception:
                    await asyncio.sleep(0.05)
            raise RuntimeError("redis-server did not start")
        finally:
            await client.aclose()

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


@pytest.fixture
async def private_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("redis-server")
        raise AssertionError  # unreachable: _missing skips or fails
    server = RedisServer(binary, tmp_path)
    await server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_redis_outage_fails_open_and_limits_resume(
    private_redis: RedisServer,
    make_app: Callable[..., Any],
    client_for: Callable[..., Any],
) -> None:
    app = make_app(redis_url=private_redis.url, rate_limit_general="5/60")
    limiter = app.state.rate_limiter
    limiter.backend_retry_seconds = 0.0  # retry Redis on every request in this test
    try:
        async with client_for(app) as client:
            for left in (4, 3):
                response = await client.get(ANONYMOUS_PATH)
                assert response.headers["ratelimit-remaining"] == str(left)

            private_redis.stop()
            for _ in range(10):  # more than the limit: nothing is refused while Redis is gone
                response = await client.get(ANONYMOUS_PATH)
                assert response.status_code == 401
                assert "ratelimit-remaining" not in response.headers
            metrics = (await client.get("/metrics")).text
            errors = next(
                line
                for line in metrics.splitlines()
                if line.startswith("rate_limit_backend_errors_total ")
            )
            assert float(errors.split()[1]) >= 10

            await private_redis.start()  # an empty Redis: the count starts again
            response = await client.get(ANONYMOUS_PATH)
            for _ in range(3):  # the first command may meet a stale pooled connection
                if "ratelimit-remaining" in response.headers:
                    break
                response = await client.get(ANONYMOUS_PATH)
            assert response.headers["ratelimit-remaining"] == "4"
            for left in (3, 2, 1, 0):
                response = await client.get(ANONYMOUS_PATH)
                assert response.headers["ratelimit-remaining"] == str(left)
            refused = await client.get(ANONYMOUS_PATH)
            assert refused.status_code == 429
    finally:
        await limiter.aclose()


async def test_redis_window_is_exact_and_shared_with_limits(
    redis_url: str, key_prefix: str, settings: Settings
) -> None:
    clock = ManualClock()
    limiter = RateLimiter.from_settings(
        settings.model_copy(
            update={
                "redis_url": redis_url,
                "rate_limit_key_prefix": key_prefix,
                "rate_limit_general": "3/60",
            }
        ),
        clock=clock,
    )
    rule = limiter.rule("general")
    try:
        remaining = []
        for _ in range(3):
            decision = await limiter.hit(rule, "ip:192.0.2.1")
            assert decision is not None
            assert decision.allowed
            remaining.append(decision.remaining)
            clock.advance(10)
        assert remaining == [2, 1, 0]
        refused = await limiter.hit(rule, "ip:192.0.2.1")
        assert refused is not None
        assert not refused.allowed
        assert refused.reset_after == 30  # the first hit (t = 0) leaves at t = 60; now t = 30
        # limits' own reading of the same Redis list agrees.
        peeked = await limiter.peek(rule, "ip:192.0.2.1")
        assert peeked is not None
        assert (peeked.allowed, peeked.remaining) == (False, 0)
        clock.advance(31)  # t = 61: only the first hit has left the window
        decision = await limiter.hit(rule, "ip:192.0.2.1")
        assert decision is not None
        assert (decision.allowed, decision.remaining) == (True, 0)
        assert decision.reset_after == 9  # the t = 10 hit leaves at t = 70
    finally:
        await limiter.aclose()
