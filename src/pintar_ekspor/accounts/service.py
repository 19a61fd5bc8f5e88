"""Account services: registration, login, profile, passwords, admin. No FastAPI imports here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from pintar_ekspor.accounts import api_keys as api_key_service
from pintar_ekspor.accounts import recovery, throttle
from pintar_ekspor.accounts import tokens as token_service
from pintar_ekspor.accounts.exceptions import AccountLockedError, InvalidCredentialsError
from pintar_ekspor.accounts.models import AccountTokenPurpose, ApiKey, Role, User
from pintar_ekspor.accounts.passwords import check_password_policy, get_password_hasher
from pintar_ekspor.accounts.schemas import AdminUserUpdate, UserCreate, UserUpdate
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.notifications import service as notification_service


def normalise_email(email: str) -> str:
    """Trim and lower-case an email address; uniqueness is case-insensitive."""
    return email.strip().lower()


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    stmt = select(User).where(func.lower(User.email) == normalise_email(email))
    return (await session.scalars(stmt)).one_or_none()


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    """A user by id, or 404."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.", code="user_not_found")
    return user


async def release_transaction(session: AsyncSession) -> None:
    """End the read transaction before slow CPU work (Argon2, ~0.1-0.3 s per call).

    An exception to "the request owns the transaction": only reads happened so far, and
    holding the transaction open through Argon2 would keep a connection busy and, on SQLite
    (BEGIN IMMEDIATE), the database write lock, serialising every login and every other write
    behind the hashing. Later writes start a new transaction, committed by the request.
    """
    if session.in_transaction():
        await session.commit()


# --- registration and login ------------------------------------------------------------------


async def register(
    session: AsyncSession, settings: Settings, data: UserCreate, *, now: datetime
) -> User:
    """Create a learner account (the only role self-registration can give) and welcome them
    with a link that verifies their address."""
    email = normalise_email(str(data.email))
    check_password_policy(data.password, email=email)
    # Hash before the first query: no transaction (on SQLite, no write lock) is held while
    # Argon2 runs.
    password_hash = await get_password_hasher(settings).hash(data.password)
    existing = await get_user_by_email(session, email)
    if existing is not None:
        return await _answer_existing(session, existing, data, email=email, now=now)
    user = User(
        email=email,
        full_name=data.full_name,
        password_hash=password_hash,
        role=Role.LEARNER,
        locale=data.locale,
        is_active=True,
        failed_logins=0,
        # The clock's time, as the unsaved account answered for a known address has.
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # a concurrent registration won the unique index
        existing = await get_user_by_email(session, email)
        if existing is None:
            raise
        return await _answer_existing(session, existing, data, email=email, now=now)
    await notification_service.enqueue_email(
        session,
        to=user.email,
        template="welcome",
        locale=user.locale.value,
        context={"full_name": user.full_name, "base_url": settings.public_base_url.rstrip("/")},
        secret_context={
            "link": await recovery.issue_link(
                session,
                settings,
                user,
                AccountTokenPurpose.EMAIL_VERIFICATION,
                now=now,
            )
        },
        now=now,
    )
    return user


async def _answer_existing(
    session: AsyncSession, existing: User, data: UserCreate, *, email: str, now: datetime
) -> User:
    """Registration of an address that has an account: change nothing, tell its owner.

    The caller gets the same 201 and the same shape of body as for a new address (an unsaved
    account with a fresh id), so registering cannot tell which addresses have accounts.
    """
    await notification_service.enqueue_email(
        session,
        to=existing.email,
        template="account_exists",
        locale=existing.locale.value,
        context={"full_name": existing.full_name},
        now=now,
    )
    return User(
        id=uuid.uuid4(),
        email=email,
        full_name=data.full_name,
        role=Role.LEARNER,
        locale=data.locale,
        is_active=True,
        failed_logins=0,
        created_at=now,
        updated_at=now,
    )


async def _record_failure(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    now: datetime,
    client: token_service.ClientInfo,
) -> None:
    # Atomic increment: parallel guesses cannot overwrite each other's count.
    failures = (
        await session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
            .execution_options(synchronize_session=False)
        )
    ).scalar_one()
    set_committed_value(user, "failed_logins", failures)
    await audit.record_event(
        session,
        "LOGIN_FAILED",
        user_id=user.id,
        table_name="users",
        record_id=str(user.id),
        details={"reason": "wrong_password", "failures": failures},
    )
    # The lockout counts this client's failures only (see accounts.throttle).
    client_failures, delay = await throttle.record_failure(
        session, settings, user.id, throttle.client_key(client.ip), now=now
    )
    if delay is not None:
        # Shown to admins (user list, unlock): some client is locked out of this account until
        # then. Sign-in itself checks the per-client throttle, never this column.
        user.locked_until = now + delay
        await audit.record_event(
            session,
            "LOCKOUT",
            user_id=user.id,
            table_name="users",
            record_id=str(user.id),
            details={"failures": client_failures, "locked_seconds": int(delay.total_seconds())},
        )


