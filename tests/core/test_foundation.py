"""Foundation behaviour: health, problem+json errors, request ids, metrics, settings."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx2
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from pintar_ekspor.core.config import ConfigurationError, Settings, normalise_database_url

PROBLEM = "application/problem+json"


async def test_health_reports_up_with_timestamp_and_uptime(client: httpx2.AsyncClient) -> None:
    before = datetime.now(UTC)
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "UP"
    stamp = datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))
    assert stamp.tzinfo is not None
    assert abs((stamp - before).total_seconds()) < 5
    assert body["uptime"]["seconds"] >= 0
    assert body["uptime"]["human"].endswith("s")
    assert body["service"] == "pintar-ekspor"
    assert body["version"]


async def test_ready_checks_database(committed_client: httpx2.AsyncClient) -> None:
    response = await committed_client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["database"]["status"] == "UP"


async def test_ready_names_failing_database(settings: Settings) -> None:
    from pintar_ekspor.core.db import create_engine, create_session_factory
    from pintar_ekspor.main import create_app

    app = create_app(settings)
    broken: AsyncEngine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app.state.engine = broken
    app.state.session_factory = create_session_factory(broken)
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/health/ready")
    await broken.dispose()
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "DOWN"


async def test_unknown_route_is_problem_json(client: httpx2.AsyncClient) -> None:
    response = await client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/does-not-exist"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_is_problem_json(client: httpx2.AsyncClient) -> None:
    response = await client.delete("/health")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert "DELETE" in response.json()["detail"]


async def test_malformed_json_is_400_problem(client: httpx2.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b'{"email": "a@b.c", ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "malformed_json"


async def test_wrong_content_type_is_415_problem(client: httpx2.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b"email=a@b.c",
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM


async def test_validation_error_lists_fields(client: httpx2.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", json={"email": "not-an-email"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    fields = {e["field"] for e in body["errors"]}
    assert "email" in fields
    assert "password" in fields


async def test_unexpected_error_is_500_without_trace(settings: Settings) -> None:
    from pintar_ekspor.main import create_app

    app = create_app(settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx2.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["request_id"]


async def test_request_id_is_honoured_and_generated(client: httpx2.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
    assert len(generated.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route_template(client: httpx2.AsyncClient) -> None:
    await client.get("/health")
    await client.get("/api/v1/nope")
    text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/health",status="200"}' in text
    assert "http_request_duration_seconds_bucket" in text


def test_database_url_normalisation() -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalise_database_url("sqlite:///./x.db") == "sqlite+aiosqlite:///./x.db"
    assert normalise_database_url("sqlite+aiosqlite:///x.db") == "sqlite+aiosqlite:///x.db"


def test_production_refuses_default_secrets() -> None:
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError) as info:
        settings.check_production_safety()
    message = str(info.value)
    assert "JWT_SECRET" in message
    assert "API_KEY_SALT" in message
    assert "SQLite" in message
    assert "ALLOWED_HOSTS" in message


def test_production_accepts_real_secrets() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="production",
        jwt_secret="x" * 40,
        api_key_salt="y" * 40,
        data_encryption_key="z" * 40,
        database_url="postgresql://u@db/app",
        allowed_hosts=["pintarekspor.id"],
    )
    settings.check_production_safety()
