"""Learning reports on 100,000 learning events and 1,000 users, on SQLite and PostgreSQL.

Seeds 1,000 users (learners, developers, admins), 12 published courses (3 sections x 4
lessons, the last of each section a quiz) and a year of learning: enrolments, lesson
progress, quiz attempts, completions and exactly 100,000 `learning_events`, plus hourly API
usage rows. Runs the real app (lifespan, migrations, middleware) in process and calls every
report, as an admin (full view) and with a developer API key (aggregate view), over the whole
year with weekly buckets and over 90 days with daily buckets. After the bulk load the bench
runs VACUUM ANALYZE on PostgreSQL, as a real deployment's autovacuum would have: without it
PostgreSQL plans the freshly loaded tables blind and cannot use index-only scans, which
production would not see. SQLite is measured without statistics (no sqlite_stat1), as the app
deploys it: nothing runs ANALYZE there. Prints milliseconds per report:
cold (cache off, median of N calls) and warm (cache on), with GET /health and the load
average of the same moment as a reference for the shared machine's noise. Usage:
    .venv/bin/python bench/reports.py [--calls 5] [--no-postgres]
PostgreSQL: BENCH_PG_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/postgres);
a throwaway database is created and dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from asgi_lifespan import LifespanManager
from catalogue import postgres_database  # same directory: the shared throwaway-database helper
from sqlalchemy import insert

from pintar_ekspor.accounts import api_keys
from pintar_ekspor.accounts.models import ApiKey, ApiKeyUsage, Role, User
from pintar_ekspor.accounts.security import create_access_token
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo import build_course
from pintar_ekspor.learning.models import (
    Enrollment,
    EnrollmentStatus,
    LearningEvent,
    LessonProgress,
    QuizAttempt,
)
from pintar_ekspor.main import create_app

USERS = 1_000
EVENTS = 100_000
COURSES = 12
JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789abcdef"
NOW = datetime.now(UTC).replace(microsecond=0)
QUIZ = [
    {
        "id": "q1",
        "prompt": "Dokumen ekspor?",
        "kind": "single",
        "options": [{"id": "a", "text": "PEB", "correct": True}, {"id": "b", "text": "PIB"}],
        "explanation": "PEB.",
    }
]
REPORTS = ["course-progress", "user-progress", "course-engagement", "completion-rates"]


def course_spec(i: int) -> dict[str, Any]:
    lessons = [
        {"title": "Bacaan", "kind": "text", "body_md": "Isi."},
        {"title": "Bacaan 2", "kind": "text", "body_md": "Isi."},
        {"title": "Video", "kind": "video", "video_url": "https://www.youtube-nocookie.com/x"},
        {"title": "Kuis", "kind": "quiz", "questions": QUIZ, "pass_mark": 70},
    ]
    return {
        "title": f"Kursus Ekspor {i:02d}",
        "slug": f"kursus-ekspor-{i:02d}",
        "summary": "Ringkasan.",
        "sections": [{"title": f"Bagian {s}", "lessons": lessons} for s in range(1, 4)],
    }


class History:
    """Rows of a plausible year of learning, built in memory and inserted in bulk."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.enrollments: list[dict[str, Any]] = []
        self.progress: list[dict[str, Any]] = []
        self.attempts: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    def event(
        self, user: uuid.UUID, verb: str, course: uuid.UUID, lesson: Any, at: datetime
    ) -> None:
        self.events.append(
            {
                "id": uuid.uuid4(),
                "user_id": user,
                "verb": verb,
                "course_id": course,
                "lesson_id": lesson,
                "occurred_at": at,
                "data": {},
            }
        )

    def learn(self, user: uuid.UUID, course: Any) -> None:
        rng = self.rng
        lessons = [lesson for section in course.sections for lesson in section.lessons]
        at = NOW - timedelta(days=rng.uniform(1, 364))
        enrolled_at = at
        self.event(user, "enrolled", course.id, None, at)
        completed_at = None
        for index, lesson in enumerate(lessons):
            if rng.random() < 0.12:  # drop-off
                break
            at += timedelta(hours=rng.uniform(0.2, 72))
            if at >= NOW:
                break
            self.event(user, "lesson_viewed", course.id, lesson.id, at)
            done_at = at + timedelta(minutes=rng.uniform(2, 40))
            row = {
                "id": uuid.uuid4(),
                "user_id": user,
                "course_id": course.id,
                "lesson_id": lesson.id,
                "started_at": at,
                "completed_at": None,
                "best_score": None,
                "attempts": 0,
                "updated_at": at,
            }
            if lesson.kind.value == "quiz":
                for number in range(1, rng.randint(1, 3) + 1):
                    score = rng.choice([0, 50, 100])
                    self.attempts.append(
                        {
                            "id": uuid.uuid4(),
                            "user_id": user,
                            "course_id": course.id,
                            "lesson_id": lesson.id,
                            "attempt_number": number,
                            "score": score,
                            "passed": score >= 70,
                            "answers": [],
                            "submitted_at": done_at,
                        }
                    )
                    self.event(user, "quiz_attempted", course.id, lesson.id, done_at)
                    row["attempts"] = number
                    row["best_score"] = max(row["best_score"] or 0, score)
                    if score >= 70:
                        break
                if (row["best_score"] or 0) < 70:
                    self.progress.append(row)
                    break
            row["completed_at"] = done_at
            self.progress.append(row)
            self.event(user, "lesson_completed", course.id, lesson.id, done_at)
            if index == len(lessons) - 1:
                completed_at = done_at
                self.event(user, "course_completed", course.id, None, done_at)
        self.enrollments.append(
            {
                "id": uuid.uuid4(),
                "user_id": user,
                "course_id": course.id,
                "status": EnrollmentStatus.COMPLETED if completed_at else EnrollmentStatus.ACTIVE,
                "enrolled_at": enrolled_at,
                "completed_at": completed_at,
                "last_accessed_at": at,
                "created_at": enrolled_at,
                "updated_at": at,
            }
        )

    def pad_events(self, users: list[uuid.UUID], courses: list[Any]) -> None:
        """Extra lesson views (re-reading) until there are exactly EVENTS events."""
        del self.events[EVENTS:]
        while len(self.events) < EVENTS:
            course = self.rng.choice(courses)
            lesson = self.rng.choice(course.sections[0].lessons)
            at = NOW - timedelta(days=self.rng.uniform(0, 364))
            self.event(self.rng.choice(users), "lesson_viewed", course.id, lesson.id, at)


