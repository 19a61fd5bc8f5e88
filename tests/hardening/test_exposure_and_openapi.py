"""Issue 11 items 8 and 11: what production exposes, and an OpenAPI document that is honest
about errors (every error answer declared, as problem+json; password rules as enforced;
405 naming every allowed method)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from factories import assert_problem
from pintar_ekspor.core.config import ConfigurationError, Settings
from pintar_ekspor.core.db import create_session_factory
from pintar_ekspor.main import create_app

PROBLEM = "application/problem+json"
PRODUCTION = {
    "env": "production",
    "jwt_secret": "p" * 40,
    "api_key_salt": "q" * 40,
    "data_encryption_key": "r" * 40,
    "allowed_hosts": ["testserver"],
}


def _production_settings(settings: Settings, **overrides: Any) -> Settings:
    values = settings.model_dump() | PRODUCTION | overrides
    values["database_url"] = "postgresql+asyncpg://postgres@127.0.0.1:1/unused"
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _app(settings: Settings, engine: AsyncEngine) -> Any:
    app = create_app(settings)
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    return app


async def _get(app: Any, path: str) -> httpx2.Response:
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50020))
    async with httpx2.AsyncClient(transport=transport, base_url="https://testserver") as c:
        return await c.get(path)


async def test_production_hides_docs_and_the_openapi_file(
    settings: Settings, engine: AsyncEngine
) -> None:
    app = _app(_production_settings(settings), engine)
    for path in ("/docs", "/api/v1/openapi.json"):
        response = await _get(app, path)
        assert response.status_code == 404, path
        # Even a 404 carries the production headers.
        assert response.headers["strict-transport-security"].startswith("max-age=")
    assert app.openapi()["paths"]  # the document still exists for `make openapi`


async def test_docs_can_be_enabled_in_production(settings: Settings, engine: AsyncEngine) -> None:
    app = _app(_production_settings(settings, docs_enabled=True), engine)
    assert (await _get(app, "/docs")).status_code == 200
    assert (await _get(app, "/api/v1/openapi.json")).status_code == 200


async def test_docs_are_served_outside_production(client: httpx2.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/api/v1/openapi.json")).status_code == 200


@pytest.mark.parametrize("hosts", [["*"], ["pintarekspor.id", "*"], []])
def test_production_refuses_a_wildcard_host_list(settings: Settings, hosts: list[str]) -> None:
    production = _production_settings(settings, allowed_hosts=hosts)
    with pytest.raises(ConfigurationError, match="ALLOWED_HOSTS"):
        production.check_production_safety()


@pytest.fixture
async def schema(client: httpx2.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/api/v1/openapi.json")).json()
    return document


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


async def test_every_operation_declares_its_error_answers_as_problem_json(
    schema: dict[str, Any],
) -> None:
    operations = _operations(schema)
    assert len(operations) > 40
    for path, method, operation in operations:
        responses = operation["responses"]
        for status in ("400", "401", "403", "429", "500", "503"):
            assert status in responses, (method, path, status)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == [PROBLEM], (method, path, status)
                assert response["content"][PROBLEM]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
        if "requestBody" in operation:
            assert {"413", "415", "422"} <= set(responses), (method, path)
        assert "Retry-After" in responses["429"].get("headers", {}), (method, path)
    assert "HTTPValidationError" not in schema["components"]["schemas"]


async def test_password_rules_are_stated_as_enforced(schema: dict[str, Any]) -> None:
    for model, field in (("UserCreate", "password"), ("PasswordChange", "new_password")):
        prop = schema["components"]["schemas"][model]["properties"][field]
        assert prop["minLength"] == 10, model
        assert prop["maxLength"] == 256, model
        assert "common" in prop["description"], model


async def test_the_documented_minimum_is_the_enforced_one(client: httpx2.AsyncClient) -> None:
    body = {"email": "nine@example.com", "full_name": "Nine", "password": "Kopi-Ga9!"}
    assert_problem(await client.post("/api/v1/auth/register", json=body), 422, "weak_password")
    body["password"] = "Kopi-Gay0!"  # exactly 10 characters
    assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201


async def test_405_lists_every_allowed_method(
    client: httpx2.AsyncClient, learner_headers: dict[str, str]
) -> None:
    response = await client.delete("/api/v1/users/me", headers=learner_headers)
    assert_problem(response, 405, "method_not_allowed")
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "PATCH"} <= allowed
    assert "DELETE" not in allowed
