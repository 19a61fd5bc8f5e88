"""Report results cached briefly per parameters: in process, or in Redis when configured.

Reports are read far more often than the figures change meaningfully, and a dashboard asks
for the same report again on every render; a short TTL keeps them fresh enough and cheap.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

log = structlog.get_logger("pintar_ekspor.reports")
MAX_ENTRIES = 256
REDIS_PREFIX = "pintar-reports:"


class ReportCache:
    """A TTL cache of JSON-ready report bodies (`ttl` 0 disables it)."""

    def __init__(self, ttl: float, redis: Any = None) -> None:
        self.ttl = ttl
        self.redis = redis
        self._local: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    async def get_or_compute(
        self, key: str, compute: Callable[[], Awaitable[dict[str, Any]]]
    ) -> dict[str, Any]:
        if self.ttl <= 0:
            return await compute()
        cached = await self._get(key)
        if cached is not None:
            return cached
        value = await compute()
        await self._set(key, value)
        return value

    async def _get(self, key: str) -> dict[str, Any] | None:
        if self.redis is not None:
            try:
                raw = await self.redis.get(REDIS_PREFIX + key)
            except Exception:  # a cache outage only costs speed
                log.warning("reports_cache_unavailable", exc_info=True)
                raw = None
            if raw is not None:
                value: dict[str, Any] = json.loads(raw)
                return value
            return None
        entry = self._local.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    async def _set(self, key: str, value: dict[str, Any]) -> None:
        if self.redis is not None:
            try:
                await self.redis.set(
                    REDIS_PREFIX + key,
                    json.dumps(value, separators=(",", ":")),
                    px=max(1, int(self.ttl * 1000)),
                )
            except Exception:
                log.warning("reports_cache_unavailable", exc_info=True)
            return
        self._local[key] = (time.monotonic() + self.ttl, value)
        self._local.move_to_end(key)
        while len(self._local) > MAX_ENTRIES:
            self._local.popitem(last=False)
