"""Who may read which report, what an API key sees (aggregates, small groups withheld), errors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
import pytest
from report_history import RANGE, History
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, assert_problem, create_api_key
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings

REPORTS = ("course-progress", "user-progress", "course-engagement", "completion-rates")
MONTHLY = {**RANGE, "granularity": "month"}
PERSONAL_KEYS = {"email", "full_name", "user_id", "owner_email", "learner", "name"}


def _walk(value: Any, path: str = "$") -> list[tuple[str, Any]]:
    """Every (path, leaf or key) of a JSON document."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((f"{path}.{key}", key))
            found.extend(_walk(child, f"{path}.{key}"))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_walk(child, f"{path}[{index}]"))
    else:
        found.append((path, value))
    return found


@pytest.mark.parametrize("report", REPORTS)
async def test_api_key_reports_hold_no_personal_data(
    client: httpx2.AsyncClient,
    history: History,
    developer: User,
    developer_key_headers: dict[str, str],
    report: str,
) -> None:
    forbidden_values = set()
    for person in [*history.learners, developer]:
        forbidden_values |= {person.email, person.full_name, str(person.id), person.id.hex}
    for granularity in ("month", "day"):
        response = await client.get(
            f"/api/v1/analytics/{report}",
            params={**RANGE, "granularity": granularity},
            headers=developer_key_headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["privacy"] == "aggregate"
        for path, leaf in _walk(body):
            assert leaf not in PERSONAL_KEYS, f"{report}: personal field at {path}"
            assert leaf not in forbidden_values, f"{report}: personal value at {path}"
            if isinstance(leaf, str):
                assert "@" not in leaf, f"{report}: e-mail-like value at {path}"
        csv_text = (
            await client.get(
                f"/api/v1/analytics/{report}",
                params={**RANGE, "format": "csv"},
                headers=developer_key_headers,
            )
        ).text
        assert not any(value in csv_text for value in forbidden_values)


async def test_small_groups_are_suppressed_not_zero(
    client: httpx2.AsyncClient, history: History, developer_key_headers: dict[str, str]
) -> None:
    body = (
        await client.get(
            "/api/v1/analytics/course-progress", params=MONTHLY, headers=developer_key_headers
        )
    ).json()
    rows = {row["course_id"]: row for row in body["items"]}
    a, b = rows[str(history.course_a.id)], rows[str(history.course_b.id)]
    # Course A: 6 enrolled (shown); 1 withdrawn, 3 completed, 1 and 2 active (withheld).
    assert (a["enrolled"], a["average_progress"]) == (6, 58.33)
    for name in ("withdrawn", "completed", "completion_rate", "active_7d", "active_30d"):
        assert a[name] is None, name
    assert a["median_days_to_complete"] is None
    assert a["suppressed"] is True
    assert a["suppressed_fields"] == [
        "withdrawn",
        "completed",
        "active_7d",
        "active_30d",
        "completion_rate",
        "median_days_to_complete",
    ]
    [quiz] = a["quizzes"]  # 3 learners tried the quiz
    assert quiz["suppressed"] is True
    assert quiz["attempted_learners"] is None
    assert quiz["pass_rate"] is None
    # Course B: a cohort of 3 -> every figure about it withheld; true zeros stay zeros.
    assert (b["enrolled"], b["completion_rate"], b["average_progress"]) == (None, None, None)
    assert (b["completed"], b["active_7d"]) == (0, 0)
    assert b["suppressed_fields"] == ["enrolled", "completion_rate", "average_progress"]
    series = {p["period"]: p for p in body["series"]}
    assert series["2026-01-01"]["active_learners"] == 5
    assert series["2026-01-01"]["lessons_viewed"] == 11
    assert series["2026-01-01"]["course_completions"] is None  # 2 learners
    feb = series["2026-02-01"]  # 4 active learners: the whole point is withheld
    assert feb["suppressed"] is True
    assert [feb[k] for k in ("active_learners", "enrolments", "lessons_viewed")] == [None] * 3


async def test_funnel_and_cohorts_suppressed_for_api_keys(
    client: httpx2.AsyncClient, history: History, developer_key_headers: dict[str, str]
) -> None:
    body = (
        await client.get(
            "/api/v1/analytics/completion-rates",
            params={**MONTHLY, "course_id": str(history.course_a.id)},
            headers=developer_key_headers,
        )
    ).json()
    [a] = body["items"]
    assert [(s["reached"], s["stopped"]) for s in a["funnel"]] == [
        (5, None),
        (None, None),
        (None, 0),
        (None, 0),
    ]
    assert [(c["enrolled"], c["completed"], c["completion_rate"]) for c in a["cohorts"]] == [
        (None, None, None),
        (None, None, None),
    ]


async def test_drill_down_and_platform_are_admin_session_only(
    client: httpx2.AsyncClient,
    history: History,
    developer_key_headers: dict[str, str],
    db_session: AsyncSession,
    settings: Settings,
    admin: User,
) -> None:
    learner = history.learners[0]
    for path in (f"user-progress/{learner.id}", "platform"):
        response = await client.get(f"/api/v1/analytics/{path}", headers=developer_key_headers)
        body = assert_problem(response, 403, "admin_session_required")
        assert learner.email not in response.text
        assert "email" not in body
    # Even an admin's own API key gets the aggregate view only.
    _, raw = await create_api_key(db_session, settings, admin)
    admin_key = api_key_headers(raw)
    assert_problem(
        await client.get(f"/api/v1/analytics/user-progress/{learner.id}", headers=admin_key),
        403,
        "admin_session_required",
    )
    body = (await client.get("/api/v1/analytics/course-progress", headers=admin_key)).json()
    assert body["privacy"] == "aggregate"


@pytest.mark.parametrize("path", [*REPORTS, "platform", f"user-progress/{uuid.UUID(int=1)}"])
async def test_learners_403_and_anonymous_401(
    client: httpx2.AsyncClient, learner_headers: dict[str, str], path: str
) -> None:
    assert_problem(
        await client.get(f"/api/v1/analytics/{path}", headers=learner_headers),
        403,
        "reports_forbidden",
    )
    assert_problem(await client.get(f"/api/v1/analytics/{path}"), 401)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-13-01"}, 422, "validation_failed"),
        ({"to": "yesterday"}, 422, "validation_failed"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, 422, "invalid_date_range"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, 422, "date_range_too_large"),
        ({"to": "0001-01-01"}, 422, "date_out_of_range"),  # the default start left the calendar
        ({"from": "9999-12-31"}, 422, "date_out_of_range"),
        ({"from": "1969-12-31", "to": "1970-01-02"}, 422, "date_out_of_range"),
        ({"granularity": "year"}, 422, "validation_failed"),
        ({"course_id": "not-a-uuid"}, 422, "validation_failed"),
        ({"course_id": str(uuid.UUID(int=7))}, 404, "course_not_found"),
        ({"limit": 0}, 422, "validation_failed"),
        ({"format": "xml"}, 422, "validation_failed"),
    ],
)
async def test_bad_input_is_a_problem(
    client: httpx2.AsyncClient,
    admin_headers: dict[str, str],
    params: dict[str, str],
    status: int,
    code: str,
) -> None:
    for report in (*REPORTS, "platform"):
        response = await client.get(
            f"/api/v1/analytics/{report}", params=params, headers=admin_headers
        )
        assert_problem(response, status, code)


async def test_a_date_outside_the_calendar_is_a_problem_on_the_drill_down(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    # The probe's request: the default 90-day start before 0001-01-01 was an OverflowError.
    response = await client.get(
        f"/api/v1/analytics/user-progress/{uuid.UUID(int=3)}",
        params={"to": "0001-01-01", "format": "csv", "granularity": "day"},
        headers=admin_headers,
    )
    assert_problem(response, 422, "date_out_of_range")
    assert "'to' (0001-01-01)" in response.json()["detail"]


async def test_unknown_learner_is_404(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    assert_problem(
        await client.get(
            f"/api/v1/analytics/user-progress/{uuid.UUID(int=3)}", headers=admin_headers
        ),
        404,
        "user_not_found",
    )


async def test_analytics_routes_still_answer(
    client: httpx2.AsyncClient, admin_headers: dict[str, str]
) -> None:
    """The reports share /analytics with the time-series module; neither shadows the other."""
    listing = await client.get("/api/v1/analytics/analyses", headers=admin_headers)
    assert listing.status_code == 200, listing.text
    assert "items" in listing.json()
    missing = await client.get(
        f"/api/v1/analytics/analyses/{uuid.UUID(int=9)}", headers=admin_headers
    )
    assert missing.status_code == 404
