"""The outside probe, permanent: schemathesis against a live platform on PostgreSQL + Redis.

Starts `uvicorn` on a free port over a throw-away PostgreSQL database (migrated, demo courses
seeded) with Redis, signs in as a learner (JWT), a developer (API key) and an admin (JWT), and
runs `st run` against the live OpenAPI document once per role, with a fixed seed. Checks:
no server error, status codes, content types, response headers and response bodies all as
the document declares. Exits non-zero on any failure; prints the case count per role.

    .venv/bin/python scripts/probe.py                     # CI budget (make probe, ~2-3 min)
    PROBE_MAX_EXAMPLES=600 .venv/bin/python scripts/probe.py   # make fuzz: the long run

Environment: TEST_DATABASE_URL (server, default postgres@127.0.0.1:5432), TEST_REDIS_URL
(default redis://127.0.0.1:6379/15), PROBE_MAX_EXAMPLES (cases per operation and phase,
default 2), PROBE_SEED (default 20261201), PROBE_WORKERS (default 1), PROBE_ROLES (default
learner,developer,admin).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
MAX_EXAMPLES = int(os.environ.get("PROBE_MAX_EXAMPLES", "2"))
SEED = int(os.environ.get("PROBE_SEED", "20261201"))
# One worker: with several, hypothesis's lambda-source parsing in threads trips CPython
# 3.11's "AST constructor recursion depth mismatch" (a schemathesis runtime error, not ours).
WORKERS = os.environ.get("PROBE_WORKERS", "1")
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
PASSWORD = "Probe-Kopi-Gayo-2026!"
# Operations that end the probe's own sign-in for the rest of its run; their behaviour is
# covered by tests/accounts (revocation, password change).
SELF_ENDING = ("logoutAll", "changePassword")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _pg_admin(sql: str) -> None:
    import asyncpg

    url = make_url(PG_SERVER_URL)
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
        timeout=5,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _environment(database_url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ENV": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_KEY_PREFIX": f"probe-{uuid.uuid4().hex[:8]}",
        # The probe sends thousands of requests from one address: limits would only hide
        # operations behind 429s (documented answers, but nothing learned).
        "RATE_LIMIT_ENABLED": "false",
        # The probe's developer upgrades through the API without reading its e-mail.
        "REQUIRE_VERIFIED_EMAIL_FOR_DEVELOPER": "false",
        "JWT_SECRET": "probe-jwt-secret-that-is-long-enough-0123456789abcdef",
        "API_KEY_SALT": "probe-api-key-salt-that-is-long-enough-0123456789",
        "DATA_ENCRYPTION_KEY": "probe-data-key-that-is-long-enough-0123456789abcdef",
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_MEMORY_KIB": "1024",
        "EMAIL_BACKEND": "console",
        "EMAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "ANALYTICS_WORKERS": "1",
        "ANALYTICS_TIMEOUT_SECONDS": "20",
        "FRONTEND_DIST": str(workdir / "no-frontend"),
        "ADMIN_EMAIL": "probe-admin@example.com",
        "ADMIN_PASSWORD": PASSWORD,
        "LOG_LEVEL": "WARNING",
    }


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> None:
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


async def _wait_up(base: str, process: subprocess.Popen[bytes]) -> None:
    # Migrations and the first import of a cold process can take a while on a busy machine.
    deadline = time.monotonic() + 240
    async with httpx2.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the platform exited with {process.returncode}")
            try:
                if (await client.get(f"{base}/health", timeout=1)).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the platform did not come up")


async def _identities(base: str) -> dict[str, str]:
    """Authorization headers of a learner (JWT), a developer (API key) and an admin (JWT)."""
    api = f"{base}/api/v1"
    async with httpx2.AsyncClient(timeout=30) as client:

        async def sign_in(email: str) -> str:
            response = await client.post(
                f"{api}/auth/login", json={"email": email, "password": PASSWORD}
            )
            response.raise_for_status()
            return str(response.json()["access_token"])

        for email in ("probe-learner@example.com", "probe-dev@example.com"):
            body = {"email": email, "password": PASSWORD, "full_name": "Probe"}
            (await client.post(f"{api}/auth/register", json=body)).raise_for_status()
        learner = await sign_in("probe-learner@example.com")
        developer_jwt = await sign_in("probe-dev@example.com")
        upgrade = await client.post(
            f"{api}/developer/upgrade",
            json={"key_name": "probe"},
            headers={"Authorization": f"Bearer {developer_jwt}"},
        )
        upgrade.raise_for_status()
        admin = await sign_in("probe-admin@example.com")
        # Give the learner something to look at: one enrolment in a published course.
        courses = (await client.get(f"{api}/courses")).json()["items"]
        if courses:
            await client.post(
                f"{api}/courses/{courses[0]['id']}/enroll",
                headers={"Authorization": f"Bearer {learner}"},
            )
    return {
        "learner": f"Authorization: Bearer {learner}",
        "developer": f"Authorization: ApiKey {upgrade.json()['api_key']['key']}",
        "admin": f"Authorization: Bearer {admin}",
    }


def _schemathesis(base: str, role: str, header: str, reports: Path) -> dict[str, Any]:
    report = reports / f"{role}.json"
    # The document is read once here, patiently: schemathesis gives a schema URL only 10 s,
    # which a busy machine's first request of a cold process can exceed.
    spec = reports / "openapi.json"
    if not spec.exists():
        spec.write_bytes(httpx2.get(f"{base}/api/v1/openapi.json", timeout=120).content)
    cmd = [
        str(BIN / "st"),
        "run",
        str(spec),
        "--url",
        base,
        "--header",
        header,
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        WORKERS,
        "--phases",
        "examples,coverage,fuzzing",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
        *[arg for op in SELF_ENDING for arg in ("--exclude-operation-id", op)],
    ]
    started = time.monotonic()
    # Run from the scratch directory: schemathesis keeps its cache in the working directory.
    completed = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=reports)
    elapsed = time.monotonic() - started
    summary: dict[str, Any] = {"role": role, "exit": completed.returncode, "seconds": elapsed}
    if report.exists():
        summary["report"] = json.loads(report.read_text())
    (reports / f"{role}.out").write_text(completed.stdout + completed.stderr)
    if completed.returncode != 0:
        summary["output"] = completed.stdout[-20000:] + completed.stderr[-5000:]
    return summary


def _case_count(summary: dict[str, Any]) -> int | None:
    report = summary.get("report")
    if not isinstance(report, dict):
        return None
    generated = report.get("test_cases", {}).get("generated")
    return generated if isinstance(generated, int) else None


async def main() -> int:
    if shutil.which(str(BIN / "st")) is None:
        print("schemathesis is not installed (make install)", file=sys.stderr)
        return 2
    name = f"pintar_probe_{uuid.uuid4().hex[:10]}"
    try:
        await _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no PostgreSQL: a failure in CI, a skip on a laptop
        in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        print(f"probe: PostgreSQL is not reachable ({type(exc).__name__}: {exc})")
        return 1 if in_ci else 0
    database_url = make_url(PG_SERVER_URL).set(database=name).render_as_string(False)
    workdir = Path(tempfile.mkdtemp(prefix="pintar-probe-"))
    env = _environment(database_url, workdir)
    process: subprocess.Popen[bytes] | None = None
    try:
        _run([str(BIN / "pintar-ekspor"), "db", "upgrade"], env, workdir)
        _run([str(BIN / "pintar-ekspor"), "seed-demo"], env, workdir)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [str(BIN / "pintar-ekspor"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "platform.log").open("w"),
        )
        await _wait_up(base, process)
        headers = await _identities(base)
        failed = False
        total = 0
        roles = os.environ.get("PROBE_ROLES", "learner,developer,admin").split(",")
        for role, header in headers.items():
            if role not in roles:
                continue
            summary = _schemathesis(base, role, header, workdir)
            cases = _case_count(summary)
            total += cases or 0
            print(
                f"probe {role:9s}: exit {summary['exit']}, {cases if cases is not None else '?'}"
                f" cases, {summary['seconds']:.0f} s"
            )
            if summary["exit"] != 0:
                failed = True
                print(summary.get("output", ""))
        print(f"probe total: {total} cases, seed {SEED}, {MAX_EXAMPLES} examples per operation")
        if failed:
            print(f"platform log and schemathesis output: {workdir}")
        return 1 if failed else 0
    finally:
        if process is not None and process.poll() is None:  # only the process we started
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
