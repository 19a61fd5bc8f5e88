"""`pintar-ekspor create-admin`, and the accounts part of the OpenAPI contract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from pintar_ekspor.cli import app as cli_app
from pintar_ekspor.core.config import get_settings


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("PASSWORD_HASH_MEMORY_KIB", "1024")
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def test_create_admin_creates_then_promotes(cli_env: CliRunner) -> None:
    args = ["create-admin", "--email", "Boss@Example.com", "--password", "Teh-Tarik-Medan-2026"]
    first = cli_env.invoke(cli_app, args)
    assert first.exit_code == 0, first.output
    assert "admin created" in first.output
    second = cli_env.invoke(cli_app, args)
    assert second.exit_code == 0, second.output
    assert "admin promoted" in second.output


def test_create_admin_refuses_a_weak_password(cli_env: CliRunner) -> None:
    result = cli_env.invoke(
        cli_app, ["create-admin", "--email", "b@example.com", "--password", "short"]
    )
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output


async def test_accounts_operations_are_documented(client: httpx2.AsyncClient) -> None:
    schema = (await client.get("/api/v1/openapi.json")).json()
    operations = {
        op["operationId"]: (method.upper(), path)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    }
    expected = {
        "register": ("POST", "/api/v1/auth/register"),
        "login": ("POST", "/api/v1/auth/login"),
        "loginForm": ("POST", "/api/v1/auth/token"),
        "refreshToken": ("POST", "/api/v1/auth/refresh"),
        "logout": ("POST", "/api/v1/auth/logout"),
        "logoutAll": ("POST", "/api/v1/auth/logout-all"),
        "getMe": ("GET", "/api/v1/users/me"),
        "updateMe": ("PATCH", "/api/v1/users/me"),
        "changePassword": ("POST", "/api/v1/users/me/password"),
        "adminListUsers": ("GET", "/api/v1/admin/users"),
        "adminGetUser": ("GET", "/api/v1/admin/users/{user_id}"),
        "adminUpdateUser": ("PATCH", "/api/v1/admin/users/{user_id}"),
        "upgradeToDeveloper": ("POST", "/api/v1/developer/upgrade"),
        "createApiKey": ("POST", "/api/v1/developer/keys"),
        "createApiKeyLegacy": ("POST", "/api/v1/developer/key"),
        "listApiKeys": ("GET", "/api/v1/developer/keys"),
        "revokeApiKey": ("DELETE", "/api/v1/developer/keys/{key_id}"),
        "rotateApiKey": ("POST", "/api/v1/developer/keys/{key_id}/rotate"),
    }
    for operation_id, where in expected.items():
        assert operations.get(operation_id) == where, operation_id
    register_body = schema["components"]["schemas"]["UserCreate"]
    assert "role" not in register_body["properties"]
    assert register_body.get("additionalProperties") is False
