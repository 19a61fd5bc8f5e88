"""Throughput of a cheap authenticated endpoint with rate limits + audit on vs off.

Both configurations run in the same process against the same database, interleaved round by
round (so machine noise hits both alike); the median of the rounds is reported.

    .venv/bin/python bench/guardrails.py                      # in-process (httpx2 ASGITransport)
    .venv/bin/python bench/guardrails.py --wrk                # uvicorn + wrk (apt-get install wrk)
    .venv/bin/python bench/guardrails.py --database-url postgresql+asyncpg://postgres@127.0.0.1/x

"on"  = rate limits (memory storage, or Redis with --redis-url) + audit trail + headers.
"off" = RATE_LIMIT_ENABLED=false, AUDIT_ENABLED=false (security headers stay: always on).

The read endpoint is `GET /api/v1/users/me` with a JWT; each request uses the next of many
users' tokens, as real traffic would, so every limit window stays realistically short. The
write endpoint (`PATCH /api/v1/users/me`, which appends one audit row per request when on) is
measured too, to show what the audit trail itself costs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2

from pintar_ekspor import models  # noqa: F401  (every table known to the metadata)
from pintar_ekspor.accounts.models import User
from pintar_ekspor.accounts.security import build_password_hasher, create_access_token
from pintar_ekspor.core import context
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_engine, create_session_factory
from pintar_ekspor.main import create_app
from pintar_ekspor.migrations.runner import upgrade_async

JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789abcdef"
# Large enough never to refuse in the bench; each user's window holds only its own hits.
HUGE = "100000000/60"


def settings_for(
    database_url: str, workdir: Path, *, guarded: bool, redis_url: str | None
) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        env="test",
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        password_hash_time_cost=1,
        password_hash_memory_kib=1024,
        email_worker_enabled=False,
        auto_migrate=False,
        frontend_dist=workdir / "no-frontend",
        log_level="WARNING",
        redis_url=redis_url if guarded else None,
        rate_limit_enabled=guarded,
        rate_limit_general=HUGE,
        rate_limit_api=HUGE,
        rate_limit_key_prefix=f"bench-{os.getpid()}",
        audit_enabled=guarded,
    )


async def prepare(database_url: str, users: int, settings: Settings) -> list[str]:
    """Migrate and create `users` accounts (outside the audit trail); return their tokens."""
    engine = create_engine(database_url)
    try:
        await upgrade_async(engine)
        hashed = build_password_hasher(settings).hash("Bench-Password-2026")
        factory = create_session_factory(engine)
        tokens: list[str] = []
        with context.audit_suspended():
            async with factory() as session:
                run = os.urandom(4).hex()
                batch = [
                    User(
                        email=f"bench{run}-{n}@example.com", full_name="Bench", password_hash=hashed
                    )
                    for n in range(users)
                ]
                session.add_all(batch)
                await session.commit()
        for user in batch:
            token, _ = create_access_token(settings, user_id=user.id, role=user.role.value)
            tokens.append(token)
        return tokens
    finally:
        await engine.dispose()


Request = Callable[[httpx2.AsyncClient, str, int], Awaitable[httpx2.Response]]


async def read_me(client: httpx2.AsyncClient, token: str, _n: int) -> httpx2.Response:
    return await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})


async def write_me(client: httpx2.AsyncClient, token: str, n: int) -> httpx2.Response:
    return await client.patch(
        "/api/v1/users/me",
        json={"full_name": f"Bench {n}"},
        headers={"Authorization": f"Bearer {token}"},
    )


async def run_batch(
    client: httpx2.AsyncClient, request: Request, tokens: list[str], total: int, concurrency: int
) -> float:
    """Requests per second for `total` requests over `concurrency` workers."""
    counter = itertools.count()
    cycle = itertools.cycle(tokens)

    async def worker() -> None:
        while (n := next(counter)) < total:
            response = await request(client, next(cycle), n)
            if response.status_code != 200:
                raise RuntimeError(f"unexpected {response.status_code}: {response.text[:200]}")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - start)


async def in_process(
    args: argparse.Namespace, database_url: str, workdir: Path
) -> dict[str, dict[str, float]]:
    on = settings_for(database_url, workdir, guarded=True, redis_url=args.redis_url)
    off = settings_for(database_url, workdir, guarded=False, redis_url=None)
    tokens = await prepare(database_url, args.users, on)
    engine = create_engine(database_url)
    factory = create_session_factory(engine)
    clients: dict[str, httpx2.AsyncClient] = {}
    apps: dict[str, Any] = {}
    for name, settings in (("off", off), ("on", on)):
        app = create_app(settings)
        app.state.engine = engine
        app.state.session_factory = factory
        apps[name] = app
        transport = httpx2.ASGITransport(app=app)
        clients[name] = httpx2.AsyncClient(transport=transport, base_url="http://bench")
    results: dict[str, dict[str, float]] = {}
    try:
        for label, request, total in (
            ("read  GET /users/me", read_me, args.requests),
            ("write PATCH /users/me", write_me, max(args.requests // 4, 200)),
        ):
            samples: dict[str, list[float]] = {"on": [], "off": []}
            for name in ("on", "off"):  # warm-up: imports, caches, connections
                await run_batch(clients[name], request, tokens, 200, args.concurrency)
            for round_no in range(args.rounds):
                order = ("on", "off") if round_no % 2 == 0 else ("off", "on")
                for name in order:
                    samples[name].append(
                        await run_batch(clients[name], request, tokens, total, args.concurrency)
                    )
            results[label] = summarise(samples)
    finally:
        for client in clients.values():
            await client.aclose()
        limiter = apps["on"].state.rate_limiter
        if limiter is not None:
            await limiter.aclose()
        await engine.dispose()
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(settings: Settings, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        env[name.upper()] = str(value).lower() if isinstance(value, bool) else str(value)
    env.pop("TRUSTED_PROXIES", None)
    for name in ("TRUSTED_PROXIES", "CORS_ORIGINS", "ALLOWED_HOSTS"):
        env.pop(name, None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "pintar_ekspor.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=workdir,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx2.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx2.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("uvicorn did not start")


WRK_SCRIPT = """
local tokens = {}
for line in io.lines("%s") do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i %% #tokens + 1
  return wrk.format("GET", "/api/v1/users/me", {["Authorization"] = "Bearer " .. tokens[i]})
