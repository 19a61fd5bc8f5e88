"""Password reset and e-mail verification by single-use links.

A token is 256 random bits shown only in the e-mail (encrypted at rest in the outbox, like
API keys); the database keeps its SHA-256. A reset token lives 30 minutes, a verification
token 7 days; using one spends it, and issuing a new one spends the older ones of the same
purpose. Asking for a reset answers the same whether or not the address has an account.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts import throttle
from pintar_ekspor.accounts.models import AccountToken, AccountTokenPurpose, User
from pintar_ekspor.accounts.passwords import check_password_policy, get_password_hasher
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import ValidationFailedError
from pintar_ekspor.notifications import service as notification_service

RESET_TTL = timedelta(minutes=30)
VERIFICATION_TTL = timedelta(days=7)
_TTL = {
    AccountTokenPurpose.PASSWORD_RESET: RESET_TTL,
    AccountTokenPurpose.EMAIL_VERIFICATION: VERIFICATION_TTL,
}
_PAGE = {
    AccountTokenPurpose.PASSWORD_RESET: "reset-password",
    AccountTokenPurpose.EMAIL_VERIFICATION: "verify-email",
}
_TEMPLATE = {
    AccountTokenPurpose.PASSWORD_RESET: "password_reset",
    AccountTokenPurpose.EMAIL_VERIFICATION: "verify_email",
}


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _invalid(purpose: AccountTokenPurpose) -> ValidationFailedError:
    noun = "reset" if purpose is AccountTokenPurpose.PASSWORD_RESET else "verification"
    return ValidationFailedError(
        f"This {noun} link is invalid, already used or expired; ask for a new one.",
        code="invalid_account_token",
    )


async def issue_link(
    session: AsyncSession,
    settings: Settings,
    user: User,
    purpose: AccountTokenPurpose,
    *,
    now: datetime,
) -> str:
    """Spend older tokens of this purpose and issue a new one; returns its link."""
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    raw = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            id=uuid.uuid4(),
            user_id=user.id,
            purpose=purpose,
            token_hash=_digest(raw),
            email=user.email,
            created_at=now,
            expires_at=now + _TTL[purpose],
        )
    )
    await session.flush()
    return f"{settings.public_base_url.rstrip('/')}/{_PAGE[purpose]}?token={raw}"


async def send_link(
    session: AsyncSession,
    settings: Settings,
    user: User,
    purpose: AccountTokenPurpose,
    *,
    now: datetime,
) -> None:
    """Issue a new token of this purpose and e-mail its link."""
    link = await issue_link(session, settings, user, purpose, now=now)
    await notification_service.enqueue_email(
        session,
        to=user.email,
        template=_TEMPLATE[purpose],
        locale=user.locale.value,
        context={
            "full_name": user.full_name,
            "expires_minutes": int(_TTL[purpose].total_seconds() // 60),
        },
        secret_context={"link": link},
        now=now,
    )


async def _spend(
    session: AsyncSession, raw: str, purpose: AccountTokenPurpose, *, now: datetime
) -> tuple[AccountToken, User]:
    """The live token and its user, the token now spent; a problem otherwise."""
    row = await session.scalar(
        select(AccountToken)
        .where(AccountToken.token_hash == _digest(raw), AccountToken.purpose == purpose)
        .with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise _invalid(purpose)
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active or user.email != row.email:
        raise _invalid(purpose)
    row.used_at = now
    return row, user


async def request_password_reset(
    session: AsyncSession, settings: Settings, email: str, *, now: datetime
) -> None:
    """E-mail a reset link when an active account has this address; silent otherwise."""
    # Imported here: `service` imports this module (registration issues a verification link).
    from pintar_ekspor.accounts.service import get_user_by_email, normalise_email

    user = await get_user_by_email(session, normalise_email(email))
    if user is None or not user.is_active:
        return
    await send_link(session, settings, user, AccountTokenPurpose.PASSWORD_RESET, now=now)


async def reset_password(
    session: AsyncSession, settings: Settings, raw: str, new_password: str, *, now: datetime
) -> User:
    """Set a new password from a reset link; every session of the account ends."""
    token = await session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == _digest(raw),
            AccountToken.purpose == AccountTokenPurpose.PASSWORD_RESET,
        )
    )
    email = token.email if token is not None else ""
    # Policy first (a weak password must not spend the link), then hash outside the lock.
    check_password_policy(new_password, email=email, field="new_password")
    password_hash = await get_password_hasher(settings).hash(new_password)
    _, user = await _spend(session, raw, AccountTokenPurpose.PASSWORD_RESET, now=now)
    user.password_hash = password_hash
    # The reset proves the address, and a locked account is unlocked by its owner.
    user.email_verified_at = user.email_verified_at or now
    user.failed_logins = 0
    user.locked_until = None
    await throttle.clear(session, user.id)  # every client's sign-in back-off
    await session.flush()
    # Imported here: `service` imports this module (registration issues a verification link).
    from pintar_ekspor.accounts.service import password_was_set

    await password_was_set(session, user, now=now, action="PASSWORD_RESET")
    return user


async def verify_email(session: AsyncSession, raw: str, *, now: datetime) -> User:
    """Mark the address verified from a verification link."""
    _, user = await _spend(session, raw, AccountTokenPurpose.EMAIL_VERIFICATION, now=now)
    if user.email_verified_at is None:
        user.email_verified_at = now
        await audit.record_event(
            session,
            "EMAIL_VERIFIED",
            user_id=user.id,
            table_name="users",
            record_id=str(user.id),
        )
    await session.flush()
    return user
