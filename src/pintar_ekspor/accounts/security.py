"""Password hashing (Argon2id), issuing JWT access tokens, opaque refresh tokens.

Access tokens are *verified* in `core.credentials` (the rate limiter below this layer needs
the same rules); the claims written here are the ones it requires.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.credentials import ACCESS_TOKEN_TYPE
from pintar_ekspor.core.db import utcnow

REFRESH_TOKEN_BYTES = 32


def build_password_hasher(settings: Settings) -> PasswordHash:
    """Argon2id with the configured cost; tests use a cheap cost."""
    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=settings.password_hash_time_cost,
                memory_cost=settings.password_hash_memory_kib,
            ),
        )
    )


def create_access_token(
    settings: Settings,
    *,
    user_id: uuid.UUID,
    role: str,
    now: datetime | None = None,
    session_id: uuid.UUID | None = None,
) -> tuple[str, datetime]:
    """Sign a short-lived access token; returns the token and its expiry.

    Always signed with real time: PyJWT checks `exp`/`iat`/`nbf` against the wall clock.
    """
    issued = now or utcnow()
    expires = issued + timedelta(seconds=settings.access_token_ttl_seconds)
    payload = {
        "sub": str(user_id),
        "role": role,
        "type": ACCESS_TOKEN_TYPE,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(issued.timestamp()),
        "nbf": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if session_id is not None:
        payload["sid"] = str(session_id)
    token = jwt.encode(payload, settings.jwt_secret.get_secret_value(), settings.jwt_algorithm)
    return token, expires


def new_refresh_token() -> str:
    """An opaque refresh token (256 random bits); only its hash is ever stored."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    """SHA-256 of a refresh token: it has full entropy, so no salt or slow KDF is needed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
