"""Request and response schemas of the accounts domain.

Write schemas forbid unknown fields: mass assignment is closed by construction (no schema a
user can send has a `role`, except the admin's own update).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from pintar_ekspor.accounts.models import Locale, Role
from pintar_ekspor.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
KeyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
# A password being chosen: the policy (accounts.passwords) checks the length itself so a short
# one answers `weak_password` with every broken rule; the schema states the same minimum.
NewPassword = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": MIN_PASSWORD_LENGTH},
        description=(
            f"{MIN_PASSWORD_LENGTH}-{MAX_PASSWORD_LENGTH} characters; not the e-mail address "
            "or its local part; not a commonly used password. Breaking a rule answers 422 "
            "`weak_password` naming every broken rule."
        ),
    ),
]


class _Write(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- users --------------------------------------------------------------------------------


class UserRead(_Read):
    """A user as the user (and the web app) sees it."""

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    locale: Locale
    is_active: bool
    email_verified_at: datetime | None = None
    created_at: datetime


class AdminUserRead(UserRead):
    """A user as an admin sees it."""

    updated_at: datetime
    last_login_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


class UserCreate(_Write):
    """Self-registration. There is deliberately no role field."""

    email: EmailStr = Field(max_length=320)
    password: NewPassword
    full_name: FullName
    locale: Locale = Locale.ID


class UserUpdate(_Write):
    """Profile changes a user may make to their own account."""

    full_name: FullName | None = None
    locale: Locale | None = None


class PasswordChange(_Write):
    current_password: Password
    new_password: NewPassword


class AdminUserUpdate(_Write):
    """What an admin may change on any account."""

    role: Role | None = None
    is_active: bool | None = None
    full_name: FullName | None = None


class SessionsRevoked(BaseModel):
    """How many refresh tokens (sessions) were revoked."""

    revoked: int


# --- authentication -----------------------------------------------------------------------


class LoginRequest(_Write):
    # Not EmailStr: an existing account on a reserved domain (admin@….local) must still sign in,
    # and a malformed email should fail like any wrong credential.
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Password


class RefreshRequest(_Write):
    """The refresh token; browsers may omit the body and rely on the `pe_refresh` cookie."""

    refresh_token: Annotated[str, Field(min_length=1, max_length=512)] | None = None


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires")
    user: UserRead


# --- API keys -----------------------------------------------------------------------------


class ApiKeyCreate(_Write):
    """A new API key: a name and an optional expiry (a date or a number of days)."""

    name: KeyName = "Default"
    expires_at: datetime | None = None
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="after")
    def _one_expiry(self) -> ApiKeyCreate:
        if self.expires_at is not None and self.expires_in_days is not None:
            raise ValueError("give either expires_at or expires_in_days, not both")
        if self.expires_at is not None and self.expires_at.tzinfo is None:
            raise ValueError("expires_at needs a timezone, e.g. 2027-01-31T00:00:00Z")
        return self


class ApiKeyRead(_Read):
    """An API key as listed: never the secret, only its visible prefix."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    """A key just issued: the only response that ever carries the secret."""

    key: str = Field(description="The API key. Shown once; store it now.")


class DeveloperUpgrade(_Write):
    """Optional name of the first API key issued by the upgrade."""

    key_name: KeyName = "Default"


class DeveloperUpgradeRead(BaseModel):
    user: UserRead
    api_key: ApiKeyCreated


class PasswordResetRequest(_Write):
    email: Annotated[str, Field(min_length=3, max_length=320)]


class PasswordResetConfirm(_Write):
    token: Annotated[str, Field(min_length=20, max_length=200)]
    new_password: Password


class EmailVerificationConfirm(_Write):
    token: Annotated[str, Field(min_length=20, max_length=200)]


class AcceptedRead(BaseModel):
    """An accepted request whose outcome is deliberately not revealed."""

    detail: str
