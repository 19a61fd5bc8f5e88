"""Login latency in-process, and how much of it is Argon2.

Runs the real app (lifespan, migrations, audit trail, outbox) against a temporary SQLite
database with the production Argon2id parameters, drives it through httpx2's ASGITransport,
and prints: login p50/p95 (sequential), Argon2 hash and verify time alone, the share of a
login spent in Argon2, `GET /users/me` p50 for comparison, and login throughput with
concurrent clients (bounded by the hashing limiter). Usage:
    .venv/bin/python bench/login.py [--logins 40] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx2
from asgi_lifespan import LifespanManager

from pintar_ekspor.accounts.passwords import get_password_hasher
from pintar_ekspor.core.config import Settings
from pintar_ekspor.main import create_app

PASSWORD = "Bench-Login-Password-2026"


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fmt(samples: list[float]) -> str:
    return (
        f"p50 {pct(samples, 0.5) * 1000:7.1f} ms   p95 {pct(samples, 0.95) * 1000:7.1f} ms   "
        f"(n={len(samples)})"
    )


async def main(logins: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            env="development",
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            auto_migrate=True,
            rate_limit_enabled=False,  # measure login, not the limiter
            email_worker_enabled=False,
            email_outbox_dir=Path(tmp) / "outbox",
            frontend_dist=Path(tmp) / "none",
            log_level="WARNING",
        )
        defaults = Settings.model_fields
        assert settings.password_hash_time_cost == defaults["password_hash_time_cost"].default
        assert settings.password_hash_memory_kib == defaults["password_hash_memory_kib"].default
        hasher = get_password_hasher(settings)
        print(
            f"Argon2id time_cost={settings.password_hash_time_cost} "
            f"memory={settings.password_hash_memory_kib} KiB; cpus={os.cpu_count()}"
        )

        hash_times, verify_times = [], []
        stored = hasher.hash_sync(PASSWORD)
        for _ in range(max(10, logins // 2)):
            start = time.perf_counter()
            hasher.hash_sync(PASSWORD)
            hash_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            await hasher.verify_and_update(PASSWORD, stored)
            verify_times.append(time.perf_counter() - start)

        app = create_app(settings)
        async with LifespanManager(app):
            transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 40000))
            async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
                email = "bench@example.com"
                created = await client.post(
                    "/api/v1/auth/register",
                    json={"email": email, "password": PASSWORD, "full_name": "Bench"},
                )
                assert created.status_code == 201, created.text
                body = {"email": email, "password": PASSWORD}
                for _ in range(3):  # warm-up: imports, first queries, dummy hash
                    await client.post("/api/v1/auth/login", json=body)

                # Interleaved with a bare verify, so machine noise hits both alike.
                login_times: list[float] = []
                paired_verify: list[float] = []
                token = ""
                for _ in range(logins):
                    start = time.perf_counter()
                    await hasher.verify_and_update(PASSWORD, stored)
                    paired_verify.append(time.perf_counter() - start)
                    client.cookies.clear()
                    start = time.perf_counter()
                    response = await client.post("/api/v1/auth/login", json=body)
                    login_times.append(time.perf_counter() - start)
                    assert response.status_code == 200, response.text
                    token = response.json()["access_token"]

                wrong_times: list[float] = []
                for i in range(min(logins, 8)):  # fewer than the lockout threshold
                    start = time.perf_counter()
                    await client.post(
                        "/api/v1/auth/login",
                        json={"email": f"nobody{i}@example.com", "password": "Wrong-Pass-123"},
                    )
                    wrong_times.append(time.perf_counter() - start)

                me_times: list[float] = []
                headers = {"Authorization": f"Bearer {token}"}
                for _ in range(200):
                    start = time.perf_counter()
                    await client.get("/api/v1/users/me", headers=headers)
                    me_times.append(time.perf_counter() - start)

                async def one() -> None:
                    response = await client.post("/api/v1/auth/login", json=body)
                    assert response.status_code == 200

                start = time.perf_counter()
                await asyncio.gather(*(one() for _ in range(concurrency * 4)))
                burst = time.perf_counter() - start

        print(f"argon2 hash alone     {fmt(hash_times)}")
        print(f"argon2 verify alone   {fmt(verify_times)}")
        print(f"login (sequential)    {fmt(login_times)}")
        print(f"login, unknown email  {fmt(wrong_times)}")
        print(f"GET /users/me         {fmt(me_times)}")
        overhead = [a - b for a, b in zip(login_times, paired_verify, strict=True)]
        share = statistics.median(paired_verify) / statistics.median(login_times)
        print(
            f"login minus a paired bare verify: median {statistics.median(overhead) * 1000:.1f} ms"
            f" -> Argon2 is ~{share:.0%} of login p50"
        )
        print(
            f"{concurrency * 4} logins from {concurrency} concurrent clients: {burst:.2f} s "
            f"({concurrency * 4 / burst:.1f} logins/s)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.logins, args.concurrency))
