"""What the immediate revocation of access tokens costs per authenticated request.

Each access token carries its login session id (`sid`); every JWT request checks that the
session has not ended: one Redis `EXISTS` when Redis is configured, one indexed query on the
refresh tokens otherwise. Three configurations of `GET /api/v1/users/me` run interleaved, round
by round, in one process against one database (median of the rounds):

    no check  tokens without `sid` (what every request cost before the check existed)
    no redis  tokens with `sid`, no Redis: the in-process list on SQLite (one process), the
              refresh-token query on PostgreSQL
    redis     tokens with `sid`, the shared Redis revocation list

    .venv/bin/python bench/session_revocation.py
    .venv/bin/python bench/session_revocation.py --database-url postgresql+asyncpg://postgres@127.0.0.1/x
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx2
import jwt
from redis.asyncio import Redis

from guardrails import JWT_SECRET, prepare, read_me, run_batch  # type: ignore[import-not-found]
from pintar_ekspor import models  # noqa: F401
from pintar_ekspor.accounts import tokens as token_service
from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_engine, create_session_factory, utcnow
from pintar_ekspor.main import create_app


def bench_settings(database_url: str, workdir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        env="test",
        database_url=database_url,
        jwt_secret=JWT_SECRET,
        password_hash_time_cost=1,
        password_hash_memory_kib=1024,
        email_worker_enabled=False,
        auto_migrate=False,
        rate_limit_enabled=False,
        audit_enabled=False,
        frontend_dist=workdir / "no-frontend",
        log_level="WARNING",
        rate_limit_key_prefix=f"bench-rev-{uuid.uuid4().hex[:8]}",
    )


async def session_tokens(settings: Settings, engine: Any, plain: list[str]) -> list[str]:
    """One real login session (refresh-token family) per user; their `sid` access tokens."""
    factory = create_session_factory(engine)
    out: list[str] = []
    async with factory() as session:
        for token in plain:
            user_id = uuid.UUID(jwt.decode(token, options={"verify_signature": False})["sub"])
            user = await session.get(User, user_id)
            assert user is not None
            issued = await token_service.start_session(
                session, settings, user, now=utcnow(), client=token_service.ClientInfo()
            )
            out.append(issued.access_token)
        await session.commit()
    return out


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        settings = bench_settings(database_url, workdir)
        plain = await prepare(database_url, args.users, settings)
        engine = create_engine(database_url)
        with_sid = await session_tokens(settings, engine, plain)
        redis = Redis.from_url(args.redis_url)
        try:
            await redis.ping()
        except Exception as exc:
            print(f"redis unavailable ({exc}); the redis column is skipped")
            redis = None
        configs: dict[str, tuple[Any, list[str]]] = {}
        for name, use_redis, tokens in (
            ("no check", False, plain),
            ("no redis", False, with_sid),
            ("redis", True, with_sid),
        ):
            if use_redis and redis is None:
                continue
            app = create_app(settings)
            app.state.engine = engine
            app.state.session_factory = create_session_factory(engine)
            app.state.redis = redis if use_redis else None
            configs[name] = (app, tokens)
        results: dict[str, list[float]] = {name: [] for name in configs}
        names = list(configs)
        for round_number in range(args.rounds + 1):
            # Round 0 warms every configuration up; the order rotates so none is always first.
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                app, tokens = configs[name]
                transport = httpx2.ASGITransport(app=app)
                async with httpx2.AsyncClient(transport=transport, base_url="http://b") as client:
                    rps = await run_batch(client, read_me, tokens, args.requests, args.concurrency)
                if round_number:
                    results[name].append(rps)
        base = statistics.median(results["no check"])
        print(
            f"GET /api/v1/users/me, {args.requests} requests x {args.rounds} rounds, "
            f"concurrency {args.concurrency}, {engine.url.get_backend_name()}"
        )
        for name, values in results.items():
            rps = statistics.median(values)
            per_request_us = (1 / rps - 1 / base) * 1e6
            print(
                f"  {name:9s} {rps:8.0f} req/s  ratio {rps / base:5.2f}  "
                f"extra {per_request_us:+7.0f} us/request"
            )
        await engine.dispose()
        if redis is not None:
            keys = [k async for k in redis.scan_iter(match=f"{settings.rate_limit_key_prefix}*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