async def login(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    now: datetime,
    client: token_service.ClientInfo,
) -> token_service.IssuedTokens:
    """Check credentials and open a session.

    Every failure (unknown email, wrong password, locked or deactivated account) raises the
    same `InvalidCredentialsError` after the same Argon2 work, so neither the answer nor its
    timing tells whether the email exists. The caller commits before answering: the failure
    counter and the audit trail must survive the 401.
    """
    hasher = get_password_hasher(settings)
    user = await get_user_by_email(session, email)
    await release_transaction(session)
    if user is None:
        await hasher.dummy_verify(password)
        await audit.record_event(session, "LOGIN_FAILED", details={"reason": "unknown_email"})
        raise InvalidCredentialsError()
    valid, new_hash = await hasher.verify_and_update(password, user.password_hash)
    key = throttle.client_key(client.ip)
    locked_until = await throttle.locked_until(session, user.id, key, now=now)
    locked = locked_until is not None
    if locked or not user.is_active:
        # Attempts during a lockout do not extend it: an attacker could otherwise keep a
        # victim locked out for ever with one guess per delay.
        await audit.record_event(
            session,
            "LOGIN_FAILED",
            user_id=user.id,
            table_name="users",
            record_id=str(user.id),
            details={"reason": "locked" if locked else "inactive"},
        )
        if locked_until is not None and valid and user.is_active:
            raise AccountLockedError(locked_until, now)
        raise InvalidCredentialsError()
    if not valid:
        await _record_failure(session, settings, user, now=now, client=client)
        raise InvalidCredentialsError()
    if new_hash is not None:
        user.password_hash = new_hash
    user.failed_logins = 0
    user.locked_until = None
    await throttle.clear(session, user.id, key)
    user.last_login_at = now
    await session.flush()
    issued = await token_service.start_session(session, settings, user, now=now, client=client)
    await audit.record_event(
        session,
        "LOGIN",
        user_id=user.id,
        table_name="users",
        record_id=str(user.id),
        details={"session": str(issued.family_id), "rehashed": new_hash is not None},
    )
    return issued


# --- profile and password --------------------------------------------------------------------


async def update_profile(session: AsyncSession, user: User, data: UserUpdate) -> User:
    """Change the user's own name or locale."""
    if data.full_name is not None:
        user.full_name = data.full_name
    if data.locale is not None:
        user.locale = data.locale
    await session.flush()
    return user


async def change_password(
    session: AsyncSession,
    settings: Settings,
    user: User,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
    keep_session: uuid.UUID | None,
) -> int:
    """Set a new password after checking the current one; ends every other session.

    Returns the number of refresh tokens revoked.
    """
    hasher = get_password_hasher(settings)
    await release_transaction(session)
    if not await hasher.verify(current_password, user.password_hash):
        raise ValidationFailedError(
            "The current password is incorrect.",
            code="wrong_password",
            extra={
                "errors": [
                    {
                        "loc": ["body", "current_password"],
                        "field": "current_password",
                        "message": "The current password is incorrect.",
                        "type": "wrong_password",
                    }
                ]
            },
        )
    check_password_policy(new_password, email=user.email, field="new_password")
    user.password_hash = await hasher.hash(new_password)
    await session.flush()
    return await password_was_set(
        session, user, now=now, action="PASSWORD_CHANGED", keep_session=keep_session
    )


