"""A small list of revoked ids shared by every process (Redis), e.g. ended login sessions.

Access tokens are stateless JWTs; they carry the id of the login session (`sid`) they belong
to. When a session ends (logout, refresh-token reuse, password change, deactivation) its id
is written here once the revocation commits, and kept for as long as any access token of it
can live. Checking is one Redis `EXISTS`. Without Redis, or while Redis fails, `contains`
answers None and the caller asks the database, which is always the truth.
"""

from __future__ import annotations

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


def revocation_list(app: FastAPI) -> RevocationList | None:
    """The app's shared revocation list, or None when no Redis is configured."""
    redis = getattr(app.state, "redis", None)
    if redis is None:
        return None
    current: RevocationList | None = getattr(app.state, _STATE_KEY, None)
    if current is None or current.redis is not redis:
        settings = app.state.settings
        current = RevocationList(
            redis,
            prefix=settings.rate_limit_key_prefix,
            # Longer than any access token can live, leeway included.
            ttl_seconds=settings.access_token_ttl_seconds + 60,
        )
        setattr(app.state, _STATE_KEY, current)
    return current
