"""Small factories for test data."""

from __future__ import annotations

import itertools

from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import Locale, Role, User
from pintar_ekspor.accounts.security import build_password_hasher, create_access_token
from pintar_ekspor.core.config import Settings

DEFAULT_PASSWORD = "Rahasia-Ekspor-2026!"
_seq = itertools.count(1)


async def create_user(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.LEARNER,
    full_name: str = "Test User",
    locale: Locale = Locale.ID,
    is_active: bool = True,
) -> User:
    user = User(
        email=(email or f"user{next(_seq)}@example.com").lower(),
        full_name=full_name,
        password_hash=build_password_hasher(settings).hash(password),
        role=role,
        locale=locale,
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    return user


def auth_headers(settings: Settings, user: User) -> dict[str, str]:
    token, _ = create_access_token(settings, user_id=user.id, role=user.role.value)
    return {"Authorization": f"Bearer {token}"}
