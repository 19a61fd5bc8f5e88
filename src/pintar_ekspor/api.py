"""The /api/v1 API: every domain router mounted in one place.

The domain routers are mounted on the app itself under the `/api/v1` prefix, not inside one
`/api/v1` router: FastAPI matches a request level by level (each included router is scanned
when matching and again when handling), so one level less halves the regexes every API
request walks through (see docs/performance.md).
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from pintar_ekspor.accounts import router as accounts_router
from pintar_ekspor.accounts.dependencies import require_signed_in_admin
from pintar_ekspor.analytics import router as analytics_router
from pintar_ekspor.audit import router as audit_router
from pintar_ekspor.core.inputs import reject_nul_bytes
from pintar_ekspor.courses import admin_router as courses_admin_router
from pintar_ekspor.courses import media_router
from pintar_ekspor.courses import router as courses_router
from pintar_ekspor.learning import certificate_router, course_page_router
from pintar_ekspor.learning import router as learning_router
from pintar_ekspor.notifications import router as notifications_router
from pintar_ekspor.reports import router as reports_router

API_PREFIX = "/api/v1"


def mount_api(app: FastAPI) -> None:
    # Every API route refuses NUL characters in its input (core.inputs explains why).
    refuse_nul = Depends(reject_nul_bytes)
    # FastAPI tries routes in mounting order, so the routers every visitor and learner hits
    # come first (the catalogue, course pages, /users/me, learning); admin routers last.
    # No two routers' paths can match the same request (tests/core/test_route_order.py), so
    # the order decides speed, not which route answers; the OpenAPI document groups
    # operations by tag, in the order fixed by `OPENAPI_TAGS`.
    for router in (
        courses_router.router,
        # The course page is learner-aware (learning) but answers under /courses/{id_or_slug}:
        # mounted right after the catalogue.
        course_page_router.router,
        accounts_router.users,
        learning_router.router,
        certificate_router.router,
        *accounts_router.routers,
        analytics_router.router,
        reports_router.router,
        courses_admin_router.router,
        media_router.admin,
    ):
        app.include_router(router, prefix=API_PREFIX, dependencies=[refuse_nul])
    # Platform routers (audit trail, e-mail outbox) do not import identity: the admin check
    # is attached here, where they are mounted. Like every /admin route, they are for admins
    # signed in with a JWT; an admin's API key is refused (`jwt_required`).
    for platform_router in (audit_router.router, notifications_router.router):
        app.include_router(
            platform_router,
            prefix=API_PREFIX,
            dependencies=[refuse_nul, Depends(require_signed_in_admin)],
        )
