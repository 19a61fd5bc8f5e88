"""ORM models of the accounts domain."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from pintar_ekspor.core.db import Base, Timestamps, UUIDPrimaryKey


class Role(enum.StrEnum):
    LEARNER = "learner"
    DEVELOPER = "developer"
    ADMIN = "admin"


class Locale(enum.StrEnum):
    ID = "id"
    EN = "en"


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"

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

    __table_args__ = (
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("ix_users_role", "role"),
    )
