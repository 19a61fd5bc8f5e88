"""Authentication and authorisation dependencies.

People authenticate with `Authorization: Bearer <jwt>`; programs with
`Authorization: ApiKey <key>` or `X-API-Key: <key>`. Dependencies only read: they never
change data (API key `last_used_at` is touched by the service at most once a minute).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from pintar_ekspor.accounts import api_keys as api_key_service
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.accounts.security import decode_access_token
from pintar_ekspor.core.context import update_context
from pintar_ekspor.core.deps import AppSettings, DbSession
from pintar_ekspor.core.errors import AuthenticationError, PermissionDeniedError

_bearer = HTTPBearer(auto_error=False, description="JWT access token or `ApiKey <key>`")
_x_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="Developer API key")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user, and the API key used when it was a program."""

    user: User
    api_key_id: uuid.UUID | None = None

    @property
    def via_api_key(self) -> bool:
        return self.api_key_id is not None


def _raw_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if not value:
            raise AuthenticationError("The Authorization header is malformed.")
        scheme = scheme.lower()
        if scheme == "bearer":
            return ("jwt", value)
        if scheme == "apikey":
            return ("api_key", value)
        raise AuthenticationError(
            "Unsupported authorization scheme; use 'Bearer <token>' or 'ApiKey <key>'."
        )
    key = request.headers.get("x-api-key")
    if key:
        return ("api_key", key.strip())
    return None


async def get_optional_principal(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    _b: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
    _k: Annotated[str | None, Depends(_x_api_key)] = None,
) -> Principal | None:
    """The authenticated caller, or None for an anonymous request."""
    creds = _raw_credentials(request)
    if creds is None:
        return None
    kind, value = creds
    if kind == "jwt":
        claims = decode_access_token(settings, value)
        user = await session.get(User, claims.user_id)
        if user is None or not user.is_active:
            raise AuthenticationError("The account is unavailable.", code="invalid_token")
        principal = Principal(user=user)
    else:
        user, key_id = await api_key_service.authenticate(session, settings, value)
        principal = Principal(user=user, api_key_id=key_id)
    request.state.principal = principal
    update_context(actor_user_id=principal.user.id, actor_api_key_id=principal.api_key_id)
    return principal


async def get_principal(
    principal: Annotated[Principal | None, Depends(get_optional_principal)],
) -> Principal:
    if principal is None:
        raise AuthenticationError()
    return principal


async def get_current_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    return principal.user


async def get_optional_user(
    principal: Annotated[Principal | None, Depends(get_optional_principal)],
) -> User | None:
    return principal.user if principal else None


async def get_admin_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("This action needs the admin role.")
    return user


async def get_developer_client(
    principal: Annotated[Principal, Depends(get_principal)],
) -> Principal:
    if principal.user.role not in (Role.DEVELOPER, Role.ADMIN):
        raise PermissionDeniedError("This API needs a developer account; upgrade first.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
DeveloperClient = Annotated[Principal, Depends(get_developer_client)]
