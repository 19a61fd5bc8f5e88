"""ORM models of the accounts domain."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from pintar_ekspor.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class Role(enum.StrEnum):
    LEARNER = "learner"
    DEVELOPER = "developer"
    ADMIN = "admin"


class Locale(enum.StrEnum):
    ID = "id"
    EN = "en"


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"
    __audited__ = True
    __audit_ignore__ = ("last_login_at", "failed_logins")

    # Stored lower-cased and trimmed; the unique index makes it case-insensitive.
    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.LEARNER,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[Locale] = mapped_column(
        Enum(Locale, native_enum=False, length=5, values_callable=lambda e: [m.value for m in e]),
        default=Locale.ID,
    )
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Set when the owner followed the link e-mailed to the address (None: not verified).
    email_verified_at: Mapped[datetime | None]

    __table_args__ = (
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("ix_users_role", "role"),
        Index("ix_users_created_at", "created_at"),  # reports: new users over time
    )


class RefreshToken(UUIDPrimaryKey, Timestamps, Base):
    """One opaque refresh token, stored only as its SHA-256 hash.

    Tokens issued by one login form a family; every refresh revokes the presented token and
    adds its successor to the family, so a token presented a second time is theft or a bug
    and revokes the whole family.
    """

    __tablename__ = "refresh_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # rotated | logout | reuse | password_changed | deactivated | logout_all
    revoked_reason: Mapped[str | None] = mapped_column(String(20))
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("refresh_tokens.id", ondelete="SET NULL")
    )
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_refresh_tokens_user_id", "user_id"),
        Index("ix_refresh_tokens_family_id", "family_id"),
    )


class ApiKey(UUIDPrimaryKey, Timestamps, Base):
    """A developer API key; only an HMAC-SHA256 of the key is stored, plus a visible prefix."""

    __tablename__ = "api_keys"
    __audited__ = True
    __audit_ignore__ = ("last_used_at",)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(24))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Reserved for finer permissions later; empty means every developer API.
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_api_keys_user_id", "user_id"),)


class LoginThrottle(Base):
    """Consecutive failed sign-ins of one account from one client, and its back-off.

    Keyed by account and client (IP; an IPv6 /64): a stranger guessing passwords locks only
    their own client out of that account, never its owner signing in from elsewhere.
    """

    __tablename__ = "login_throttles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    client_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountTokenPurpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret
    EMAIL_VERIFICATION = "email_verification"


class AccountToken(UUIDPrimaryKey, Base):
    """A single-use token e-mailed to a user (password reset, e-mail verification).

    Only its SHA-256 hash is stored; it expires, and using it (or issuing a newer one for the
    same purpose) spends it.
    """

    __tablename__ = "account_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[AccountTokenPurpose] = mapped_column(
        Enum(
            AccountTokenPurpose,
            native_enum=False,
            length=30,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the token was sent to: verifying proves ownership of this address only.
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_account_tokens_user_id_purpose", "user_id", "purpose"),)


class ApiKeyUsage(Base):
    """Calls made with one API key in one UTC hour, counted in memory and added in batches.

    One row per key and hour (not per request), so recording usage costs the hot path nothing
    but a dictionary update; `accounts.usage` flushes the counters every few seconds.
    """

    __tablename__ = "api_key_usage"

    api_key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)
    client_errors: Mapped[int] = mapped_column(default=0)  # 4xx answers
    server_errors: Mapped[int] = mapped_column(default=0)  # 5xx answers

    __table_args__ = (Index("ix_api_key_usage_hour", "hour"),)
