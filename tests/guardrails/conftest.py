"""Fixtures for the guardrail tests: apps with limits on, clients from chosen addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pintar_ekspor.core.config import Settings
from pintar_ekspor.main import create_app

AppFactory = Callable[..., Any]


@pytest.fixture
def make_app(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> AppFactory:
    """Build an app on the test transaction with rate limits on and settings overridden."""

    def factory(**overrides: Any) -> Any:
        overrides.setdefault("rate_limit_enabled", True)
        values = settings.model_dump() | overrides
        app = create_app(Settings(_env_file=None, **values))  # type: ignore[call-arg]
        app.state.engine = engine
        app.state.session_factory = session_factory
        return app

    return factory


@asynccontextmanager
async def _client_for(
    app: Any, *, ip: str = "127.0.0.1", base_url: str = "http://testserver"
) -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=app, client=(ip, 50000))
    async with httpx2.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client


@pytest.fixture
def client_for() -> Callable[..., Any]:
    """`async with client_for(app, ip="10.0.0.7") as c:` an in-process client from that peer."""
    return _client_for
