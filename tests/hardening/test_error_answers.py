"""Issue 11 items 1, 7 and 8: what an unexpected failure costs and looks like from outside.

1. A 500 costs milliseconds in every logging mode: the traceback is rendered (plain, no
   locals, bounded) and written by the logging thread, never on the event loop.
7. A database out of connections or out of reach answers 503 problem+json with Retry-After.
8. Error answers carry the same security headers and request id as every other answer.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from factories import assert_problem
from pintar_ekspor.core.db import create_session_factory
from pintar_ekspor.core.logging import (
    ACCESS_LOGGER,
    MAX_TRACEBACK_CHARS,
    configure_logging,
    flush_logs,
)


class BlockedStream(io.StringIO):
    """A log destination that hangs (a full pipe, a stuck disk) until the test releases it."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.writer_threads: set[str] = set()

    def write(self, s: str) -> int:
        self.writer_threads.add(threading.current_thread().name)
        self.release.wait(timeout=60)
        return super().write(s)

    def isatty(self) -> bool:
        return False


class WatchedRepr:
    """A local variable whose rendering is noticed (rich's show_locals rendered every one)."""

    rendered = False

    def __repr__(self) -> str:
        WatchedRepr.rendered = True
        return "WatchedRepr()"


def _add_failing_route(app: Any) -> None:
    async def explode() -> None:
        payload = WatchedRepr()  # noqa: F841  (a local the old renderer printed)
        message = "x" * 200_000
        raise RuntimeError(f"boom {message}")

    app.add_api_route("/api/v1/test-explode", explode, methods=["GET"])


@pytest.fixture
async def failing_client(app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    _add_failing_route(app)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50010))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.mark.parametrize("json_logs", [False, True], ids=["console", "json"])
async def test_a_500_never_waits_for_its_traceback(
    failing_client: httpx2.AsyncClient, json_logs: bool
) -> None:
    """Every log write hangs until released: the 500 and a concurrent /health must still be
    answered, so nothing was rendered or written on the event loop."""
    stream = BlockedStream()
    WatchedRepr.rendered = False
    configure_logging(level="INFO", json_logs=json_logs, stream=stream)
    # The one-line access log is written in place by design (core.logging.AccessLog, a few
    # microseconds); only tracebacks and ordinary log lines must leave the event loop.
    access = logging.getLogger(ACCESS_LOGGER)
    access.setLevel(logging.WARNING)
    try:
        failed, health = await asyncio.wait_for(
            asyncio.gather(
                failing_client.get("/api/v1/test-explode"), failing_client.get("/health")
            ),
            timeout=30,
        )
        assert not stream.release.is_set()  # answered while the log writer was stuck
        assert_problem(failed, 500, "internal_error")
        assert health.status_code == 200
        stream.release.set()
        flush_logs()
        written = stream.getvalue()
        assert "Traceback" in written
        assert "RuntimeError" in written
        assert not WatchedRepr.rendered  # no locals
        assert len(written) < MAX_TRACEBACK_CHARS + 5_000  # bounded, not megabytes
        assert threading.main_thread().name not in stream.writer_threads
    finally:
        stream.release.set()
        access.setLevel(logging.NOTSET)
        configure_logging(level="WARNING")


async def test_a_500_carries_the_security_headers_and_request_id(
    failing_client: httpx2.AsyncClient,
) -> None:
    response = await failing_client.get("/api/v1/test-explode", headers={"X-Request-ID": "r-500"})
    body = assert_problem(response, 500, "internal_error")
    assert body["request_id"] == "r-500"
    assert "boom" not in response.text  # no exception text leaks
    assert response.headers["x-request-id"] == "r-500"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_a_500_over_https_carries_hsts(app: Any) -> None:
    _add_failing_route(app)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50011))
    async with httpx2.AsyncClient(transport=transport, base_url="https://testserver") as client:
        response = await client.get("/api/v1/test-explode")
    assert response.status_code == 500
    assert response.headers["strict-transport-security"].startswith("max-age=")


@pytest.fixture
async def tiny_pool(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine of one connection that gives up waiting for it after 0.3 s."""
    kwargs: dict[str, Any] = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.3}
    engine = create_async_engine(database_url, **kwargs)
    yield engine
    await engine.dispose()


async def test_connection_exhaustion_answers_503_with_retry_after(
    app: Any, tiny_pool: AsyncEngine
) -> None:
    app.state.session_factory = create_session_factory(tiny_pool)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50012))
    async with (
        tiny_pool.connect() as held,  # every connection of the pool is busy
        httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        await held.execute(text("SELECT 1"))
        response = await client.get("/api/v1/courses", headers={"X-Request-ID": "r-503"})
        body = assert_problem(response, 503, "database_unavailable")
        assert int(response.headers["retry-after"]) >= 1
        assert body["request_id"] == "r-503"
        assert response.headers["x-content-type-options"] == "nosniff"
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/api/v1/courses")).status_code == 200  # connection returned


async def test_an_unreachable_database_answers_503(app: Any) -> None:
    # Nothing listens on port 1: asyncpg's connect is refused.
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    app.state.session_factory = create_session_factory(engine)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50013))
    try:
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get("/api/v1/courses")
            assert_problem(response, 503, "database_unavailable")
            assert response.headers["retry-after"]
    finally:
        await engine.dispose()


async def test_too_many_connections_answers_503(app: Any, database_url: str) -> None:
    """PostgreSQL refusing a connection (SQLSTATE 53300), as when max_connections is reached:
    a role of this test with CONNECTION LIMIT 0 meets the same refusal without exhausting the
    shared server."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL refusal (TEST_DB=postgres)")
    role = f"pintar_limited_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(database_url)
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0"))
    limited = create_async_engine(make_url(database_url).set(username=role, password=None))
    app.state.session_factory = create_session_factory(limited)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50014))
    try:
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get("/api/v1/courses")
        assert_problem(response, 503, "database_unavailable")
        assert response.headers["retry-after"]
    finally:
        await limited.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        await admin.dispose()