async def seed(app: Any) -> tuple[User, str]:
    rng = random.Random(7)
    factory = app.state.session_factory
    async with factory() as session:
        courses = [build_course(course_spec(i)) for i in range(COURSES)]
        session.add_all(courses)
        users = []
        for n in range(USERS):
            role = Role.ADMIN if n < 5 else Role.DEVELOPER if n < 60 else Role.LEARNER
            created = NOW - timedelta(days=rng.uniform(0, 400))
            users.append(
                User(
                    email=f"user{n}@bench.local",
                    full_name=f"Pengguna {n}",
                    password_hash="x",
                    role=role,
                    created_at=created,
                    updated_at=created,
                )
            )
        session.add_all(users)
        await session.flush()
        raw_key = api_keys.generate_key()
        key = ApiKey(
            user_id=users[10].id,
            name="Bench",
            prefix=raw_key[: api_keys.VISIBLE_PREFIX_CHARS],
            key_hash=api_keys.hash_key(app.state.settings, raw_key),
        )
        session.add(key)
        await session.flush()
        history = History(rng)
        learners = [u.id for u in users[60:]]
        for user_id in learners:
            for course in rng.sample(courses, rng.randint(1, 4)):
                history.learn(user_id, course)
        history.pad_events(learners, courses)
        usage = [
            {
                "api_key_id": key.id,
                "hour": (NOW - timedelta(hours=h)).replace(minute=0, second=0),
                "requests": rng.randint(1, 50),
                "client_errors": rng.randint(0, 3),
                "server_errors": 0,
            }
            for h in range(0, 24 * 365, 3)
        ]
        for model, rows in (
            (Enrollment, history.enrollments),
            (LessonProgress, history.progress),
            (QuizAttempt, history.attempts),
            (LearningEvent, history.events),
            (ApiKeyUsage, usage),
        ):
            for start in range(0, len(rows), 5_000):
                await session.execute(insert(model), rows[start : start + 5_000])
        await session.commit()
        await refresh_statistics(app.state.engine)
        print(
            f"  {len(users)} users, {len(history.enrollments)} enrolments, "
            f"{len(history.progress)} lesson progress rows, {len(history.attempts)} quiz "
            f"attempts, {len(history.events)} learning events"
        )
        return users[0], raw_key


