"""Fixtures of the reports tests: the known history, a developer with an API key."""

from __future__ import annotations

import pytest
from report_history import History, seed_history
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.core.config import Settings


@pytest.fixture
async def history(db_session: AsyncSession, settings: Settings) -> History:
    return await seed_history(db_session, settings)


@pytest.fixture
async def developer(db_session: AsyncSession, settings: Settings) -> User:
    return await create_user(
        db_session, settings, role=Role.DEVELOPER, full_name="Pengembang Rahasia"
    )


@pytest.fixture
async def developer_key_headers(
    db_session: AsyncSession, settings: Settings, developer: User
) -> dict[str, str]:
    _, raw = await create_api_key(db_session, settings, developer)
    return api_key_headers(raw)
