"""Issue 17: the signed-in user and their session's liveness in one query, `/users/me` JSON.

`signed_in_user` folds the session check into the user's query when no revocation list
answers (PostgreSQL without Redis); these tests drive that path on every backend, so an
ended, expired or unknown session and an unavailable account are refused as before.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from factories import auth_headers, create_user
from pintar_ekspor.accounts import tokens as token_service
from pintar_ekspor.accounts.exceptions import SessionRevokedError
from pintar_ekspor.accounts.models import User
from pintar_ekspor.accounts.schemas import UserRead
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.core.errors import AuthenticationError


async def _session_of(db_session: AsyncSession, settings: Settings, user: User) -> uuid.UUID:
    issued = await token_service.start_session(
        db_session, settings, user, now=utcnow(), client=token_service.ClientInfo()
    )
    return issued.family_id


async def test_a_live_session_gives_the_user(db_session: AsyncSession, settings: Settings) -> None:
    user = await create_user(db_session, settings)
    family = await _session_of(db_session, settings, user)
    found = await token_service.signed_in_user(db_session, None, user.id, family, now=utcnow())
    assert found.id == user.id
    # Tokens without a session (older ones) are checked for the account only.
    plain = await token_service.signed_in_user(db_session, None, user.id, None, now=utcnow())
    assert plain.id == user.id


async def test_ended_expired_and_unknown_sessions_are_refused(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    other = await create_user(db_session, settings)
    family = await _session_of(db_session, settings, user)
    theirs = await _session_of(db_session, settings, other)
    later = utcnow() + timedelta(seconds=settings.refresh_token_ttl_seconds + 60)
    with pytest.raises(SessionRevokedError):  # every refresh token of it has expired
        await token_service.signed_in_user(db_session, None, user.id, family, now=later)
    with pytest.raises(SessionRevokedError):
        await token_service.signed_in_user(db_session, None, user.id, uuid.uuid4(), now=utcnow())
    # The other user's session is untouched by all of this.
    assert (
        await token_service.signed_in_user(db_session, None, other.id, theirs, now=utcnow())
    ).id == other.id
    await token_service.revoke_family(db_session, family, now=utcnow(), reason="logout")
    with pytest.raises(SessionRevokedError):
        await token_service.signed_in_user(db_session, None, user.id, family, now=utcnow())


async def test_an_unavailable_account_is_refused_before_its_session(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    family = await _session_of(db_session, settings, user)
    await token_service.revoke_family(db_session, family, now=utcnow(), reason="deactivated")
    user.is_active = False
    await db_session.flush()
    with pytest.raises(AuthenticationError) as caught:
        await token_service.signed_in_user(db_session, None, user.id, family, now=utcnow())
    assert caught.value.code == "invalid_token"
    with pytest.raises(AuthenticationError) as caught:
        await token_service.signed_in_user(db_session, None, uuid.uuid4(), family, now=utcnow())
    assert caught.value.code == "invalid_token"


async def test_users_me_json_is_exactly_user_read(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings, full_name="Siti Eksportir")
    user.email_verified_at = utcnow()
    await db_session.flush()
    r = await client.get("/api/v1/users/me", headers=auth_headers(settings, user))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == UserRead.model_validate(user).model_dump(mode="json")
    assert list(r.json()) == list(UserRead.model_fields)
