"""Admin routes of the accounts domain: user management."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pintar_ekspor.accounts import service as account_service
from pintar_ekspor.accounts.dependencies import SignedInAdmin
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.accounts.schemas import AdminUserRead, AdminUserUpdate, SessionsRevoked
from pintar_ekspor.core.deps import AppClock, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination

router = APIRouter(prefix="/admin/users", tags=["admin"])


@router.get(
    "",
    operation_id="adminListUsers",
    response_model=Page[AdminUserRead],
    responses=problem_responses(401, 403, 422),
    summary="Search users",
)
async def list_users(
    _admin: SignedInAdmin,
    session: DbSession,
    page: Pagination,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in the email or full name")
    ] = None,
    role: Role | None = None,
    is_active: bool | None = None,
) -> Page[AdminUserRead]:
    rows, total = await account_service.list_users(
        session, page, q=q, role=role, is_active=is_active
    )
    return Page.of([AdminUserRead.model_validate(u) for u in rows], total, page)


@router.get(
    "/{user_id}",
    operation_id="adminGetUser",
    response_model=AdminUserRead,
    responses=problem_responses(401, 403, 404),
    summary="One user",
)
async def get_user(user_id: uuid.UUID, _admin: SignedInAdmin, session: DbSession) -> User:
    return await account_service.get_user(session, user_id)


@router.patch(
    "/{user_id}",
    operation_id="adminUpdateUser",
    response_model=AdminUserRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Change a user's role, active flag or name",
    description="The last active admin can be neither demoted nor deactivated (409).",
)
async def update_user(
    user_id: uuid.UUID,
    body: AdminUserUpdate,
    _admin: SignedInAdmin,
    session: DbSession,
    clock: AppClock,
) -> User:
    return await account_service.admin_update_user(session, user_id, body, now=clock.now())


@router.post(
    "/{user_id}/unlock",
    operation_id="adminUnlockUser",
    response_model=AdminUserRead,
    responses=problem_responses(401, 403, 404),
    summary="Lift a sign-in lockout",
)
async def unlock_user(user_id: uuid.UUID, _admin: SignedInAdmin, session: DbSession) -> User:
    return await account_service.admin_unlock(session, user_id)


@router.post(
    "/{user_id}/logout-all",
    operation_id="adminLogoutUserEverywhere",
    response_model=SessionsRevoked,
    responses=problem_responses(401, 403, 404),
    summary="End every session of a user",
    description="Revokes the user's refresh tokens; access tokens expire within minutes.",
)
async def logout_user_everywhere(
    user_id: uuid.UUID, _admin: SignedInAdmin, session: DbSession, clock: AppClock
) -> SessionsRevoked:
    revoked = await account_service.admin_logout_all(session, user_id, now=clock.now())
    return SessionsRevoked(revoked=revoked)
