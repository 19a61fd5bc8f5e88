"""Sessions: access tokens plus rotating refresh-token families with reuse detection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Exists, Select, bindparam, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.exceptions import (
    InvalidRefreshTokenError,
    RefreshTokenReusedError,
    SessionRevokedError,
)
from pintar_ekspor.accounts.models import RefreshToken, User
from pintar_ekspor.accounts.security import (
    create_access_token,
    hash_refresh_token,
    new_refresh_token,
)
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import after_commit
from pintar_ekspor.core.errors import AuthenticationError
from pintar_ekspor.core.revocation import (
    REVOKED_SESSIONS,
    AnyRevocationList,
    MemoryRevocationList,
)

ROTATED = "rotated"


@dataclass(frozen=True)
class ClientInfo:
    """Where a session was opened from (kept on the refresh token for the user's own review)."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class IssuedTokens:
    user: User
    access_token: str
    access_expires_in: int
    refresh_token: str
    refresh_expires_in: int
    family_id: uuid.UUID


async def _new_refresh_row(
    session: AsyncSession,
    settings: Settings,
    *,
    user_id: uuid.UUID,
    family_id: uuid.UUID,
    now: datetime,
    client: ClientInfo,
) -> tuple[RefreshToken, str]:
    raw = new_refresh_token()
    row = RefreshToken(
        user_id=user_id,
        family_id=family_id,
        token_hash=hash_refresh_token(raw),
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        ip=client.ip[:45] if client.ip else None,
        user_agent=client.user_agent[:255] if client.user_agent else None,
    )
    session.add(row)
    await session.flush()
    return row, raw


def _issue(settings: Settings, user: User, family_id: uuid.UUID, raw_refresh: str) -> IssuedTokens:
    access, _ = create_access_token(
        settings, user_id=user.id, role=user.role.value, session_id=family_id
    )
    return IssuedTokens(
        user=user,
        access_token=access,
        access_expires_in=settings.access_token_ttl_seconds,
        refresh_token=raw_refresh,
        refresh_expires_in=settings.refresh_token_ttl_seconds,
        family_id=family_id,
    )


async def start_session(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    now: datetime,
    client: ClientInfo,
) -> IssuedTokens:
    """Open a new refresh-token family for a user who just proved who they are."""
    family_id = uuid.uuid4()
    _, raw = await _new_refresh_row(
        session, settings, user_id=user.id, family_id=family_id, now=now, client=client
    )
    return _issue(settings, user, family_id, raw)


async def revoke_family(
    session: AsyncSession, family_id: uuid.UUID, *, now: datetime, reason: str
) -> int:
    """Revoke every live token of one family; returns how many were revoked.

    The family's access tokens stop at once too: its id goes to the shared revocation list
    when this transaction commits (see `session_is_live`).
    """
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    after_commit(session, REVOKED_SESSIONS, [family_id])
    return int(getattr(result, "rowcount", 0) or 0)


async def revoke_user_sessions(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    now: datetime,
    reason: str,
    keep_family: uuid.UUID | None = None,
) -> int:
    """Revoke every live refresh token of a user, optionally sparing the current session."""
    stmt = (
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .returning(RefreshToken.family_id)
        .execution_options(synchronize_session=False)
    )
    if keep_family is not None:
        stmt = stmt.where(RefreshToken.family_id != keep_family)
    families = (await session.scalars(stmt)).all()
    after_commit(session, REVOKED_SESSIONS, families)
    return len(families)


def _session_live(
    family_id: uuid.UUID | BindParameter[Any], now: datetime | BindParameter[Any]
) -> Exists:
    return exists().where(
        RefreshToken.family_id == family_id,
        RefreshToken.revoked_at.is_(None),
        RefreshToken.expires_at > now,
    )


async def session_is_live(session: AsyncSession, family_id: uuid.UUID, *, now: datetime) -> bool:
    """True while the login session (refresh-token family) has a token neither revoked nor
    expired: the database's answer to "may this session's access token still be used?"."""
    return bool(await session.scalar(select(_session_live(family_id, now))))


async def rotate(
    session: AsyncSession,
    settings: Settings,
    raw_token: str,
    *,
    now: datetime,
    client: ClientInfo,
) -> IssuedTokens:
    """Exchange a refresh token for a new pair; a token used twice revokes its family.

    Raises `RefreshTokenReusedError` after revoking the family: the caller must commit
    before answering 401, or the revocation would roll back with the error.
    """
    stmt = (
        select(RefreshToken, User)
        .join(User, User.id == RefreshToken.user_id)
        .where(RefreshToken.token_hash == hash_refresh_token(raw_token))
        # Two concurrent refreshes with one token: the second waits, then sees it rotated.
        .with_for_update(of=RefreshToken)
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise InvalidRefreshTokenError()
    token, user = row[0], row[1]
    if token.revoked_at is not None:
        if token.revoked_reason == ROTATED:
            revoked = await revoke_family(session, token.family_id, now=now, reason="reuse")
            await audit.record_event(
                session,
                "REFRESH_REUSE",
                user_id=user.id,
                table_name="refresh_tokens",
                record_id=str(token.id),
                details={"family_id": str(token.family_id), "revoked": revoked},
            )
            raise RefreshTokenReusedError()
        raise InvalidRefreshTokenError()
    if token.expires_at <= now or not user.is_active:
        raise InvalidRefreshTokenError()
    successor, raw = await _new_refresh_row(
        session, settings, user_id=user.id, family_id=token.family_id, now=now, client=client
    )
    token.revoked_at = now
    token.revoked_reason = ROTATED
    token.replaced_by_id = successor.id
    await session.flush()
    return _issue(settings, user, token.family_id, raw)


async def logout(session: AsyncSession, raw_token: str, *, now: datetime) -> uuid.UUID | None:
    """Revoke the family of a refresh token; returns its user's id, or None if unknown."""
    token = (
        await session.scalars(
            select(RefreshToken).where(RefreshToken.token_hash == hash_refresh_token(raw_token))
        )
    ).one_or_none()
    if token is None:
        return None
    await revoke_family(session, token.family_id, now=now, reason="logout")
    await audit.record_event(
        session,
        "LOGOUT",
        user_id=token.user_id,
        table_name="refresh_tokens",
        record_id=str(token.id),
        details={"family_id": str(token.family_id)},
    )
    return token.user_id


async def recently_ended_sessions(
    session: AsyncSession, *, now: datetime, within: int
) -> list[uuid.UUID]:
    """Sessions ended (not merely rotated) in the last `within` seconds."""
    stmt = (
        select(RefreshToken.family_id)
        .where(
            RefreshToken.revoked_at > now - timedelta(seconds=within),
            RefreshToken.revoked_reason != ROTATED,
        )
        .distinct()
    )
    return list((await session.scalars(stmt)).all())


async def ensure_session_live(
    session: AsyncSession,
    revoked: AnyRevocationList | None,
    family_id: uuid.UUID,
    *,
    now: datetime,
) -> None:
    """Refuse an access token whose login session has ended, whatever its `exp` says.

    One Redis `EXISTS` (or a dict look-up in the embedded single-process mode) when a
    revocation list answers; otherwise one indexed query on the refresh tokens, the truth.
    """
    if isinstance(revoked, MemoryRevocationList) and revoked.needs_seed:
        await revoked.add(
            await recently_ended_sessions(session, now=now, within=revoked.ttl_seconds)
        )
        revoked.needs_seed = False
    ended = await revoked.contains(family_id) if revoked is not None else None
    if ended is None:
        ended = not await session_is_live(session, family_id, now=now)
    if ended:
        raise SessionRevokedError()


@cache
def _user_and_session_statement() -> Select[User, bool]:
    """Built once: constructing a statement (and its cache key) costs more per request than
    running this one; the values come as parameters."""
    live = _session_live(bindparam("family_id"), bindparam("now")).label("live")
    return select(User, live).where(User.id == bindparam("user_id"))


async def signed_in_user(
    session: AsyncSession,
    revoked: AnyRevocationList | None,
    user_id: uuid.UUID,
    family_id: uuid.UUID | None,
    *,
    now: datetime,
) -> User:
    """The active user an access token names, its login session checked (`family_id`).

    Role and `is_active` are re-read on every request, so a demotion or deactivation takes
    effect at once. When no revocation list answers (PostgreSQL without Redis) the session's
    liveness rides on the user's query as an EXISTS column: one round trip, not two. The
    checks and their order are those of `ensure_session_live`: an unavailable account is
    `invalid_token`, an ended session `session_revoked`.
    """
    live: bool | None = None
    if family_id is not None and revoked is None:
        params = {"user_id": user_id, "family_id": family_id, "now": now}
        row = (await session.execute(_user_and_session_statement(), params)).one_or_none()
        user = row[0] if row is not None else None
        live = bool(row[1]) if row is not None else None
    else:
        user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("The account is unavailable.", code="invalid_token")
    if family_id is not None:
        if live is None:
            await ensure_session_live(session, revoked, family_id, now=now)
        elif not live:
            raise SessionRevokedError()
    return user
