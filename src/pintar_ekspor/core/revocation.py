"""A small list of revoked ids shared by every process (Redis), e.g. ended login sessions.

Access tokens are stateless JWTs; they carry the id of the login session (`sid`) they belong
to. When a session ends (logout, refresh-token reuse, password change, deactivation) its id
is written here once the revocation commits, and kept for as long as any access token of it
can live. Checking is one Redis `EXISTS` (or a dict look-up in the single-process embedded
mode). While Redis fails, `contains` answers None and the caller asks the database, which is
always the truth; with several processes and no Redis there is no list and the database is
asked every time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import structlog
from fastapi import FastAPI

log = structlog.get_logger("pintar_ekspor.revocation")

REVOKED_SESSIONS = "revoked_sessions"  # the `core.db.after_commit` topic
_STATE_KEY = "revocation_list"


class RevocationList:
    """Revoked ids in Redis, each expiring after `ttl_seconds`."""

    def __init__(self, redis: Any, *, prefix: str, ttl_seconds: int) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds

    def _key(self, item: object) -> str:
        return f"{self.prefix}:revoked:{item}"

    async def add(self, items: Iterable[object]) -> bool:
        """Record ids as revoked; False (logged) when Redis could not be written."""
        keys = [self._key(item) for item in items]
        if not keys:
            return True
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.set(key, b"1", ex=self.ttl_seconds)
                await pipe.execute()
        except Exception as exc:  # Redis down: the database check still refuses them
            log.warning("revocation_list_write_failed", error=type(exc).__name__, ids=len(keys))
            return False
        return True

    async def contains(self, item: object) -> bool | None:
        """True or False from Redis; None when Redis cannot answer (ask the database)."""
        try:
            return bool(await self.redis.exists(self._key(item)))
        except Exception as exc:
            log.warning("revocation_list_read_failed", error=type(exc).__name__)
            return None


class MemoryRevocationList:
    """The same list inside one process: the embedded (SQLite) mode runs a single process.

    It starts empty, so the first check seeds it from the database (`needs_seed`) with the
    sessions that ended recently: a restart does not revive their access tokens.
    """

    def __init__(self, *, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self.needs_seed = True
        self._expires: dict[str, float] = {}

    async def add(self, items: Iterable[object]) -> bool:
        now = time.monotonic()
        if len(self._expires) > 10_000:
            self._expires = {k: v for k, v in self._expires.items() if v > now}
        for item in items:
            self._expires[str(item)] = now + self.ttl_seconds
        return True

    async def contains(self, item: object) -> bool | None:
        expires = self._expires.get(str(item))
        return expires is not None and expires > time.monotonic()


AnyRevocationList = RevocationList | MemoryRevocationList


def revocation_list(app: FastAPI) -> AnyRevocationList | None:
    """The app's revocation list: Redis when configured, in-process on SQLite (one process),
    None otherwise (several processes and no Redis: the database is asked every time)."""
    settings = app.state.settings
    redis = getattr(app.state, "redis", None)
    # Longer than any access token can live, leeway included.
    ttl = settings.access_token_ttl_seconds + 60
    current: AnyRevocationList | None = getattr(app.state, _STATE_KEY, None)
    if redis is not None:
        if not isinstance(current, RevocationList) or current.redis is not redis:
            current = RevocationList(redis, prefix=settings.rate_limit_key_prefix, ttl_seconds=ttl)
            setattr(app.state, _STATE_KEY, current)
        return current
    if not settings.is_sqlite:
        return None
    if not isinstance(current, MemoryRevocationList):
        current = MemoryRevocationList(ttl_seconds=ttl)
        setattr(app.state, _STATE_KEY, current)
    return current
