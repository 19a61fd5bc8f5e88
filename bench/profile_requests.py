"""Where the time of one hot request goes: the app in-process, called straight over ASGI.

Builds the real app (lifespan, middleware, rate limits on) on a throw-away PostgreSQL
database (or SQLite with --sqlite) with the demo seed and one enrolled learner, then calls
each hot endpoint N times with no HTTP client or server in between, and prints the mean time
per request and, with --profile, a pyinstrument profile per endpoint (call tree, app frames).

    .venv/bin/python bench/profile_requests.py [--requests 300] [--profile] [--sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from asgi_lifespan import LifespanManager
from sqlalchemy.engine import make_url

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import session_scope
from pintar_ekspor.main import create_app
from pintar_ekspor.seed import seed_demo

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789abcdef"


async def call(
    app: Any, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, bytes]:
    """One request through the ASGI app; returns status and body."""
    raw = json.dumps(body).encode() if body is not None else b""
    path_only, _, query = path.partition("?")
    hdrs = [(b"host", b"bench"), (b"content-type", b"application/json")]
    hdrs += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    hdrs.append((b"content-length", str(len(raw)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_only,
        "raw_path": path_only.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": hdrs,
        "client": ("127.0.0.1", 40000),
        "server": ("bench", 80),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def prepare(app: Any) -> tuple[dict[str, str], str, str]:
    async with session_scope(app.state.session_factory) as session:
        await seed_demo(session, app.state.settings, admin_password="Bench-Admin-Password-2026!")
    learner = {"email": "profile@pintarekspor.id", "password": "Bench-Password-2026!"}
    status, _ = await call(
        app, "POST", "/api/v1/auth/register", body={**learner, "full_name": "Profil"}
    )
    assert status == 201, status
    _, raw = await call(app, "POST", "/api/v1/auth/login", body=learner)
    auth = {"Authorization": f"Bearer {json.loads(raw)['access_token']}"}
    _, raw = await call(app, "GET", "/api/v1/courses?sort=title&limit=1")
    first = json.loads(raw)["items"][0]
    status, _ = await call(app, "POST", f"/api/v1/courses/{first['id']}/enroll", auth, {})
    assert status == 201, status
    return auth, first["id"], first["slug"]


async def run(database_url: str, requests: int, profile: bool, tmp: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="development",
        database_url=database_url,
        auto_migrate=True,
        jwt_secret=JWT_SECRET,
        rate_limit_general="100000000/60",
        email_worker_enabled=False,
        email_outbox_dir=tmp / "outbox",
        frontend_dist=tmp / "none",
        log_level="INFO",
    )
    app = create_app(settings)
    # The access log goes to a file, as in production behind a log shipper.
    import logging

    logging.getLogger().handlers[0].stream = (tmp / "access.log").open("w")
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60):
        auth, course_id, slug = await prepare(app)
        cases = [
            ("/health", "/health", {}),
            ("catalogue", "/api/v1/courses", {}),
            ("course page", f"/api/v1/courses/{slug}", {}),
            ("progress", f"/api/v1/courses/{course_id}/progress", auth),
            ("my learning", "/api/v1/me/courses", auth),
            ("/users/me", "/api/v1/users/me", auth),
        ]
        print(f"{'endpoint':14} {'µs/request':>11}")
        for name, path, headers in cases:
            for _ in range(20):
                status, _ = await call(app, "GET", path, headers)
                assert status == 200, (path, status)
            profiler = None
            if profile:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0002, async_mode="disabled")
                profiler.start()
            start = time.perf_counter()
            for _ in range(requests):
                await call(app, "GET", path, headers)
            elapsed = time.perf_counter() - start
            if profiler is not None:
                profiler.stop()
            print(f"{name:14} {elapsed / requests * 1e6:11.0f}", flush=True)
            if profiler is not None:
                print(profiler.output_text(unicode=False, color=False, show_all=False))


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="pe-profile-") as tmpdir:
        tmp = Path(tmpdir)
        if args.sqlite:
            await run(f"sqlite+aiosqlite:///{tmp / 'p.db'}", args.requests, args.profile, tmp)
            return
        import asyncpg  # type: ignore[import-untyped]

        name = f"pintar_profile_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(PG_URL)
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(PG_URL).set(drivername="postgresql+asyncpg", database=name)
            await run(url.render_as_string(hide_password=False), args.requests, args.profile, tmp)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sqlite", action="store_true")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
