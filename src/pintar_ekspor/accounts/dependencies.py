"""Authentication and authorisation dependencies: the app's one auth layer.

People authenticate with `Authorization: Bearer <jwt>` ("signed in"); programs with
`Authorization: ApiKey <key>` or `X-API-Key: <key>`. The headers are parsed and access tokens
verified by `core.credentials`, the same code the rate limiter uses. Routes say what they
accept with the aliases at the end (`SignedInPerson`, `PersonOrProgram`, `SignedInAdmin`,
...; table in docs/ARCHITECTURE.md). Dependencies only read, with one
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
from pintar_ekspor.accounts.tokens import ClientInfo
from pintar_ekspor.core.context import get_context, update_context
from pintar_ekspor.core.credentials import CredentialKind, decode_access_token, presented_credential
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession
from pintar_ekspor.core.errors import AuthenticationError, PermissionDeniedError
from pintar_ekspor.core.revocation import revocation_list

# The security schemes below only document authentication in OpenAPI (and give Swagger UI its
# "Authorize" dialog: the OAuth2 password form posts to /auth/token);
# `core.credentials.presented_credential` does the actual parsing, for every scheme and for
# the rate limiter alike.
_oauth2 = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="Sign in with email (as username) and password",
)
_bearer = HTTPBearer(auto_error=False, description="JWT access token")
_x_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="Developer API key")


async def get_client_info(request: Request) -> ClientInfo:
    """The caller's IP (as resolved by the middleware when it did) and user agent."""
    ip = get_context().ip or (request.client.host if request.client else None)
    return ClientInfo(ip=ip, user_agent=request.headers.get("user-agent"))


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
    credential = presented_credential(request.scope)
    if credential is None:
        return None
    if credential.kind is CredentialKind.ACCESS_TOKEN:
        claims = decode_access_token(settings, credential.value)
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
        user, key_id = await api_key_service.authenticate(
            session, settings, credential.value, now=clock.now()
        )
        principal = Principal(user=user, api_key_id=key_id)
    request.state.principal = principal
    update_context(actor_user_id=principal.user.id, actor_api_key_id=principal.api_key_id)
    return principal


# --- what each route accepts ------------------------------------------------------------------
# A *person* signs in and sends a JWT; a *program* sends a developer's API key. Each alias at
# the end names what it accepts; the role checks follow the credential checks, so an API key
# on a signed-in-only route is told `jwt_required` whatever its role.


async def require_person_or_program(
    principal: Annotated[Principal | None, Depends(get_optional_principal)],
) -> Principal:
    """Anyone authenticated: a JWT or an API key (401 when anonymous)."""
    if principal is None:
        raise AuthenticationError()
    return principal


async def require_signed_in_person(
    principal: Annotated[Principal, Depends(require_person_or_program)],
) -> Principal:
    """A person signed in with a JWT: API keys cannot manage accounts, keys or the platform."""
    if principal.via_api_key:
        raise PermissionDeniedError(
            "Sign in with your account to do this; an API key cannot.", code="jwt_required"
        )
    return principal


async def require_developer_person_or_program(
    principal: Annotated[Principal, Depends(require_person_or_program)],
) -> Principal:
    """A developer or admin, signed in or through one of their API keys."""
    if principal.user.role not in (Role.DEVELOPER, Role.ADMIN):
        raise PermissionDeniedError("This API needs a developer account; upgrade first.")
    return principal


async def require_signed_in_developer(
    principal: Annotated[Principal, Depends(require_signed_in_person)],
) -> User:
    """A developer or admin signed in with a JWT (managing API keys)."""
    if principal.user.role not in (Role.DEVELOPER, Role.ADMIN):
        raise PermissionDeniedError(
            "API keys need a developer account; upgrade first.", code="developer_required"
        )
    return principal.user


async def require_signed_in_admin(
    principal: Annotated[Principal, Depends(require_signed_in_person)],
) -> User:
    """An admin signed in with a JWT: every /admin route (an admin's API key is refused)."""
    if principal.user.role != Role.ADMIN:
        raise PermissionDeniedError("This action needs the admin role.")
    return principal.user


async def _user_of(principal: Annotated[Principal, Depends(require_person_or_program)]) -> User:
    return principal.user


async def _user_of_signed_in(
    principal: Annotated[Principal, Depends(require_signed_in_person)],
) -> User:
    return principal.user


async def _optional_user(
    principal: Annotated[Principal | None, Depends(get_optional_principal)],
) -> User | None:
    return principal.user if principal else None


# JWT, API key or nobody (public pages that show more to a caller they know).
OptionalPersonOrProgram = Annotated[User | None, Depends(_optional_user)]
# JWT or API key, any role.
PersonOrProgram = Annotated[User, Depends(_user_of)]
# JWT or API key of a developer or admin; the principal says which key, if any.
DeveloperPersonOrProgram = Annotated[Principal, Depends(require_developer_person_or_program)]
# JWT only, any role; `SignedInPrincipal` also carries the session (refresh-token family).
SignedInPerson = Annotated[User, Depends(_user_of_signed_in)]
SignedInPrincipal = Annotated[Principal, Depends(require_signed_in_person)]
# JWT only, developer or admin.
SignedInDeveloper = Annotated[User, Depends(require_signed_in_developer)]
# JWT only, admin.
SignedInAdmin = Annotated[User, Depends(require_signed_in_admin)]
