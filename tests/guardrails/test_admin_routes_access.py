"""No admin route answers a learner or a developer (JWT or API key): every /admin path in
the OpenAPI schema is walked, so a new admin route is covered the day it is added."""

from __future__ import annotations

import re
import uuid

import httpx2
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, assert_problem, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.core.config import Settings

METHODS = ("get", "post", "put", "patch", "delete")


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
