"""What a request presents to say who is calling: read once, verified by one set of rules.

People send `Authorization: Bearer <access token>` (a JWT signed by `accounts.security`);
programs send `Authorization: ApiKey <key>` or `X-API-Key: <key>`. Two layers need to know
who is calling: the rate limiter (pure ASGI, below identity: whose budget does this request
spend?) and the auth dependencies of `accounts.dependencies` (which load the account). Both
read the headers with `presented_credential` and verify access tokens with
`decode_access_token`, so they cannot disagree about the caller: the first `Authorization`
header wins, it wins over `X-API-Key`, and a token the dependencies would refuse is never
counted as its subject's.

API keys are only *parsed* here; checking one needs the database (`accounts.api_keys`).
"""

from __future__ import annotations

import enum
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from starlette.types import Scope

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import AuthenticationError

ACCESS_TOKEN_TYPE = "access"  # noqa: S105 - the `type` claim, not a secret
# Clock skew tolerated on `exp`, `nbf` and `iat`.
LEEWAY_SECONDS = 10
# Claims an access token must carry (`accounts.security.create_access_token` writes them).
REQUIRED_CLAIMS = ("sub", "exp", "iat", "iss", "aud", "jti", "type")


class CredentialKind(enum.StrEnum):
    ACCESS_TOKEN = "jwt"  # noqa: S105 - a kind of credential, not a secret
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class Credential:
    """The credential a request presents, not yet verified."""

    kind: CredentialKind
    value: str


def presented_credential(scope: Scope) -> Credential | None:
    """The credential in a request's headers, or None when it presents none.

    The first `Authorization` header counts (as `Request.headers.get` reads it), and when
    present it wins over `X-API-Key`. Raises `AuthenticationError` for an `Authorization`
    header that names no value or an unknown scheme.
    """
    authorization: str | None = None
    api_key: str | None = None
    for name, raw in scope["headers"]:
        if name == b"authorization":
            if authorization is None:
                authorization = raw.decode("latin-1")
        elif name == b"x-api-key" and api_key is None:
            api_key = raw.decode("latin-1")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        value = value.strip()
        if not value:
            raise AuthenticationError("The Authorization header is malformed.")
        scheme = scheme.lower()
        if scheme == "bearer":
            return Credential(CredentialKind.ACCESS_TOKEN, value)
        if scheme == "apikey":
            return Credential(CredentialKind.API_KEY, value)
        raise AuthenticationError(
            "Unsupported authorization scheme; use 'Bearer <token>' or 'ApiKey <key>'."
        )
    if api_key:
        return Credential(CredentialKind.API_KEY, api_key.strip())
    return None


# --- access tokens ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    role: str
    jti: str
    expires_at: datetime
    # The refresh-token family this access token was issued with ("this session").
    session_id: uuid.UUID | None = None


_CLAIMS_CACHE_SIZE = 8192
# Verified claims by (key, issuer, audience, algorithm, token): a token's signature and claims
# never change, so each one is verified once (PyJWT costs ~100 µs a call) and only its time
# window is checked again on every use, by the rate limiter and the dependencies alike.
# Revocation checks stay with the caller. Keyed by the key, so apps with different secrets in
# one process never share an entry.
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
    claims, not_before = _verify(settings, token)
    if len(_verified) >= _CLAIMS_CACHE_SIZE:
        _verified.clear()  # crude but bounded; tokens live 15 minutes
    _verified[key] = (claims, not_before)
    return claims


def access_token_subject(settings: Settings, token: str) -> uuid.UUID | None:
    """The user a valid access token names, or None for any token `decode_access_token` refuses."""
    try:
        return decode_access_token(settings, token).user_id
    except AuthenticationError:
        return None


def _verify(settings: Settings, token: str) -> tuple[AccessClaims, int]:
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
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
        expires_at=datetime.fromtimestamp(int(payload["exp"]), tz=UTC),
        session_id=session_id,
    )
    return claims, int(payload.get("nbf", payload["iat"]))
