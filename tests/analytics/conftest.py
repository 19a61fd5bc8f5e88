"""Fixtures of the analytics API tests: one shared worker pool, a developer's headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.core.config import Settings


@pytest.fixture(scope="module")
def shared_runner() -> Iterator[AnalyticsRunner]:
    runner = AnalyticsRunner(workers=1, timeout=120)
    yield runner
    runner.shutdown()


@pytest.fixture
def app(app: Any, shared_runner: AnalyticsRunner) -> Any:
    app.state.analytics_runner = shared_runner
    return app


@pytest.fixture
async def developer_headers(db_session: AsyncSession, settings: Settings) -> dict[str, str]:
    user = await create_user(db_session, settings, role=Role.DEVELOPER)
    return auth_headers(settings, user)
