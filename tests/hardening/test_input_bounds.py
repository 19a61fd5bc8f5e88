"""Issue 11 item 2: input PostgreSQL cannot take answers 422 naming the field, never 500.

A NUL character in any text (JSON body, form, query, path) and an `offset`/`limit` beyond a
64-bit integer used to reach the database and fail there. Run with TEST_DB=postgres to see
the original failure mode; the answers are the same on SQLite.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from factories import assert_problem

API = "/api/v1"


def _fields(body: dict[str, Any]) -> set[str]:
    return {e["field"] for e in body["errors"]}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/login", {"email": "a\u0000b@x.io", "password": "x"}, "email"),
        (
            "/auth/register",
            {"email": "a@x.io", "password": "Kopi-Gayo-Aceh-2026", "full_name": "Si\u0000ti"},
            "full_name",
        ),
        ("/auth/refresh", {"refresh_token": "abc\u0000"}, "refresh_token"),
    ],
)
async def test_nul_in_a_json_field_is_a_422_naming_it(
    client: httpx2.AsyncClient, path: str, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(await client.post(f"{API}{path}", json=body), 422, "nul_character")
    assert _fields(problem) == {field}
    assert field in problem["detail"]


async def test_nul_in_the_oauth2_form_is_a_422(client: httpx2.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/token", data={"username": "a\u0000@x.io", "password": "secret"}
    )
    assert _fields(assert_problem(response, 422, "nul_character")) == {"username"}


async def test_nul_in_query_and_path_is_a_422(client: httpx2.AsyncClient) -> None:
    response = await client.get(f"{API}/courses", params={"q": "kopi\u0000"})
    assert _fields(assert_problem(response, 422, "nul_character")) == {"q"}
    response = await client.get(f"{API}/courses/kopi%00gayo")
    assert_problem(response, 422, "nul_character")


async def test_nul_in_profile_and_admin_fields_is_a_422(
    client: httpx2.AsyncClient,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
    learner: Any,
) -> None:
    response = await client.patch(
        f"{API}/users/me", json={"full_name": "Budi\u0000"}, headers=learner_headers
    )
    assert _fields(assert_problem(response, 422, "nul_character")) == {"full_name"}
    response = await client.patch(
        f"{API}/admin/users/{learner.id}", json={"full_name": "\u0000"}, headers=admin_headers
    )
    assert _fields(assert_problem(response, 422, "nul_character")) == {"full_name"}
    response = await client.get(f"{API}/admin/users", params={"q": "\u0000"}, headers=admin_headers)
    assert _fields(assert_problem(response, 422, "nul_character")) == {"q"}


async def test_nested_nul_is_named_by_its_path(
    client: httpx2.AsyncClient, learner_headers: dict[str, str]
) -> None:
    response = await client.post(
        f"{API}/lessons/00000000-0000-0000-0000-000000000000/attempts",
        json={"answers": [{"question_id": "q\u0000", "option_ids": ["a"]}]},
        headers=learner_headers,
    )
    assert _fields(assert_problem(response, 422, "nul_character")) == {"answers.0.question_id"}


async def test_escaped_backslash_u0000_is_ordinary_text(client: httpx2.AsyncClient) -> None:
    # The JSON text `\\u0000` is a backslash and "u0000", not a NUL: no false alarm.
    response = await client.post(
        f"{API}/auth/login",
        content=b'{"email": "a\\\\u0000b@x.io", "password": "x"}',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 401, "invalid_credentials")


@pytest.mark.parametrize("offset", ["99999999999999999999", str(2**63), str(2**53 + 1), "-1"])
@pytest.mark.parametrize(
    "path",
    [
        "/courses",
        "/me/courses",
        "/admin/users",
        "/admin/courses",
        "/admin/audit-logs",
        "/admin/emails",
        "/developer/keys",
        "/analytics/analyses",
        "/users/me/security-events",
    ],
)
async def test_offset_beyond_the_bound_is_a_422_on_every_list(
    client: httpx2.AsyncClient, admin_headers: dict[str, str], path: str, offset: str
) -> None:
    response = await client.get(f"{API}{path}", params={"offset": offset}, headers=admin_headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert _fields(problem) == {"offset"}


@pytest.mark.parametrize("limit", ["99999999999999999999", "101", "0"])
async def test_limit_beyond_the_bound_is_a_422(client: httpx2.AsyncClient, limit: str) -> None:
    response = await client.get(f"{API}/courses", params={"limit": limit})
    assert _fields(assert_problem(response, 422, "validation_failed")) == {"limit"}


async def test_the_largest_offset_is_an_empty_page(client: httpx2.AsyncClient) -> None:
    response = await client.get(f"{API}/courses", params={"offset": str(2**53)})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
    assert response.json()["offset"] == 2**53