async def password_was_set(
    session: AsyncSession,
    user: User,
    *,
    now: datetime,
    action: str,
    keep_session: uuid.UUID | None = None,
) -> int:
    """After a new password: end the other sessions, audit `action`, e-mail the owner.

    Returns the number of refresh tokens revoked.
    """
    reason = "password_changed" if action == "PASSWORD_CHANGED" else "password_reset"
    revoked = await token_service.revoke_user_sessions(
        session, user.id, now=now, reason=reason, keep_family=keep_session
    )
    await audit.record_event(
        session,
        action,
        user_id=user.id,
        table_name="users",
        record_id=str(user.id),
        details={"sessions_revoked": revoked},
    )
    await notification_service.enqueue_email(
        session,
        to=user.email,
        template="password_changed",
        locale=user.locale.value,
        context={"full_name": user.full_name, "changed_at": now.isoformat()},
        now=now,
    )
    return revoked


async def logout_all(session: AsyncSession, user: User, *, now: datetime) -> int:
    """End every session of the user (refresh tokens); returns how many tokens were revoked."""
    revoked = await token_service.revoke_user_sessions(
        session, user.id, now=now, reason="logout_all"
    )
    await audit.record_event(
        session,
        "LOGOUT",
        user_id=user.id,
        table_name="users",
        record_id=str(user.id),
        details={"all_sessions": True, "revoked": revoked},
    )
    return revoked


# --- developer upgrade -----------------------------------------------------------------------


async def upgrade_to_developer(
    session: AsyncSession, settings: Settings, user: User, *, key_name: str, now: datetime
) -> tuple[User, ApiKey, str]:
    """Turn a learner into a developer with a first API key (returned once, and emailed)."""
    # Lock the row: two simultaneous upgrades must not both issue a "first" key.
    stmt = (
        select(User)
        .where(User.id == user.id)
        .with_for_update()
        # Re-read the row once locked: the identity map would otherwise hand back stale values.
        .execution_options(populate_existing=True)
    )
    locked = (await session.scalars(stmt)).one()
    if locked.role != Role.LEARNER:
        raise ConflictError(
            f"This account is already a {locked.role.value}; no upgrade is needed.",
            code="already_developer",
        )
    if settings.require_verified_email_for_developer and locked.email_verified_at is None:
        raise PermissionDeniedError(
            "Confirm your e-mail address first (the link in the welcome e-mail, or send it "
            "again from your profile); then you can become a developer.",
            code="email_not_verified",
        )
    locked.role = Role.DEVELOPER
    await session.flush()
    key, raw = await api_key_service.issue_key(
        session, settings, locked, name=key_name, expires_at=None, now=now, email_template=None
    )
    await audit.record_event(
        session,
        "DEVELOPER_UPGRADE",
        user_id=locked.id,
        table_name="users",
        record_id=str(locked.id),
        details={"from": Role.LEARNER.value, "to": Role.DEVELOPER.value, "key_prefix": key.prefix},
    )
    await notification_service.enqueue_email(
        session,
        to=locked.email,
        template="developer_upgrade",
        locale=locked.locale.value,
        context={"full_name": locked.full_name, "key_name": key.name, "key_prefix": key.prefix},
        secret_context={"api_key": raw},
        now=now,
    )
    return locked, key, raw


# --- administration --------------------------------------------------------------------------


async def list_users(
    session: AsyncSession,
    params: PageParams,
    *,
    q: str | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
) -> tuple[Sequence[User], int]:
    """Users matching a search over email and name, and optional role/active filters."""
    stmt = select(User)
    if q and q.strip():
        needle = q.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(User.email).contains(needle, autoescape=True),
                func.lower(User.full_name).contains(needle, autoescape=True),
            )
        )
    if role is not None:
        stmt = stmt.where(User.role == role)
    if is_active is not None:
        stmt = stmt.where(User.is_active.is_(is_active))
    stmt = stmt.order_by(User.created_at.desc(), User.id)
    rows, total = await paginate(session, stmt, params)
    return rows, total


