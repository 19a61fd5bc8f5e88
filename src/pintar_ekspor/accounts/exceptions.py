"""Errors of the accounts domain."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from pintar_ekspor.core.errors import AuthenticationError

GENERIC_LOGIN_FAILURE = "Incorrect email or password."


class RecordedAuthError(AuthenticationError):
    """A 401 whose bookkeeping must survive the error response.

    A failed login bumps the failure counter (and may lock the account); a reused refresh
    token revokes its family. The request transaction normally rolls back on an error, so
    routes that can raise this commit the session first (see `router.commit_recorded`).
    """


class InvalidCredentialsError(RecordedAuthError):
    """Unknown email, wrong password, locked or inactive account: one answer for all."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(GENERIC_LOGIN_FAILURE, code="invalid_credentials", **kwargs)


class AccountLockedError(RecordedAuthError):
    """The right password, but this client is in a sign-in back-off for this account.

    Said only to whoever gave the right password (proof of ownership): for a wrong password
    or an unknown address the generic answer stays, so the lock reveals no account.
    """

    def __init__(self, until: datetime, now: datetime) -> None:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        super().__init__(
            "The account is temporarily locked after repeated failed sign-ins from this "
            f"device; try again in {seconds} seconds or reset the password.",
            code="account_locked",
            headers={"Retry-After": str(seconds)},
            extra={"locked_until": until.isoformat(), "retry_after_seconds": seconds},
        )


class RefreshTokenReusedError(RecordedAuthError):
    """A rotated refresh token was presented again; its whole family is now revoked."""

    def __init__(self) -> None:
        super().__init__(
            "The refresh token is no longer valid; sign in again.", code="invalid_refresh_token"
        )


class InvalidRefreshTokenError(AuthenticationError):
    """Unknown, expired or revoked refresh token (and nothing to record)."""

    def __init__(self) -> None:
        super().__init__(
            "The refresh token is no longer valid; sign in again.", code="invalid_refresh_token"
        )


class SessionRevokedError(AuthenticationError):
    """An access token of a login session that has ended (logout, reuse, password change)."""

    def __init__(self) -> None:
        super().__init__("This session has ended; sign in again.", code="session_revoked")