end
"""


def with_wrk(
    args: argparse.Namespace, database_url: str, workdir: Path
) -> dict[str, dict[str, float]]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    on = settings_for(database_url, workdir, guarded=True, redis_url=args.redis_url)
    off = settings_for(database_url, workdir, guarded=False, redis_url=None)
    tokens = asyncio.run(prepare(database_url, args.users, on))
    (workdir / "tokens.txt").write_text("\n".join(tokens) + "\n")
    script = workdir / "rotate.lua"
    script.write_text(WRK_SCRIPT % (workdir / "tokens.txt"))
    servers = {"on": _serve(on, workdir), "off": _serve(off, workdir)}
    samples: dict[str, list[float]] = {"on": [], "off": []}
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    try:
        for round_no in range(args.rounds + 1):  # round 0 warms up
            order = ("on", "off") if round_no % 2 == 0 else ("off", "on")
            for name in order:
                cpu_before = _cpu_seconds(servers[name][0].pid)
                out = subprocess.run(
                    [
                        "wrk",
                        "-t1",
                        f"-c{args.concurrency}",
                        f"-d{args.duration}s",
                        "-s",
                        str(script),
                        servers[name][1],
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                if "Non-2xx" in out:
                    raise RuntimeError(f"non-2xx responses in the {name} run:\n{out}")
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
                done = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
                used = _cpu_seconds(servers[name][0].pid) - cpu_before
                if round_no:
                    samples[name].append(rps)
                    cpu[name].append(used / done * 1e6)
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
    # Server CPU per request is steadier than req/s on a shared machine: report both.
    results = {"read  GET /users/me (uvicorn+wrk)": summarise(samples)}
    results["  server CPU us/request"] = summarise(
        {"on": [1e6 / v for v in cpu["on"]], "off": [1e6 / v for v in cpu["off"]]}
    )
    results["  server CPU us/request"]["cpu_on"] = statistics.median(cpu["on"])
    results["  server CPU us/request"]["cpu_off"] = statistics.median(cpu["off"])
    return results


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summarise(samples: dict[str, list[float]]) -> dict[str, float]:
    """Medians of each configuration, and of the per-round (paired) overheads with range."""
    paired = [(off - on) / off * 100 for on, off in zip(samples["on"], samples["off"], strict=True)]
    return {
        "on": statistics.median(samples["on"]),
        "off": statistics.median(samples["off"]),
        "overhead": statistics.median(paired),
        "overhead_min": min(paired),
        "overhead_max": max(paired),
    }


async def middleware_cost(requests: int = 20000, users: int = 500) -> dict[str, float]:
    """Microseconds per request the guardrail middleware adds around a trivial ASGI app."""
    from pintar_ekspor.core.guards import BodySizeLimitMiddleware
    from pintar_ekspor.core.ratelimit import RateLimiter, RateLimitMiddleware
    from pintar_ekspor.core.security import RequestGuardMiddleware

    settings = Settings(_env_file=None, jwt_secret=JWT_SECRET, rate_limit_general=HUGE)  # type: ignore[call-arg]
    tokens = [
        create_access_token(settings, user_id=uuid.uuid4(), role="learner")[0].encode()
        for _ in range(users)
    ]

    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Any) -> None:
        return None

    app = SimpleNamespace(state=SimpleNamespace(rate_limiter=RateLimiter.from_settings(settings)))
    body = BodySizeLimitMiddleware(endpoint, default_limit=settings.max_body_bytes)
    stacks = {
        "off": RequestGuardMiddleware(
            body, settings=settings.model_copy(update={"audit_enabled": False})
        ),
        "on": RequestGuardMiddleware(
            RateLimitMiddleware(body, settings=settings), settings=settings
        ),
    }
    timings: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(5):
        for name, stack in stacks.items():
            start = time.perf_counter()
            for n in range(requests):
                scope = {
                    "type": "http",
                    "method": "GET",
                    "path": "/api/v1/users/me",
                    "scheme": "http",
                    "headers": [(b"authorization", b"Bearer " + tokens[n % users])],
                    "client": ("127.0.0.1", 1),
                    "app": app,
                    "state": {},
                }
                await stack(scope, receive, send)
            timings[name].append((time.perf_counter() - start) / requests * 1e6)
    return {name: min(values) for name, values in timings.items()}


def report(
    results: dict[str, dict[str, float]],
    cost: dict[str, float],
    args: argparse.Namespace,
    database_url: str,
) -> None:
    backend = "redis" if args.redis_url else "memory"
    print(
        f"database: {database_url.split('://', 1)[0]}, limiter storage: {backend}, "
        f"concurrency {args.concurrency}, {args.rounds} rounds"
    )
    print(f"{'endpoint':<36} {'off req/s':>10} {'on req/s':>10} {'overhead (range)':>22}")
    for label, v in results.items():
        if "cpu_on" in v:
            overhead = (v["cpu_on"] - v["cpu_off"]) / v["cpu_off"] * 100
            print(
                f"{label:<36} {v['cpu_off']:>10.0f} {v['cpu_on']:>10.0f} "
                f"{f'{overhead:.1f}% more CPU':>22}"
            )
            continue
        spread = f"{v['overhead']:.1f}% ({v['overhead_min']:.1f}..{v['overhead_max']:.1f})"
        print(f"{label:<36} {v['off']:>10.0f} {v['on']:>10.0f} {spread:>22}")
    print(
        f"guardrail middleware alone (memory limiter): off {cost['off']:.1f} us, "
        f"on {cost['on']:.1f} us per request, +{cost['on'] - cost['off']:.1f} us"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", help="rate limits on Redis instead of memory")
    parser.add_argument("--requests", type=int, default=4000, help="per round (in-process)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--wrk", action="store_true", help="real server + wrk instead")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pintar-bench-") as tmp:
        workdir = Path(tmp)
        database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        if args.wrk:
            results = with_wrk(args, database_url, workdir)
        else:
            results = asyncio.run(in_process(args, database_url, workdir))
        cost = asyncio.run(middleware_cost())
        report(results, cost, args, database_url)


if __name__ == "__main__":
    main()
