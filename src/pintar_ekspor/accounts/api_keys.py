"""API keys: format, hashing, authentication and the developer's key management.

Format: `pe_live_<33 base62 chars = 192 random bits>_<6 base62 chars = CRC32>`. The checksum
lets a secret scanner (or this module, before touching the database) tell a real key from a
typo. Keys are stored as HMAC-SHA256 under `API_KEY_SALT`: they carry full entropy, so a keyed
fast hash is enough, and a leaked table is useless without the salt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
import uuid
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import ApiKey, Role, User
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ValidationFailedError,
)
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.notifications import service as notification_service

KEY_PREFIX = "pe_live_"
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_RANDOM_BYTES = 24  # 192 bits
_RANDOM_CHARS = 33  # 62**33 > 2**192
_CHECKSUM_CHARS = 6  # 62**6 > 2**32
_KEY_RE = re.compile(r"pe_live_([0-9A-Za-z]{22,64})_([0-9A-Za-z]{6})")
VISIBLE_PREFIX_CHARS = len(KEY_PREFIX) + 8
# `last_used_at` is written at most this often per key: exact enough for "last used", and a
# busy key does not turn every API call into a write.
TOUCH_INTERVAL = timedelta(seconds=60)
DEVELOPER_ROLES = (Role.DEVELOPER, Role.ADMIN)


def _base62(number: int, width: int) -> str:
    chars: list[str] = []
    while number:
        number, rem = divmod(number, 62)
        chars.append(_BASE62[rem])
    return "".join(reversed(chars)).rjust(width, "0")


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), _CHECKSUM_CHARS)


def generate_key() -> str:
    """A new random API key in the documented format."""
    random_part = _base62(int.from_bytes(secrets.token_bytes(_RANDOM_BYTES), "big"), _RANDOM_CHARS)
    body = f"{KEY_PREFIX}{random_part}"
    return f"{body}_{_checksum(body)}"


def has_valid_checksum(raw_key: str) -> bool:
    """True when the key has the right shape and its CRC32 suffix matches."""
    match = _KEY_RE.fullmatch(raw_key)
    if match is None:
        return False
    return hmac.compare_digest(_checksum(f"{KEY_PREFIX}{match.group(1)}"), match.group(2))


def hash_key(settings: Settings, raw_key: str) -> str:
    """HMAC-SHA256 of a key under API_KEY_SALT, hex-encoded."""
    salt = settings.api_key_salt.get_secret_value().encode("utf-8")
    return hmac.new(salt, raw_key.encode("ascii"), hashlib.sha256).hexdigest()


def _invalid() -> AuthenticationError:
    return AuthenticationError("The API key is invalid.", code="invalid_api_key")


async def authenticate(
    session: AsyncSession, settings: Settings, raw_key: str, *, now: datetime
) -> tuple[User, uuid.UUID]:
    """Resolve a presented API key to its active owner and the key id (expiry and the
    last-used stamp judged at `now`, the app's clock)."""
    raw_key = raw_key.strip()
    # Typos and random garbage never reach the database.
    if not has_valid_checksum(raw_key):
        raise _invalid()
    digest = hash_key(settings, raw_key)
    row = (
        await session.execute(
            select(ApiKey, User)
            .join(User, User.id == ApiKey.user_id)
            .where(ApiKey.key_hash == digest)
        )
    ).one_or_none()
    if row is None:
        raise _invalid()
    key, user = row[0], row[1]
    if not hmac.compare_digest(key.key_hash, digest):
        raise _invalid()
    if key.revoked_at is not None:
        raise AuthenticationError("The API key has been revoked.", code="api_key_revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise AuthenticationError("The API key has expired.", code="api_key_expired")
    if not user.is_active or user.role not in DEVELOPER_ROLES:
        raise AuthenticationError(
            "The API key's account may no longer use the developer API.",
            code="api_key_not_allowed",
        )
    await _touch(session, key, now)
    return user, key.id


async def _touch(session: AsyncSession, key: ApiKey, now: datetime) -> None:
    """Record use, at most once a minute per key.

    Authentication dependencies only read by convention; this is the one deliberate write. It
    is a single conditional UPDATE in the request's own session: it commits with the request,
    the WHERE clause keeps concurrent requests from writing more than once a minute, and a
    separate transaction would cost a second connection (and on SQLite, a second writer) on
    every API call.
    """
    cutoff = now - TOUCH_INTERVAL
    if key.last_used_at is not None and key.last_used_at > cutoff:
        return
    await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key.id,
            or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= cutoff),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


# --- key management (developers) ------------------------------------------------------------


def _active(now: datetime) -> ColumnElement[bool]:
    return and_(
        ApiKey.revoked_at.is_(None),
        or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
    )


def resolve_expiry(
    *, expires_at: datetime | None, expires_in_days: int | None, now: datetime
) -> datetime | None:
    """The expiry asked for (a date or a number of days), refusing dates in the past."""
    if expires_in_days is not None:
        return now + timedelta(days=expires_in_days)
    if expires_at is not None and expires_at <= now:
        raise ValidationFailedError("expires_at must be in the future.", code="invalid_expiry")
    return expires_at


async def _lock_owner(session: AsyncSession, user_id: uuid.UUID) -> None:
    # Serialises key creation per user on PostgreSQL so two requests cannot both pass the
    # limit check (SQLite already serialises writers with BEGIN IMMEDIATE).
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())


