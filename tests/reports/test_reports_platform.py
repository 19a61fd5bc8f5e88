"""Platform figures, API calls counted per key in batches, constant query counts, the cache."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
from report_history import RANGE, History
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from course_builders import add_course
from factories import api_key_headers, create_api_key, create_user
from pintar_ekspor.accounts import usage
from pintar_ekspor.accounts.models import ApiKeyUsage, Role, User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.learning.models import Enrollment

REPORTS = ("course-progress", "user-progress", "course-engagement", "completion-rates")


async def test_api_calls_are_counted_per_key_and_reported(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    admin_headers: dict[str, str],
    developer: User,
) -> None:
    key, raw = await create_api_key(db_session, settings, developer, name="Integrasi ERP")
    headers = api_key_headers(raw)
    for params in ({}, {}, {"from": "2026-02-30"}):  # two answers, one 422
        await client.get("/api/v1/analytics/course-progress", params=params, headers=headers)
    await client.get("/api/v1/analytics/course-progress", headers=admin_headers)  # no key
    # Counted in memory only, until the batch is flushed.
    rows = (await db_session.scalars(select(ApiKeyUsage))).all()
    assert rows == []
    assert await usage.flush(app.state.usage_buffer, session_factory) == 1
    [row] = (await db_session.scalars(select(ApiKeyUsage))).all()
    assert (row.api_key_id, row.requests, row.client_errors, row.server_errors) == (
        key.id,
        3,
        1,
        0,
    )
    # A second batch adds to the same (key, hour) row.
    await client.get("/api/v1/analytics/user-progress", headers=headers)
    await usage.flush(app.state.usage_buffer, session_factory)
    await db_session.refresh(row)
    assert row.requests == 4

    today = datetime.now(UTC).date().isoformat()
    body = (
        await client.get(
            "/api/v1/analytics/platform",
            params={"from": today, "to": today},
            headers=admin_headers,
        )
    ).json()
    [key_row] = body["items"]
    assert key_row["name"] == "Integrasi ERP"
    assert key_row["owner_email"] == developer.email
    assert (key_row["requests"], key_row["client_errors"], key_row["error_rate"]) == (4, 1, 0.25)
    assert (body["totals"]["api_calls"], body["totals"]["api_errors"]) == (4, 1)
    assert body["totals"]["error_rate"] == 0.25
    [point] = body["series"]
    assert (point["period"], point["api_calls"], point["api_errors"]) == (today, 4, 1)


async def test_platform_users_enrolments_completions(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    history: History,
    admin: User,
    admin_headers: dict[str, str],
) -> None:
    await create_user(db_session, settings, role=Role.DEVELOPER, is_active=False)
    body = (
        await client.get(
            "/api/v1/analytics/platform",
            params={**RANGE, "granularity": "month"},
            headers=admin_headers,
        )
    ).json()
    roles = {r["role"]: (r["users"], r["active_accounts"]) for r in body["users_by_role"]}
    assert roles == {"admin": (1, 1), "developer": (1, 0), "learner": (10, 10)}
    series = [
        (p["period"], p["enrolments"], p["completions"], p["active_users"]) for p in body["series"]
    ]
    assert series == [
        ("2026-01-01", 5, 2, 5),
        ("2026-02-01", 4, 1, 4),
        ("2026-03-01", 0, 0, 2),
    ]
    totals = body["totals"]
    # Active users are distinct over the whole range (u4 and u5 were active twice).
    assert (totals["enrolments"], totals["completions"], totals["active_users"]) == (9, 3, 9)
    assert totals["new_users"] == 0  # every account here was created today, not in Q1 2026


async def test_query_count_does_not_grow_with_courses(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    history: History,
    admin_headers: dict[str, str],
    query_counter: Any,
) -> None:
    async def count(report: str, to: str) -> int:
        query_counter.reset()
        query_counter.active = True
        response = await client.get(
            f"/api/v1/analytics/{report}",
            params={"from": RANGE["from"], "to": to},
            headers=admin_headers,
        )
        query_counter.active = False
        assert response.status_code == 200, response.text
        return query_counter.count

    before = {r: await count(r, "2026-03-30") for r in (*REPORTS, "platform")}
    for n in range(4):
        course = await add_course(db_session, f"Kursus Tambahan {n}")
        for learner in history.learners[:6]:
            db_session.add(
                Enrollment(
                    user_id=learner.id,
                    course_id=course.id,
                    enrolled_at=datetime(2026, 3, 1 + n, tzinfo=UTC),
                )
            )
    await db_session.flush()
    after = {r: await count(r, "2026-03-29") for r in (*REPORTS, "platform")}
    assert after == before
    # The user's row, then at most 4 grouped statements per report.
    assert all(n <= 5 for n in after.values()), after


async def test_results_are_cached_per_parameters(
    client: httpx2.AsyncClient,
    history: History,
    admin_headers: dict[str, str],
    query_counter: Any,
) -> None:
    params = {**RANGE, "granularity": "week"}
    first = await client.get(
        "/api/v1/analytics/completion-rates", params=params, headers=admin_headers
    )
    query_counter.active = True
    again = await client.get(
        "/api/v1/analytics/completion-rates",
        params={**params, "limit": 1, "offset": 1},
        headers=admin_headers,
    )
    query_counter.active = False
    assert query_counter.count == 1  # only the caller's account
    assert again.json()["items"] == first.json()["items"][1:2]
    assert (again.json()["total"], again.json()["limit"], again.json()["offset"]) == (2, 1, 1)