async def refresh_statistics(engine: Any) -> None:
    """PostgreSQL: planner statistics and the visibility map, as autovacuum keeps them."""
    if engine.dialect.name != "postgresql":
        return  # SQLite: as deployed, without statistics
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("VACUUM ANALYZE")


def make_settings(database_url: str, tmp: Path, cache_seconds: float) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        env="development",
        database_url=database_url,
        auto_migrate=True,
        jwt_secret=JWT_SECRET,
        rate_limit_enabled=False,
        email_worker_enabled=False,
        email_outbox_dir=tmp / "outbox",
        frontend_dist=tmp / "none",
        log_level="WARNING",
        reports_cache_seconds=cache_seconds,
        api_usage_flush_seconds=3600,  # flushed at shutdown; keeps SQLite writers out of the way
    )


async def timed(
    client: httpx2.AsyncClient,
    path: str,
    params: dict[str, Any],
    headers: dict[str, str],
    calls: int,
) -> float:
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        response = await client.get(path, params=params, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return statistics.median(samples)


async def run(database_url: str, label: str, calls: int, tmp: Path) -> None:
    print(f"\n[{label}] seeding…")
    seeded = create_app(make_settings(database_url, tmp, 0))
    async with LifespanManager(seeded):
        admin, raw_key = await seed(seeded)
    for cache_seconds, mode in ((0.0, "cold"), (60.0, "warm")):
        settings = make_settings(database_url, tmp, cache_seconds)
        app = create_app(settings)
        token, _ = create_access_token(settings, user_id=admin.id, role="admin")
        viewers = {
            "admin": {"Authorization": f"Bearer {token}"},
            "api key": {"Authorization": f"ApiKey {raw_key}"},
        }
        year = {"from": (NOW - timedelta(days=364)).date().isoformat(), "granularity": "week"}
        quarter = {"from": (NOW - timedelta(days=89)).date().isoformat(), "granularity": "day"}
        async with LifespanManager(app):
            transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 40002))
            async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
                how = f"cache off, median of {calls}" if mode == "cold" else "cached"
                health = await timed(client, "/health", {}, {}, calls)
                load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
                print(f"  {mode} ({how}); reference GET /health {health:.1f} ms, load {load:.1f}:")
                print(f"  {'report':22} {'viewer':8} {'year/week ms':>13} {'90 days/day ms':>15}")
                cases = [(name, viewer) for name in REPORTS for viewer in viewers]
                cases.append(("platform", "admin"))
                for name, viewer in cases:
                    path = f"/api/v1/analytics/{name}"
                    headers = viewers[viewer]
                    await client.get(path, params=year, headers=headers)  # warm-up / fill cache
                    await client.get(path, params=quarter, headers=headers)
                    a = await timed(client, path, year, headers, calls)
                    b = await timed(client, path, quarter, headers, calls)
                    print(f"  {name:22} {viewer:8} {a:13.1f} {b:15.1f}")


async def main(calls: int, postgres: bool) -> None:
    print(f"cpus={os.cpu_count()} calls per case={calls}")
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "sqlite", calls, Path(tmp))
        if postgres:
            server = os.environ.get(
                "BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
            )
            created = await postgres_database(server)
            if created is not None:
                url, drop = created
                try:
                    await run(url, "postgresql", calls, Path(tmp))
                finally:
                    await drop()
    print("\nSingle run on a shared machine; indicative numbers, no timing assertions.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.calls, not args.no_postgres))
