"""Fixtures shared by every domain: an admin and a learner with their auth headers."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.core.config import Settings


@pytest.fixture
async def admin(db_session: AsyncSession, settings: Settings) -> User:
    return await create_user(db_session, settings, role=Role.ADMIN)


@pytest.fixture
def admin_headers(settings: Settings, admin: User) -> dict[str, str]:
    return auth_headers(settings, admin)


@pytest.fixture
async def learner(db_session: AsyncSession, settings: Settings) -> User:
    return await create_user(db_session, settings)


@pytest.fixture
def learner_headers(settings: Settings, learner: User) -> dict[str, str]:
    return auth_headers(settings, learner)