async def _insert_key(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    name: str,
    expires_at: datetime | None,
    now: datetime,
    exclude_from_limit: uuid.UUID | None = None,
) -> tuple[ApiKey, str]:
    await _lock_owner(session, user.id)
    stmt = select(func.count()).select_from(ApiKey).where(ApiKey.user_id == user.id, _active(now))
    if exclude_from_limit is not None:
        stmt = stmt.where(ApiKey.id != exclude_from_limit)
    active = int((await session.execute(stmt)).scalar_one())
    if active >= settings.max_api_keys_per_user:
        raise ConflictError(
            f"You already have {active} active API keys, the maximum; revoke one first.",
            code="api_key_limit",
        )
    raw = generate_key()
    key = ApiKey(
        user_id=user.id,
        name=name,
        prefix=raw[:VISIBLE_PREFIX_CHARS],
        key_hash=hash_key(settings, raw),
        scopes=[],
        expires_at=expires_at,
        created_at=now,
    )
    session.add(key)
    await session.flush()
    return key, raw


async def _notify(
    session: AsyncSession,
    user: User,
    key: ApiKey,
    *,
    template: str,
    raw: str | None,
    now: datetime,
) -> None:
    await notification_service.enqueue_email(
        session,
        to=user.email,
        template=template,
        locale=user.locale.value,
        context={
            "full_name": user.full_name,
            "key_name": key.name,
            "key_prefix": key.prefix,
            "expires_at": key.expires_at.isoformat() if key.expires_at else None,
        },
        secret_context={"api_key": raw} if raw else None,
        now=now,
    )


async def _audit(
    session: AsyncSession, action: str, user: User, key: ApiKey, **details: object
) -> None:
    await audit.record_event(
        session,
        action,
        user_id=user.id,
        table_name="api_keys",
        record_id=str(key.id),
        details={"name": key.name, "prefix": key.prefix, **details},
    )


async def issue_key(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    name: str,
    expires_at: datetime | None,
    now: datetime,
    email_template: str | None = "api_key_created",
) -> tuple[ApiKey, str]:
    """Create a key for a developer (max active keys enforced); returns it and the secret once.

    The secret goes out by email only through `secret_context` (stored encrypted by the outbox).
    """
    key, raw = await _insert_key(session, settings, user, name=name, expires_at=expires_at, now=now)
    await _audit(session, "API_KEY_CREATED", user, key)
    if email_template:
        await _notify(session, user, key, template=email_template, raw=raw, now=now)
    return key, raw


async def list_keys(
    session: AsyncSession, user_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[ApiKey], int]:
    """The user's keys, newest first (revoked ones included, secrets never)."""
    stmt = (
        select(ApiKey)
        .where(ApiKey.user_id == user_id)
        .order_by(ApiKey.created_at.desc(), ApiKey.id)
    )
    rows, total = await paginate(session, stmt, params)
    return rows, total


async def get_own_key(session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """One of the user's own keys; another user's key is simply not found."""
    key = (
        await session.scalars(select(ApiKey).where(ApiKey.id == key_id, ApiKey.user_id == user_id))
    ).one_or_none()
    if key is None:
        raise NotFoundError("No such API key.", code="api_key_not_found")
    return key


async def revoke_key(
    session: AsyncSession, user: User, key_id: uuid.UUID, *, now: datetime
) -> ApiKey:
    """Revoke one of the user's keys; revoking twice is harmless."""
    key = await get_own_key(session, user.id, key_id)
    if key.revoked_at is None:
        key.revoked_at = now
        await session.flush()
        await _audit(session, "API_KEY_REVOKED", user, key)
        await _notify(session, user, key, template="api_key_revoked", raw=None, now=now)
    return key


async def rotate_key(
    session: AsyncSession, settings: Settings, user: User, key_id: uuid.UUID, *, now: datetime
) -> tuple[ApiKey, str]:
    """Replace a key: the old one stops working now, the new one keeps its name and lifetime."""
    old = await get_own_key(session, user.id, key_id)
    if old.revoked_at is not None:
        raise ConflictError("A revoked API key cannot be rotated.", code="api_key_revoked")
    expires_at = None
    if old.expires_at is not None:
        expires_at = now + max(old.expires_at - old.created_at, timedelta(days=1))
    new, raw = await _insert_key(
        session,
        settings,
        user,
        name=old.name,
        expires_at=expires_at,
        now=now,
        exclude_from_limit=old.id,
    )
    old.revoked_at = now
    await session.flush()
    await _audit(session, "API_KEY_ROTATED", user, new, replaces=str(old.id))
    await _notify(session, user, new, template="api_key_rotated", raw=raw, now=now)
    return new, raw
