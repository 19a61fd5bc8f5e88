"""Developer routes of the accounts domain: the upgrade and API key management."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from pintar_ekspor.accounts import api_keys as api_key_service
from pintar_ekspor.accounts import service as account_service
from pintar_ekspor.accounts.dependencies import SignedInDeveloper, SignedInPerson
from pintar_ekspor.accounts.models import ApiKey
from pintar_ekspor.accounts.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    DeveloperUpgrade,
    DeveloperUpgradeRead,
    UserRead,
)
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.core.pagination import Page, Pagination

router = APIRouter(prefix="/developer", tags=["developer"])


def _created(key: ApiKey, raw: str) -> ApiKeyCreated:
    return ApiKeyCreated(**ApiKeyRead.model_validate(key).model_dump(), key=raw)


@router.post(
    "/upgrade",
    operation_id="upgradeToDeveloper",
    status_code=status.HTTP_201_CREATED,
    response_model=DeveloperUpgradeRead,
    responses=problem_responses(401, 403, 409, 422),
    summary="Become a developer and receive a first API key (shown once, also emailed)",
)
async def upgrade(
    user: SignedInPerson,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    body: DeveloperUpgrade | None = None,
) -> DeveloperUpgradeRead:
    upgraded, key, raw = await account_service.upgrade_to_developer(
        session, settings, user, key_name=(body or DeveloperUpgrade()).key_name, now=clock.now()
    )
    return DeveloperUpgradeRead(user=UserRead.model_validate(upgraded), api_key=_created(key, raw))


async def _create_key(
    body: ApiKeyCreate,
    user: SignedInDeveloper,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
) -> ApiKeyCreated:
    now = clock.now()
    expires_at = api_key_service.resolve_expiry(
        expires_at=body.expires_at, expires_in_days=body.expires_in_days, now=now
    )
    key, raw = await api_key_service.issue_key(
        session, settings, user, name=body.name, expires_at=expires_at, now=now
    )
    return _created(key, raw)


@router.post(
    "/keys",
    operation_id="createApiKey",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(401, 403, 409, 422),
    summary="Create an API key (shown once, also emailed)",
)
async def create_key(
    body: ApiKeyCreate,
    user: SignedInDeveloper,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
) -> ApiKeyCreated:
    return await _create_key(body, user, session, settings, clock)


@router.post(
    "/key",
    operation_id="createApiKeyLegacy",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(401, 403, 409, 422),
    summary="Create an API key (the path documented by the original platform)",
)
async def create_key_legacy(
    user: SignedInDeveloper,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    body: ApiKeyCreate | None = None,
) -> ApiKeyCreated:
    return await _create_key(body or ApiKeyCreate(), user, session, settings, clock)


@router.get(
    "/keys",
    operation_id="listApiKeys",
    response_model=Page[ApiKeyRead],
    responses=problem_responses(401, 403),
    summary="Your API keys (never the secrets)",
)
async def list_keys(
    user: SignedInDeveloper, session: DbSession, page: Pagination
) -> Page[ApiKeyRead]:
    rows, total = await api_key_service.list_keys(session, user.id, page)
    return Page.of([ApiKeyRead.model_validate(k) for k in rows], total, page)


@router.delete(
    "/keys/{key_id}",
    operation_id="revokeApiKey",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
    summary="Revoke an API key",
)
async def revoke_key(
    key_id: uuid.UUID, user: SignedInDeveloper, session: DbSession, clock: AppClock
) -> None:
    await api_key_service.revoke_key(session, user, key_id, now=clock.now())


@router.post(
    "/keys/{key_id}/rotate",
    operation_id="rotateApiKey",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(401, 403, 404, 409),
    summary="Replace an API key with a new one (the old one stops working now)",
)
async def rotate_key(
    key_id: uuid.UUID,
    user: SignedInDeveloper,
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
) -> ApiKeyCreated:
    key, raw = await api_key_service.rotate_key(session, settings, user, key_id, now=clock.now())
    return _created(key, raw)
