"""No admin route answers a learner or a developer (JWT or API key), nor an admin's API key:
every /admin path (of the OpenAPI schema, and of the app's route table) is walked, so a new
admin route is covered the day it is added."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx2
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, assert_problem, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.config import Settings

METHODS = ("get", "post", "put", "patch", "delete")
ADMIN_PREFIX = "/api/v1/admin"


async def test_every_admin_route_refuses_learners_and_developers(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    learner = await create_user(db_session, settings, role=Role.LEARNER)
    developer = await create_user(db_session, settings, role=Role.DEVELOPER)
    _, raw_key = await create_api_key(db_session, settings, developer)
    callers = {
        "learner JWT": auth_headers(settings, learner),
        "developer JWT": auth_headers(settings, developer),
        "developer API key": api_key_headers(raw_key),
        "developer X-API-Key": {"X-API-Key": raw_key},
    }
    schema = (await client.get("/api/v1/openapi.json")).json()
    operations = [
        (method, re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path))
        for path, item in schema["paths"].items()
        if "/admin" in path
        for method in METHODS
        if method in item
    ]
    assert len(operations) >= 25, operations
    for method, url in operations:
        assert_problem(await client.request(method.upper(), url, json={}), 401)
        for who, headers in callers.items():
            r = await client.request(method.upper(), url, json={}, headers=headers)
            assert r.status_code == 403, f"{who} {method.upper()} {url}: {r.status_code}"
            assert_problem(r, 403)


def _admin_operations(app: Any) -> list[tuple[str, str]]:
    """(method, url) of every route under /api/v1/admin in the app's route table, documented
    or not, with a fresh UUID in each path parameter. `iter_route_contexts` flattens included
    routers with their prefixes (as FastAPI's OpenAPI generation walks them)."""
    return sorted(
        (method, re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path))
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute)
        and route.path is not None
        and route.path.startswith(ADMIN_PREFIX)
        for method in route.methods or ()
        if method != "HEAD"
    )


async def test_admin_routes_are_for_signed_in_admins_only(
    app: Any, client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    """One policy for every admin route: an admin signed in with a JWT. API keys are for
    developers' programs, so even an admin's own key is refused (`jwt_required`)."""
    learner = await create_user(db_session, settings, role=Role.LEARNER)
    developer = await create_user(db_session, settings, role=Role.DEVELOPER)
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    _, developer_key = await create_api_key(db_session, settings, developer)
    _, admin_key = await create_api_key(db_session, settings, admin)
    operations = _admin_operations(app)
    # users, courses (+ sections, lessons, drafts), media, certificates, e-mails, audit trail
    assert len(operations) >= 25, operations
    prefixes = {url.removeprefix(ADMIN_PREFIX).split("/")[1] for _, url in operations}
    assert {"users", "courses", "media", "certificates", "emails", "audit-logs"} <= prefixes

    for method, url in operations:
        where = f"{method} {url}"

        async def call(headers: dict[str, str] | None = None) -> httpx2.Response:
            return await client.request(method, url, json={}, headers=headers)  # noqa: B023

        r = await call()
        assert r.status_code == 401, f"anonymous {where}: {r.status_code}"
        assert_problem(r, 401)
        r = await call(auth_headers(settings, learner))
        assert r.status_code == 403, f"learner JWT {where}: {r.status_code}"
        for header in (api_key_headers(developer_key), {"X-API-Key": developer_key}):
            r = await call(header)
            assert r.status_code in (401, 403), f"developer key {where}: {r.status_code}"
        for header in (api_key_headers(admin_key), {"X-API-Key": admin_key}):
            r = await call(header)
            assert r.status_code == 403, f"admin key {where}: {r.status_code}"
            assert_problem(r, 403, "jwt_required")
        r = await call(auth_headers(settings, admin))
        assert r.status_code not in (401, 403), f"admin JWT {where}: {r.status_code} {r.text}"
        assert r.status_code < 500, f"admin JWT {where}: {r.status_code} {r.text}"
