"""Test harness shared by every domain.

The suite runs on SQLite by default and on PostgreSQL with `TEST_DB=postgres` (server from
`TEST_DATABASE_URL`, default the local one). One database per run, migrated once with
Alembic; each test runs inside a transaction that is rolled back (`db_session`, `client`).
Tests that need real commits and several connections use `committed_app` / `committed_client`,
which truncate every table afterwards.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from pintar_ekspor import models  # noqa: F401
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import Base, create_engine, create_session_factory
from pintar_ekspor.main import create_app
from pintar_ekspor.migrations.runner import upgrade_async

# Shared role fixtures (admin, learner and their auth headers) live in their own module.
pytest_plugins = ["role_fixtures"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_DB = os.environ.get("TEST_DB", "sqlite").lower()
PG_SERVER_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
JWT_TEST_SECRET = "test-jwt-secret-that-is-long-enough-0123456789abcdef"


def service_unavailable(what: str, why: str) -> None:
    """Skip with a reason on a developer machine; fail in CI (never skip silently)."""
    message = f"{what} is not reachable ({why})"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(f"{message}; start it to run these tests")


async def _pg_admin_execute(sql: str) -> None:
    import asyncpg

    url = make_url(PG_SERVER_URL)
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
        timeout=5,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def tmp_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
async def database_url(tmp_data_dir: Path) -> AsyncIterator[str]:
    """A fresh database for this test run, dropped afterwards."""
    if TEST_DB == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_data_dir / 'test.db'}"
        return
    name = f"pintar_test_{uuid.uuid4().hex[:12]}"
    try:
        await _pg_admin_execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        service_unavailable("PostgreSQL", f"{type(exc).__name__}: {exc}")
    url = make_url(PG_SERVER_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    await _pg_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    await upgrade_async(eng)
    yield eng
    await eng.dispose()


def make_settings(database_url: str, tmp_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests: cheap Argon2, no background worker, limits off unless asked."""
    values: dict[str, Any] = {
        "env": "test",
        "database_url": database_url,
        "jwt_secret": JWT_TEST_SECRET,
        "api_key_salt": "test-api-key-salt-that-is-long-enough-0123456789",
        "data_encryption_key": "test-data-key-that-is-long-enough-0123456789abcdef",
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 1024,
        "email_backend": "console",
        "email_outbox_dir": tmp_dir / "outbox",
        "media_dir": tmp_dir / "media",
        "email_worker_enabled": False,
        "rate_limit_enabled": False,
        "auto_migrate": False,
        "frontend_dist": tmp_dir / "no-frontend",
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            if trans.is_active:
                await trans.rollback()


@pytest.fixture
def session_factory(
    connection: AsyncConnection, settings: Settings
) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
        info={"settings": settings},  # as the app's own factory (core.db)
    )


@pytest.fixture
async def db_session(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


class QueryCounter:
    """Counts SQL statements sent to the database (savepoint bookkeeping excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.active = False

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not self.active:
            return
        head = statement.lstrip().upper()
        if head.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")):
            return
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@pytest.fixture
def query_counter(engine: AsyncEngine) -> Iterator[QueryCounter]:
    """`counter.active = True` around the requests whose queries you want to count."""
    counter = QueryCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", counter)


def build_test_app(
    settings: Settings,
    engine: AsyncEngine,
    factory: async_sessionmaker[AsyncSession],
) -> Any:
    """An app wired to the given engine/session factory without running its lifespan."""
    app = create_app(settings)
    app.state.engine = engine
    app.state.session_factory = factory
    return app


@pytest.fixture
def app(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> Any:
    return build_test_app(settings, engine, session_factory)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def truncate_all(engine: AsyncEngine) -> None:
    """Remove every row from every table (for tests that really commit)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
async def committed_app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Any]:
    """An app whose requests really commit (for concurrency tests); cleaned afterwards."""
    application = build_test_app(settings, engine, create_session_factory(engine, settings))
    try:
        yield application
    finally:
        await truncate_all(engine)


@pytest.fixture
async def committed_client(committed_app: Any) -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=committed_app, client=("127.0.0.1", 50001))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture(scope="session")
async def redis_url() -> str:
    """A reachable Redis (db 15), or a skip/fail as `service_unavailable` decides."""
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_TEST_URL)
    try:
        await asyncio.wait_for(client.ping(), timeout=3)
    except Exception as exc:
        service_unavailable("Redis", f"{type(exc).__name__}: {exc}")
    finally:
        await client.aclose()
    return REDIS_TEST_URL
