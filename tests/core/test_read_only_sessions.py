"""Read-only routes: which requests get the read-only session, and on SQLite that a reader
never waits for the write lock (no BEGIN IMMEDIATE for reads)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from starlette.requests import Request

from pintar_ekspor.core.db import create_engine, create_session_factory, read_only_engine
from pintar_ekspor.core.deps import is_read_only_request, read_only


@read_only
async def _reader() -> None:
    return None


async def _writer() -> None:
    return None


def _request(method: str, endpoint: Any, headers: dict[str, str] | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "method": method, "headers": raw, "endpoint": endpoint, "path": "/"}
    return Request(scope)


def test_only_marked_safe_requests_without_api_keys_read_only() -> None:
    assert is_read_only_request(_request("GET", _reader))
    assert is_read_only_request(_request("GET", _reader, {"Authorization": "Bearer x.y.z"}))
    assert not is_read_only_request(_request("GET", _writer))
    assert not is_read_only_request(_request("POST", _reader))
    # An API key's use is recorded (a write): such requests keep their transaction.
    assert not is_read_only_request(_request("GET", _reader, {"X-API-Key": "pk_x"}))
    assert not is_read_only_request(_request("GET", _reader, {"Authorization": "ApiKey pk_x"}))


async def test_sqlite_readers_do_not_wait_for_the_write_lock(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'locks.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        writer = await engine.connect()
        await writer.begin()  # BEGIN IMMEDIATE: holds the write lock
        await writer.execute(text("INSERT INTO t VALUES (2)"))
        try:
            reader = create_session_factory(read_only_engine(engine))
            started = time.monotonic()
            async with reader() as session:
                rows = (await session.execute(text("SELECT count(*) FROM t"))).scalar_one()
            # The reader sees the committed row and does not queue behind the writer
            # (a BEGIN IMMEDIATE would wait for busy_timeout, 10 s).
            assert rows == 1
            assert time.monotonic() - started < 5
            blocked = create_session_factory(engine)
            async with blocked() as session:
                with_lock = asyncio.create_task(session.execute(text("SELECT count(*) FROM t")))
                await asyncio.sleep(0.5)
                assert not with_lock.done()  # a normal (write) session does wait
                await writer.rollback()
                assert (await with_lock).scalar_one() == 1
        finally:
            await writer.close()
    finally:
        await engine.dispose()
