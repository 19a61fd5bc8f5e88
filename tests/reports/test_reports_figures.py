"""Every figure of every report on the known history (report_history.py), as an admin."""

from __future__ import annotations

from typing import Any

import httpx2
from report_history import RANGE, History

MONTHLY = {**RANGE, "granularity": "month"}


async def _get(
    client: httpx2.AsyncClient, report: str, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/analytics/{report}", params={**MONTHLY, **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_course(body: dict[str, Any], history: History) -> tuple[dict[str, Any], dict[str, Any]]:
    rows = {row["course_id"]: row for row in body["items"]}
    return rows[str(history.course_a.id)], rows[str(history.course_b.id)]


async def test_course_progress(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    body = await _get(client, "course-progress", admin_headers)
    assert body["privacy"] == "full"
    assert body["total"] == 2
    a, b = _by_course(body, history)
    assert {k: a[k] for k in a if k not in ("course_id", "slug", "quizzes")} == {
        "title": "Kursus Laporan A",
        "enrolled": 6,
        "withdrawn": 1,
        "completed": 3,
        "completion_rate": 0.5,
        "active_7d": 1,
        "active_30d": 2,
        "average_progress": 58.33,
        "median_days_to_complete": 4.0,
        "suppressed": False,
        "suppressed_fields": [],
    }
    [quiz] = a["quizzes"]
    assert quiz["title"] == "A4"
    assert quiz["ordinal"] == 4
    assert (quiz["attempted_learners"], quiz["passed_learners"], quiz["pass_rate"]) == (3, 3, 1.0)
    assert (quiz["attempts"], quiz["average_score"]) == (4, 87.5)
    assert (b["enrolled"], b["completed"], b["completion_rate"], b["average_progress"]) == (
        3,
        0,
        0.0,
        0.0,
    )
    assert b["median_days_to_complete"] is None
    assert b["quizzes"] == []


async def test_activity_series_by_month(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    body = await _get(client, "course-engagement", admin_headers)
    series = [
        (
            p["period"],
            p["active_learners"],
            p["enrolments"],
            p["lessons_viewed"],
            p["lessons_completed"],
            p["quiz_attempts"],
            p["course_completions"],
        )
        for p in body["series"]
    ]
    assert series == [
        ("2026-01-01", 5, 5, 11, 8, 3, 2),
        ("2026-02-01", 4, 4, 7, 6, 1, 1),
        ("2026-03-01", 2, 0, 2, 0, 0, 0),
    ]


async def test_weekly_and_daily_buckets(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    weekly = await _get(
        client, "course-engagement", admin_headers, granularity="week", to="2026-01-18"
    )
    # Weeks start on Monday: 2025-12-29 holds Jan 1; u1 (Jan 5-7) and u2 (Jan 10-14).
    assert [(p["period"], p["active_learners"]) for p in weekly["series"]] == [
        ("2025-12-29", 0),
        ("2026-01-05", 2),
        ("2026-01-12", 1),
    ]
    daily = await _get(
        client,
        "course-engagement",
        admin_headers,
        granularity="day",
        **{"from": "2026-03-10"},
        to="2026-03-11",
    )
    assert [(p["period"], p["lessons_viewed"]) for p in daily["series"]] == [
        ("2026-03-10", 1),
        ("2026-03-11", 0),
    ]


async def test_course_engagement(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    body = await _get(client, "course-engagement", admin_headers, course_id=history.course_a.id)
    lessons = [
        (row["title"], row["ordinal"], row["views"], row["viewers"], row["completions"])
        for row in body["items"]
    ]
    assert lessons == [
        ("A1", 1, 6, 5, 4),
        ("A2", 2, 5, 4, 4),
        ("A3", 3, 3, 3, 3),
        ("A4", 4, 3, 3, 3),
    ]
    # Gaps (hours): u1 12,12,12; u2 24,24,24; u3 36,36,36; u4 2 -> median of 10 = 24.
    assert body["between_lessons"] == {
        "learners": 4,
        "gaps": 10,
        "median_hours_between_lessons": 24.0,
        "suppressed": False,
        "suppressed_fields": [],
    }


async def test_completion_rates_cohorts_and_funnel(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    body = await _get(client, "completion-rates", admin_headers)
    a, b = _by_course(body, history)
    assert (a["enrolled"], a["completed"], a["completion_rate"], a["not_started"]) == (
        6,
        3,
        0.5,
        1,
    )
    assert [
        (c["month"], c["enrolled"], c["completed"], c["completion_rate"]) for c in a["cohorts"]
    ] == [
        ("2026-01-01", 2, 2, 1.0),
        ("2026-02-01", 4, 1, 0.25),
    ]
    assert [(s["title"], s["reached"], s["stopped"]) for s in a["funnel"]] == [
        ("A1", 5, 1),
        ("A2", 4, 1),
        ("A3", 3, 0),
        ("A4", 3, 0),
    ]
    assert [(s["title"], s["reached"], s["stopped"]) for s in b["funnel"]] == [
        ("B1", 3, 3),
        ("B2", 0, 0),
    ]
    assert (b["enrolled"], b["completed"], b["not_started"]) == (3, 0, 0)


async def test_user_progress_buckets(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    body = await _get(client, "user-progress", admin_headers)
    buckets = ("progress_0", "progress_1_24", "progress_25_49", "progress_50_74")
    a, b = _by_course(body, history)
    assert [a[k] for k in (*buckets, "progress_75_99", "progress_100")] == [2, 0, 0, 1, 0, 3]
    assert (a["enrolments"], a["average_progress"]) == (6, 58.33)
    assert (b["enrolments"], b["progress_0"], b["average_progress"]) == (3, 3, 0.0)
    overall = body["overall"]
    assert (overall["enrolments"], overall["learners"], overall["progress_0"]) == (9, 9, 5)
    assert (overall["progress_50_74"], overall["progress_100"]) == (1, 3)
    assert overall["average_progress"] == 38.89


async def test_learner_drill_down_for_admins(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    u4 = history.learners[3]
    body = await _get(client, f"user-progress/{u4.id}", admin_headers)
    assert body["learner"]["email"] == u4.email
    assert body["learner"]["full_name"] == "Pelajar Rahasia 4"
    [enrolment] = body["enrolments"]
    assert (enrolment["title"], enrolment["progress"], enrolment["status"]) == (
        "Kursus Laporan A",
        50,
        "active",
    )
    assert [(p["period"], p["events"], p["lessons_viewed"]) for p in body["series"]] == [
        ("2026-01-01", 0, 0),
        ("2026-02-01", 5, 2),
        ("2026-03-01", 1, 1),
    ]


async def test_csv_export(
    client: httpx2.AsyncClient, history: History, admin_headers: dict[str, str]
) -> None:
    response = await client.get(
        "/api/v1/analytics/completion-rates",
        params={**MONTHLY, "format": "csv"},
        headers=admin_headers,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.text
    for section in ("# report", "# items", "# items.cohorts", "# items.funnel", "# series"):
        assert f"\n{section}\n" in f"\n{text}"
    assert f"{history.course_a.id},{history.lessons_a[0].id},A1,1,5,1,false," in text
