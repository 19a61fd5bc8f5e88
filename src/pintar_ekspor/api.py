"""The /api/v1 router: every domain router mounted in one place."""

from __future__ import annotations

from fastapi import APIRouter

from pintar_ekspor.accounts import router as accounts_router
from pintar_ekspor.analytics import router as analytics_router
from pintar_ekspor.audit import router as audit_router
from pintar_ekspor.courses import admin_router as courses_admin_router
from pintar_ekspor.courses import router as courses_router
from pintar_ekspor.learning import certificate_router
from pintar_ekspor.learning import router as learning_router
from pintar_ekspor.notifications import router as notifications_router


def build_api_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    # Routes are matched in order, one regex per route: the learner-facing reads (catalogue,
    # course pages, progress, my learning, /users/me) come first, so the hottest requests
    # do not walk past every admin and analytics route. No path of one router overlaps
    # another's, so the order changes nothing else.
    for router in (
        courses_router.router,
        learning_router.router,
        certificate_router.router,
        accounts_router.router,
        analytics_router.router,
        audit_router.router,
        courses_admin_router.router,
        notifications_router.router,
    ):
        api.include_router(router)
    return api
