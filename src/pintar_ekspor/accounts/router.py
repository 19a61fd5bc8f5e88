"""HTTP routes of the accounts domain: authentication and the signed-in user's profile.

Admin and developer routes live in `admin_router.py` and `developer_router.py`; `router`
here includes them so the API mounts one router for the whole domain.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts import admin_router, developer_router, recovery_router
from pintar_ekspor.accounts import service as account_service
from pintar_ekspor.accounts import tokens as token_service
from pintar_ekspor.accounts.dependencies import (
    Client,
    PersonOrProgram,
    SignedInPerson,
    SignedInPrincipal,
)
from pintar_ekspor.accounts.exceptions import InvalidRefreshTokenError, RecordedAuthError
from pintar_ekspor.accounts.models import User
from pintar_ekspor.accounts.schemas import (
    LoginRequest,
    PasswordChange,
    RefreshRequest,
    TokenResponse,
    UserCreate,
    UserRead,
    UserUpdate,
)
from pintar_ekspor.audit import service as audit_service
from pintar_ekspor.audit.schemas import SecurityEventRead
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession, read_only
from pintar_ekspor.core.errors import AuthenticationError, problem_responses
from pintar_ekspor.core.pagination import Page, Pagination
from pintar_ekspor.core.responses import FastJSONResponse

REFRESH_COOKIE = "pe_refresh"
# The browser sends the refresh cookie to the auth endpoints only, never to the rest of the API.
REFRESH_COOKIE_PATH = "/api/v1/auth"

auth = APIRouter(prefix="/auth", tags=["auth"])
users = APIRouter(prefix="/users", tags=["users"])

RefreshCookie = Annotated[
    str | None,
    Cookie(alias=REFRESH_COOKIE, description="Refresh token set by login (browsers)"),
]


@asynccontextmanager
async def commit_recorded(session: AsyncSession) -> AsyncIterator[None]:
    """Commit what a failed authentication recorded before the 401 goes out.

    The request transaction rolls back on errors; a failure counter, a lockout or a refresh
    family revoked for reuse must persist anyway, or an attacker could simply retry.
    """
    try:
        yield
    except RecordedAuthError:
        await session.commit()
        raise


def _set_refresh_cookie(
    response: Response, settings: Settings, issued: token_service.IssuedTokens
) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        issued.refresh_token,
        max_age=issued.refresh_expires_in,
        path=REFRESH_COOKIE_PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def _clear_refresh_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        REFRESH_COOKIE,
        path=REFRESH_COOKIE_PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def _cleared_cookie_header(settings: Settings) -> str:
    scratch = Response()
    _clear_refresh_cookie(scratch, settings)
    return scratch.headers["set-cookie"]


def _token_response(issued: token_service.IssuedTokens) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.access_expires_in,
        refresh_token=issued.refresh_token,
        refresh_expires_in=issued.refresh_expires_in,
        user=UserRead.model_validate(issued.user),
    )


async def _login(
    *,
    email: str,
    password: str,
    response: Response,
    session: AsyncSession,
    settings: Settings,
    clock: AppClock,
    client: Client,
) -> TokenResponse:
    async with commit_recorded(session):
        issued = await account_service.login(
            session, settings, email=email, password=password, now=clock.now(), client=client
        )
    _set_refresh_cookie(response, settings, issued)
    return _token_response(issued)


@auth.post(
    "/register",
    operation_id="register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserRead,
    responses=problem_responses(422),
    summary="Create a learner account",
    description=(
        "Answers 201 with the same shape of body whether or not the address already has an "
        "account (so it reveals no addresses); for an existing address nothing is created "
        "or changed, and its owner is told by e-mail."
    ),
)
async def register(
    body: UserCreate, session: DbSession, settings: AppSettings, clock: AppClock
) -> User:
    return await account_service.register(session, settings, body, now=clock.now())


@auth.post(
    "/login",
    operation_id="login",
    response_model=TokenResponse,
    responses=problem_responses(401, 422),
    summary="Sign in with email and password (JSON)",
)
async def login(
    body: LoginRequest,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    client: Client,
) -> TokenResponse:
    return await _login(
        email=body.email,
        password=body.password,
        response=response,
        session=session,
        settings=settings,
        clock=clock,
        client=client,
    )


@auth.post(
    "/token",
    operation_id="loginForm",
    response_model=TokenResponse,
    responses=problem_responses(401, 422),
    summary="Sign in with the OAuth2 password form (username = email)",
    description="The form the Swagger UI *Authorize* dialog posts; same answer as /auth/login.",
)
async def login_form(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    response: Response,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    client: Client,
) -> TokenResponse:
    return await _login(
        email=form.username,
        password=form.password,
        response=response,
        session=session,
        settings=settings,
        clock=clock,
        client=client,
    )


@auth.post(
    "/refresh",
    operation_id="refreshToken",
    response_model=TokenResponse,
    responses=problem_responses(401, 422),
    summary="Exchange a refresh token (body or cookie) for a new token pair",
)
async def refresh(
    response: Response,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    client: Client,
    cookie: RefreshCookie = None,
    body: RefreshRequest | None = None,
) -> TokenResponse:
    raw = (body.refresh_token if body else None) or cookie
    try:
        if not raw:
            raise InvalidRefreshTokenError()
        async with commit_recorded(session):
            issued = await token_service.rotate(
                session, settings, raw, now=clock.now(), client=client
            )
    except AuthenticationError as exc:
        # A dead refresh cookie is useless to the browser: drop it with the 401.
        exc.headers["set-cookie"] = _cleared_cookie_header(settings)
        raise
    _set_refresh_cookie(response, settings, issued)
    return _token_response(issued)


@auth.post(
    "/logout",
    operation_id="logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(422),
    summary="End this session (revokes its refresh-token family)",
)
async def logout(
    response: Response,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    cookie: RefreshCookie = None,
    body: RefreshRequest | None = None,
) -> None:
    raw = (body.refresh_token if body else None) or cookie
    if raw:
        await token_service.logout(session, raw, now=clock.now())
    _clear_refresh_cookie(response, settings)


@auth.post(
    "/logout-all",
    operation_id="logoutAll",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403),
    summary="End every session of the signed-in user",
)
async def logout_all(
    user: SignedInPerson,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
) -> None:
    await account_service.logout_all(session, user, now=clock.now())
    _clear_refresh_cookie(response, settings)


@users.get(
    "/me",
    operation_id="getMe",
    response_model=UserRead,
    responses=problem_responses(401),
    summary="The signed-in user",
)
@read_only
async def get_me(user: PersonOrProgram) -> Response:
    # Every screen of the web app asks for this: the row the auth dependency loaded, encoded
    # once (no response-model validation pass); the same JSON as `UserRead`.
    return FastJSONResponse(
        {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "locale": user.locale,
            "is_active": user.is_active,
            "email_verified_at": user.email_verified_at,
            "created_at": user.created_at,
        }
    )


@users.patch(
    "/me",
    operation_id="updateMe",
    response_model=UserRead,
    responses=problem_responses(401, 403, 422),
    summary="Change your name or language",
)
async def update_me(body: UserUpdate, user: SignedInPerson, session: DbSession) -> User:
    return await account_service.update_profile(session, user, body)


@users.post(
    "/me/password",
    operation_id="changePassword",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 422),
    summary="Change your password (ends your other sessions)",
)
async def change_password(
    body: PasswordChange,
    principal: SignedInPrincipal,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
) -> None:
    await account_service.change_password(
        session,
        settings,
        principal.user,
        current_password=body.current_password,
        new_password=body.new_password,
        now=clock.now(),
        keep_session=principal.session_id,
    )


@users.get(
    "/me/security-events",
    response_model=Page[SecurityEventRead],
    operation_id="listMySecurityEvents",
    tags=["users"],
    responses=problem_responses(401),
)
async def list_my_security_events(
    session: DbSession, user: PersonOrProgram, page: Pagination
) -> Page[SecurityEventRead]:
    """Sign-ins, failed sign-ins, lockouts and key changes on the caller's own account."""
    rows, total = await audit_service.list_security_events(session, user_id=user.id, page=page)
    return Page[SecurityEventRead].of(
        [SecurityEventRead.model_validate(r) for r in rows], total, page
    )


# Mounted one by one by `api.mount_api` (not through an umbrella router: every level of
# included routers is one more matching pass for each request); `users` (`/users/me` on
# every page load of the web app) goes among the hot routers.
routers = (auth, developer_router.router, admin_router.router, recovery_router.router)
