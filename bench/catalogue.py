"""Catalogue and outline throughput in-process, on SQLite (and PostgreSQL when reachable).

Seeds 200 published courses (3 sections x 4 lessons: text, text, video, quiz; tags, levels,
languages) plus 300 learners with ~1,500 enrolments into a temporary database, runs the
real app (lifespan, migrations, middleware) and drives it through httpx2's ASGITransport.
Prints requests per second and p50/p95 latency for catalogue variants (search, filters,
sorts, deep pages) and for course outlines (anonymous and as an enrolled learner), once
with one client and once with several concurrent clients. Usage:
    .venv/bin/python bench/catalogue.py [--requests 200] [--concurrency 8] [--no-postgres]
PostgreSQL: BENCH_PG_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/postgres);
a throwaway database is created and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2
from asgi_lifespan import LifespanManager
from sqlalchemy.engine import make_url

from pintar_ekspor.accounts.models import User
from pintar_ekspor.accounts.security import create_access_token
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo import build_course
from pintar_ekspor.learning.models import Enrollment
from pintar_ekspor.main import create_app

COURSES = 200
LEARNERS = 300
TAGS = ["ekspor", "dokumen", "incoterms", "pembayaran", "hs code", "logistik", "umkm", "pasar"]
WORDS = ["Kopi", "Rempah", "Kakao", "Udang", "Furnitur", "Tekstil", "Sawit", "Kerajinan"]
TOPICS = ["Dasar Ekspor", "Dokumen", "Incoterms", "Pembayaran L/C", "Riset Pasar", "Logistik"]
JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789abcdef"

QUIZ = [
    {
        "id": f"q{i}",
        "prompt": f"Pertanyaan {i}",
        "kind": "single" if i % 2 else "multiple",
        "options": [
            {"id": "a", "text": "A", "correct": True},
            {"id": "b", "text": "B", "correct": i % 2 == 0},
            {"id": "c", "text": "C"},
        ],
        "explanation": "Penjelasan.",
    }
    for i in range(1, 6)
]


def course_spec(i: int, rng: random.Random) -> dict[str, Any]:
    body = "\n\n".join(f"Paragraf {p} tentang ekspor. " * 20 for p in range(6))
    lessons = [
        {"title": "Bacaan 1", "kind": "text", "body_md": body},
        {"title": "Bacaan 2", "kind": "text", "body_md": body},
        {
            "title": "Video",
            "kind": "video",
            "video_url": "https://www.youtube-nocookie.com/embed/x",
        },
        {"title": "Kuis", "kind": "quiz", "questions": QUIZ, "max_attempts": 3},
    ]
    title = f"{rng.choice(TOPICS)} {rng.choice(WORDS)} {i:03d}"
    return {
        "title": title,
        "slug": f"kursus-{i:03d}",
        "summary": f"Ringkasan kursus {title} untuk eksportir {rng.choice(WORDS).lower()}.",
        "description_md": body,
        "level": rng.choice(["beginner", "intermediate", "advanced"]),
        "language": "id" if rng.random() < 0.8 else "en",
        "tags": rng.sample(TAGS, 3),
        "estimated_minutes": 60,
        "sections": [{"title": f"Bagian {s}", "lessons": lessons} for s in range(1, 4)],
    }


async def seed(app: Any) -> tuple[User, str]:
    rng = random.Random(42)
    async with app.state.session_factory() as session:
        courses = [build_course(course_spec(i, rng)) for i in range(COURSES)]
        session.add_all(courses)
        users = [
            User(email=f"learner{n}@bench.local", full_name="Bench", password_hash="x")
            for n in range(LEARNERS)
        ]
        session.add_all(users)
        await session.flush()
        for user in users:
            for course in rng.sample(courses, rng.randint(1, 9)):
                session.add(Enrollment(user_id=user.id, course_id=course.id))
        await session.commit()
    return users[0], courses[7].slug


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(
    call: Callable[[], Awaitable[httpx2.Response]], requests: int, concurrency: int
) -> tuple[float, float, float]:
    for _ in range(10):  # warm-up
        (await call()).raise_for_status()
    latencies: list[float] = []
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            start = time.perf_counter()
            r = await call()
            latencies.append(time.perf_counter() - start)
            r.raise_for_status()

    start = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    elapsed = time.perf_counter() - start
    return requests / elapsed, pct(latencies, 0.5) * 1000, pct(latencies, 0.95) * 1000


async def run(database_url: str, label: str, requests: int, concurrency: int, tmp: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="development",
        database_url=database_url,
        auto_migrate=True,
        jwt_secret=JWT_SECRET,
        rate_limit_enabled=False,  # measure the catalogue, not the limiter
        email_worker_enabled=False,
        email_outbox_dir=tmp / "outbox",
        frontend_dist=tmp / "none",
        log_level="WARNING",
    )
    app = create_app(settings)
    async with LifespanManager(app):
        t0 = time.perf_counter()
        learner, slug = await seed(app)
        seconds = time.perf_counter() - t0
        print(f"\n[{label}] seeded {COURSES} courses, {LEARNERS} learners in {seconds:.1f} s")
        token, _ = create_access_token(settings, user_id=learner.id, role=learner.role.value)
        auth = {"Authorization": f"Bearer {token}"}
        transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 40001))
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
            enrolled = await client.get("/api/v1/me/courses", headers=auth)
            enrolled_id = enrolled.json()["items"][0]["course"]["id"]
            cases: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
                ("catalogue: first page", "/api/v1/courses", {}, {}),
                ("catalogue: q=kopi", "/api/v1/courses", {"q": "kopi"}, {}),
                ("catalogue: q=dokumen ekspor", "/api/v1/courses", {"q": "dokumen ekspor"}, {}),
                (
                    "catalogue: level+language",
                    "/api/v1/courses",
                    {"level": "intermediate", "language": "id"},
                    {},
                ),
                ("catalogue: tag=incoterms", "/api/v1/courses", {"tag": "incoterms"}, {}),
                ("catalogue: sort=popularity", "/api/v1/courses", {"sort": "popularity"}, {}),
                (
                    "catalogue: sort=title, offset 180",
                    "/api/v1/courses",
                    {"sort": "title", "offset": 180},
                    {},
                ),
                ("catalogue: limit=100", "/api/v1/courses", {"limit": 100}, {}),
                ("outline: anonymous, by slug", f"/api/v1/courses/{slug}", {}, {}),
                ("outline: enrolled learner", f"/api/v1/courses/{enrolled_id}", {}, auth),
                ("my learning", "/api/v1/me/courses", {}, auth),
            ]
            print(f"{'endpoint':38} {'c':>2} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
            for name, path, params, headers in cases:
                for c in (1, concurrency):

                    def call(
                        p: str = path, q: dict[str, Any] = params, h: dict[str, str] = headers
                    ) -> Awaitable[httpx2.Response]:
                        return client.get(p, params=q, headers=h)

                    rps, p50, p95 = await measure(call, requests, c)
                    print(f"{name:38} {c:>2} {rps:8.0f} {p50:8.1f} {p95:8.1f}")


async def postgres_database(server_url: str) -> tuple[str, Callable[[], Awaitable[None]]] | None:
    import asyncpg  # type: ignore[import-untyped]

    url = make_url(server_url)
    params = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "database": url.database or "postgres",
    }
    name = f"pintar_bench_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(timeout=3, **params)
    except Exception as exc:  # any failure means "not reachable"
        print(f"\n[postgresql] skipped: {type(exc).__name__}: {exc}")
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(timeout=3, **params)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    return url.set(database=name).render_as_string(hide_password=False), drop


async def main(requests: int, concurrency: int, postgres: bool) -> None:
    print(f"cpus={os.cpu_count()} requests per case={requests} concurrency=1 and {concurrency}")
    with tempfile.TemporaryDirectory() as tmp:
        await run(
            f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
            "sqlite",
            requests,
            concurrency,
            Path(tmp),
        )
        if postgres:
            server = os.environ.get(
                "BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
            )
            created = await postgres_database(server)
            if created is not None:
                url, drop = created
                try:
                    await run(url, "postgresql", requests, concurrency, Path(tmp))
                finally:
                    await drop()
    print("\nSingle run; the numbers are indicative (shared machine, no timing assertions).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, not args.no_postgres))
