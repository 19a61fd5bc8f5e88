"""Failure drill: PostgreSQL goes away during a burst of requests, then comes back.

The shared PostgreSQL server is never stopped (other suites use it): the app reaches the test
database through a TCP proxy of our own, and "PostgreSQL down" is that proxy closing its
listener and cutting every connection, as a restart does. While it is down every request
answers 503 problem+json with Retry-After (never a 500); afterwards the service resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from sqlalchemy.engine import make_url

from pintar_ekspor.core.db import create_engine, create_session_factory

pytestmark = pytest.mark.postgres
TEST_DB = os.environ.get("TEST_DB", "sqlite").lower()
BURST = 20


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database server; `stop` cuts every connection."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self.writers):
                writer.transport.abort()
            await self.server.wait_closed()
            self.server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.update({writer, up_writer})

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            self.writers.difference_update({writer, up_writer})


@pytest.fixture
async def proxied_client(app: Any, database_url: str) -> AsyncIterator[tuple[Any, TcpProxy]]:
    if TEST_DB != "postgres":
        pytest.skip("a PostgreSQL drill (TEST_DB=postgres)")
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    engine = create_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    app.state.session_factory = create_session_factory(engine)
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50030))
    try:
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c, proxy
    finally:
        await proxy.stop()
        await engine.dispose()


_queries = itertools.count()


async def _burst(client: httpx2.AsyncClient) -> list[httpx2.Response]:
    # A search never asked before: the catalogue cache (which rightly keeps serving during an
    # outage) cannot answer it, so every request needs the database.
    return list(
        await asyncio.gather(
            *(
                client.get("/api/v1/courses", params={"q": f"drill-{next(_queries)}"})
                for _ in range(BURST)
            )
        )
    )


async def test_postgres_outage_answers_503_and_the_service_resumes(
    proxied_client: tuple[httpx2.AsyncClient, TcpProxy],
) -> None:
    client, proxy = proxied_client
    assert [r.status_code for r in await _burst(client)] == [200] * BURST

    await proxy.stop()  # PostgreSQL "restarts": connections cut, nothing listening
    down = await _burst(client)
    for response in down:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "database_unavailable"
        assert int(response.headers["retry-after"]) >= 1

    await proxy.start()  # back on the same port
    statuses: list[int] = []
    for _ in range(50):  # pooled connections are checked (pre-ping) and replaced
        statuses = [r.status_code for r in await _burst(client)]
        if statuses == [200] * BURST:
            break
        assert set(statuses) <= {200, 503}, statuses
        await asyncio.sleep(0.1)
    assert statuses == [200] * BURST
