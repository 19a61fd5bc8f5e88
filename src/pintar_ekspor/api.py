"""The /api/v1 router: every domain router mounted in one place."""

from __future__ import annotations

from fastapi import APIRouter

from pintar_ekspor.accounts import router as accounts_router
from pintar_ekspor.analytics import router as analytics_router
from pintar_ekspor.notifications import router as notifications_router


def build_api_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    for router in (
        accounts_router.router,
        analytics_router.router,
        notifications_router.router,
    ):
        api.include_router(router)
    return api
