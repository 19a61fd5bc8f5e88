"""Password hashing (Argon2id), JWT access tokens and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.core.errors import AuthenticationError

ACCESS_TOKEN_TYPE = "access"  # noqa: S105
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


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    jti: str
    expires_at: datetime
    # The refresh-token family this access token was issued with ("this session").
    session_id: uuid.UUID | None = None


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


LEEWAY_SECONDS = 10
_CLAIMS_CACHE_SIZE = 8192
# Verified claims by (key, issuer, audience, algorithm, token): a token's signature and claims
# never change, so each one is verified once (PyJWT costs ~100 µs a call) and only its time
# window is checked again on every use. Revocation checks stay with the caller.
_verified: dict[tuple[str, str, str, str, str], tuple[AccessClaims, int]] = {}


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    """Validate signature, algorithm, issuer, audience, expiry and token type."""
    key = (
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.jwt_algorithm,
        token,
    )
    cached = _verified.get(key)
    if cached is not None:
        claims, not_before = cached
        now = time.time()
        if claims.expires_at.timestamp() + LEEWAY_SECONDS < now:
            del _verified[key]
            raise AuthenticationError("The access token has expired.", code="token_expired")
        if not_before - LEEWAY_SECONDS <= now:
            return claims
    claims, not_before = _decode_access_token(settings, token)
    if len(_verified) >= _CLAIMS_CACHE_SIZE:
        _verified.clear()  # crude but bounded; tokens live 15 minutes
    _verified[key] = (claims, not_before)
    return claims


def _decode_access_token(settings: Settings, token: str) -> tuple[AccessClaims, int]:
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["sub", "exp", "iat", "iss", "aud", "jti", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("The access token has expired.", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationError("The access token is invalid.", code="invalid_token") from exc
    if payload.get("type") != ACCESS_TOKEN_TYPE:
        raise AuthenticationError("This is not an access token.", code="invalid_token")
    try:
        user_id = uuid.UUID(str(payload["sub"]))
    except ValueError as exc:
        raise AuthenticationError("The access token is invalid.", code="invalid_token") from exc
    session_id: uuid.UUID | None = None
    if payload.get("sid") is not None:
        try:
            session_id = uuid.UUID(str(payload["sid"]))
        except ValueError as exc:
            raise AuthenticationError("The access token is invalid.", code="invalid_token") from exc
    claims = AccessClaims(
        user_id=user_id,
        role=str(payload.get("role", "")),
        jti=str(payload["jti"]),
        expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=utcnow().tzinfo),
        session_id=session_id,
    )
    return claims, int(payload.get("nbf", payload["iat"]))


def new_refresh_token() -> str:
    """An opaque refresh token (256 random bits); only its hash is ever stored."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    """SHA-256 of a refresh token: it has full entropy, so no salt or slow KDF is needed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
