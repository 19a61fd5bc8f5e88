"""Small factories for test data."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import httpx2
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts import api_keys
from pintar_ekspor.accounts.models import ApiKey, Locale, Role, User
from pintar_ekspor.accounts.security import build_password_hasher, create_access_token
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow

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


async def create_api_key(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    name: str = "Test key",
    expires_at: datetime | None = None,
    revoked: bool = False,
) -> tuple[ApiKey, str]:
    """An API key for `user` (no email, no limit check); returns the row and the secret."""
    raw = api_keys.generate_key()
    key = ApiKey(
        user_id=user.id,
        name=name,
        prefix=raw[: api_keys.VISIBLE_PREFIX_CHARS],
        key_hash=api_keys.hash_key(settings, raw),
        scopes=[],
        expires_at=expires_at,
        revoked_at=utcnow() if revoked else None,
    )
    session.add(key)
    await session.flush()
    return key, raw


def api_key_headers(raw_key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {raw_key}"}


def assert_problem(
    response: httpx2.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """Assert a problem+json answer with this status (and code); returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body
