"""Authentication and authorisation dependencies.

People authenticate with `Authorization: Bearer <jwt>`; programs with
`Authorization: ApiKey <key>` or `X-API-Key: <key>`. Dependencies only read, with one
deliberate exception: a key's `last_used_at`, written at most once a minute by a conditional
UPDATE in the request's session (see `api_keys._touch` for why that is acceptable).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import (
    APIKeyHeader,
    HTTPAuthorizationCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
)

from pintar_ekspor.accounts import api_keys as api_key_service
from pintar_ekspor.accounts import tokens as token_service
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.accounts.security import decode_access_token
from pintar_ekspor.accounts.tokens import ClientInfo
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.context import get_context, update_context
from pintar_ekspor.core.deps import AppSettings, DbSession
from pintar_ekspor.core.errors import AuthenticationError, PermissionDeniedError
from pintar_ekspor.core.revocation import revocation_list

# The security schemes below only document authentication in OpenAPI (and give Swagger UI its
# "Authorize" dialog: the OAuth2 password form posts to /auth/token); `_raw_credentials`
# does the actual parsing so every scheme shares one code path.
_oauth2 = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="Sign in with email (as username) and password",
)
_bearer = HTTPBearer(auto_error=False, description="JWT access token")
_x_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="Developer API key")
_DEFAULT_CLOCK = Clock()


async def get_clock(request: Request) -> Clock:
    """The app's clock (`app.state.clock`); tests swap in a `ManualClock`."""
    clock: Clock | None = getattr(request.app.state, "clock", None)
    return clock or _DEFAULT_CLOCK


async def get_client_info(request: Request) -> ClientInfo:
    """The caller's IP (as resolved by the middleware when it did) and user agent."""
    ip = get_context().ip or (request.client.host if request.client else None)
    return ClientInfo(ip=ip, user_agent=request.headers.get("user-agent"))


AppClock = Annotated[Clock, Depends(get_clock)]
Client = Annotated[ClientInfo, Depends(get_client_info)]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user, and the API key used when it was a program."""

    user: User
    api_key_id: uuid.UUID | None = None
    # The refresh-token family of the JWT's login (None for API keys and older tokens).
    session_id: uuid.UUID | None = None

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
    clock: AppClock,
    _o: Annotated[str | None, Depends(_oauth2)] = None,
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
        # One query: the user (role and is_active re-read every time) and, without a
        # revocation list, whether the login session still lives (logout & co. end it now).
        user = await token_service.signed_in_user(
            session,
            revocation_list(request.app) if claims.session_id is not None else None,
            claims.user_id,
            claims.session_id,
            now=clock.now(),
        )
        principal = Principal(user=user, session_id=claims.session_id)
    else:
        user, key_id = await api_key_service.authenticate(session, settings, value, now=clock.now())
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


async def get_account_principal(
    principal: Annotated[Principal, Depends(get_principal)],
) -> Principal:
    """A person signed in with a JWT: API keys cannot manage accounts or other keys."""
    if principal.via_api_key:
        raise PermissionDeniedError(
            "Sign in with your account to do this; an API key cannot.", code="jwt_required"
        )
    return principal


async def get_account_user(
    principal: Annotated[Principal, Depends(get_account_principal)],
) -> User:
    return principal.user


async def get_account_admin(user: Annotated[User, Depends(get_account_user)]) -> User:
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("This action needs the admin role.")
    return user


async def get_key_manager(user: Annotated[User, Depends(get_account_user)]) -> User:
    if user.role not in (Role.DEVELOPER, Role.ADMIN):
        raise PermissionDeniedError(
            "API keys need a developer account; upgrade first.", code="developer_required"
        )
    return user


AccountPrincipal = Annotated[Principal, Depends(get_account_principal)]
AccountUser = Annotated[User, Depends(get_account_user)]
AccountAdmin = Annotated[User, Depends(get_account_admin)]
KeyManager = Annotated[User, Depends(get_key_manager)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
DeveloperClient = Annotated[Principal, Depends(get_developer_client)]