async def _ensure_not_last_admin(session: AsyncSession, user: User) -> None:
    # FOR UPDATE on every active admin row: two admins demoting each other at once cannot
    # both see "another admin remains" (SQLite serialises writers on its own).
    admins = (
        await session.scalars(
            select(User.id)
            .where(User.role == Role.ADMIN, User.is_active.is_(True))
            .with_for_update()
        )
    ).all()
    if [a for a in admins if a != user.id]:
        return
    raise ConflictError(
        "This is the last active admin; promote another admin first.", code="last_admin"
    )


async def admin_update_user(
    session: AsyncSession,
    user_id: uuid.UUID,
    data: AdminUserUpdate,
    *,
    now: datetime,
) -> User:
    """Change a user's role, active flag or name; never removes the last active admin."""
    user = await get_user(session, user_id)
    new_role = data.role if data.role is not None else user.role
    new_active = data.is_active if data.is_active is not None else user.is_active
    was_active_admin = user.role == Role.ADMIN and user.is_active
    if was_active_admin and (new_role != Role.ADMIN or not new_active):
        await _ensure_not_last_admin(session, user)
    if data.full_name is not None:
        user.full_name = data.full_name
    if new_role != user.role:
        old_role = user.role
        user.role = new_role
        await audit.record_event(
            session,
            "ROLE_CHANGED",
            user_id=user.id,
            table_name="users",
            record_id=str(user.id),
            details={"from": old_role.value, "to": new_role.value},
        )
    if new_active != user.is_active:
        user.is_active = new_active
        if not new_active:
            # Access tokens and API keys stop at once (every request re-reads is_active);
            # refresh tokens are revoked so reactivation does not revive old sessions.
            await token_service.revoke_user_sessions(
                session, user.id, now=now, reason="deactivated"
            )
        await audit.record_event(
            session,
            "USER_DEACTIVATED" if not new_active else "USER_REACTIVATED",
            user_id=user.id,
            table_name="users",
            record_id=str(user.id),
        )
    await session.flush()
    return user


async def admin_unlock(session: AsyncSession, user_id: uuid.UUID) -> User:
    """Lift a sign-in lockout and forget the failed attempts."""
    user = await get_user(session, user_id)
    was_locked = user.locked_until is not None or user.failed_logins > 0
    user.failed_logins = 0
    user.locked_until = None
    await throttle.clear(session, user.id)  # every client's back-off on this account
    await session.flush()
    if was_locked:
        await audit.record_event(
            session, "USER_UNLOCKED", user_id=user.id, table_name="users", record_id=str(user.id)
        )
    return user


async def admin_logout_all(session: AsyncSession, user_id: uuid.UUID, *, now: datetime) -> int:
    """End every session of another user (refresh tokens); returns how many were revoked."""
    return await logout_all(session, await get_user(session, user_id), now=now)


async def ensure_admin(
    session: AsyncSession, settings: Settings, *, email: str, password: str | None
) -> tuple[User, bool]:
    """Create an admin, or promote an existing user; returns (user, created)."""
    user = await get_user_by_email(session, email)
    hasher = get_password_hasher(settings)
    if user is None:
        if not password:
            raise ValueError("a password is needed to create a new admin")
        user = User(
            email=normalise_email(email),
            full_name="Administrator",
            password_hash=await hasher.hash(password),
            role=Role.ADMIN,
            is_active=True,
            failed_logins=0,
        )
        session.add(user)
        await session.flush()
        return user, True
    user.role = Role.ADMIN
    user.is_active = True
    user.failed_logins = 0
    user.locked_until = None
    await throttle.clear(session, user.id)  # the CLI's way back in for a locked-out admin
    if password:
        user.password_hash = await hasher.hash(password)
    await session.flush()
    return user, False
