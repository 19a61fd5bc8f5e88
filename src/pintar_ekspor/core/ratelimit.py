"""Sliding-window rate limits on the `limits` library, as a pure ASGI middleware.

Three classes (counts and windows from settings, `count/seconds`):

- `auth`: per client IP on `/api/v1/auth/*` (sign-in, registration, password reset).
- `api`: per API key, for requests that present one (`Authorization: ApiKey` / `X-API-Key`).
  The key is identified by a hash of the presented string, without a database lookup, so a
  forged key still counts against itself; and every request whose key is rejected (401) also
  counts against `general` for its IP, so rotating forged keys does not escape the limit.
- `general`: per user (the `sub` of a valid access token) or per client IP when anonymous.

Credentials are read and access tokens verified by `core.credentials`, the code the auth
dependencies use, so the limiter counts a request against the caller the app will see.

The moving window is exact (a log of hits): a burst at the end of one minute and another at
the start of the next are seen together, unlike a fixed bucket. Storage is in-process memory
by default and Redis when `REDIS_URL` is set, so several processes share one count. When the
backend fails the request goes through (fail open), the failure is logged and counted, and
the backend is tried again after a short pause.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.storage import MovingWindowSupport, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.credentials import (
    CredentialKind,
    access_token_subject,
    presented_credential,
)
from pintar_ekspor.core.errors import AuthenticationError, send_problem
from pintar_ekspor.core.metrics import Metrics

log = structlog.get_logger("pintar_ekspor.ratelimit")

AUTH_PREFIX = "/api/v1/auth/"
LIMITED_PREFIX = "/api/"
UNLIMITED_PATHS = frozenset({"/api/v1/openapi.json"})
# Redis must answer fast or not at all: a slow limiter would slow every request.
REDIS_TIMEOUT_SECONDS = 0.25

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")

# `limits` needs two Redis round trips per request (acquire, then read the window). This does
# both in one, on the same list layout (newest timestamp first) as limits' own scripts, so the
# two stay interchangeable. Returns {allowed, hits in window, oldest hit in window}.
REDIS_HIT_SCRIPT = """
local now, limit, expiry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local start = now - expiry
local allowed = 0
local last = redis.call('lindex', KEYS[1], limit - 1)
if not (last and tonumber(last) >= start) then
  redis.call('lpush', KEYS[1], ARGV[1])
  redis.call('ltrim', KEYS[1], 0, limit - 1)
  redis.call('expire', KEYS[1], math.ceil(expiry))
  allowed = 1
end
local low, high, found = 0, redis.call('llen', KEYS[1]) - 1, -1
while low <= high do
  local mid = math.floor((low + high) / 2)
  local value = tonumber(redis.call('lindex', KEYS[1], mid))
  if value and value >= start then found = mid; low = mid + 1 else high = mid - 1 end
end
local oldest = ARGV[1]
if found >= 0 then oldest = redis.call('lindex', KEYS[1], found) end
return {allowed, found + 1, oldest}
"""


class MemoryWindowStorage(Storage, MovingWindowSupport):
    """An in-process moving-window log on `limits`' public storage interface.

    `limits`' own `MemoryStorage` schedules a sweep over *every* key, one thread hop per key,
    after each hit as soon as the previous sweep has finished: under load with many clients
    it never stops and costs more than the limiting itself. This one keeps, per key, the hit
    times oldest first (a hit appends; the window is a bisect), and frees memory with a
    paced, bounded sweep run inline every few seconds, a slice of keys at a time. Nothing
    here awaits, so no hit can interleave with another's check-and-append: no locks needed.
    Time comes from the injected clock, the limiter's, so tests move both at once.
    """

    sweep_interval = 5.0
    keys_per_sweep = 2000

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.clock = clock or Clock()
        # Moving windows: key -> (window seconds, hit times oldest first).
        self.events: dict[str, tuple[int, list[float]]] = {}
        # Counters, for the fixed-window strategies the interface also serves.
        self.counters: dict[str, tuple[int, float]] = {}
        self._next_sweep = 0.0
        self._pending: list[str] = []

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    # -- moving window (what MovingWindowRateLimiter calls) --

    async def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        self._maybe_sweep()
        now = self.clock.time()
        _, hits = self.events.setdefault(key, (expiry, []))
        # Hits at or after `now - expiry` are in the window (as in limits' own storages).
        del hits[: bisect.bisect_left(hits, now - expiry)]
        if len(hits) + amount > limit:
            return False
        hits.extend([now] * amount)
        return True

    async def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(time of the oldest hit in the window, hits in the window)."""
        now = self.clock.time()
        window = self.events.get(key)
        if window is not None:
            hits = window[1]
            start = bisect.bisect_right(hits, now - expiry)
            if start < len(hits):
                return hits[start], len(hits) - start
        return now, 0

    # -- the rest of the Storage interface --

    async def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = self.clock.time()
        count, expires_at = self.counters.get(key, (0, 0.0))
        if expires_at <= now:
            count, expires_at = 0, now + expiry
        self.counters[key] = (count + amount, expires_at)
        return count + amount

    async def get(self, key: str) -> int:
        count, expires_at = self.counters.get(key, (0, 0.0))
        return count if expires_at > self.clock.time() else 0

    async def get_expiry(self, key: str) -> float:
        _, expires_at = self.counters.get(key, (0, 0.0))
        return expires_at if expires_at > self.clock.time() else self.clock.time()

    async def check(self) -> bool:
        return True

    async def reset(self) -> int | None:
        count = max(len(self.events), len(self.counters))
        self.events.clear()
        self.counters.clear()
        self._pending.clear()
        return count

    async def clear(self, key: str) -> None:
        self.events.pop(key, None)
        self.counters.pop(key, None)

    # -- memory --

    def _maybe_sweep(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self.sweep()
        # Keys left over from a large sweep are taken on the next hit, not in a few seconds.
        self._next_sweep = now + (0.0 if self._pending else self.sweep_interval)

    def sweep(self) -> bool:
        """Drop expired entries of the next slice of keys; True while a pass is unfinished."""
        now = self.clock.time()
        if not self._pending:
            self._pending = [*self.events, *self.counters]
        batch = self._pending[-self.keys_per_sweep :]
        del self._pending[-self.keys_per_sweep :]
        for key in batch:
            window = self.events.get(key)
            if window is not None:
                expiry, hits = window
                del hits[: bisect.bisect_left(hits, now - expiry)]
                if not hits:
                    del self.events[key]
            counter = self.counters.get(key)
            if counter is not None and counter[1] <= now:
                del self.counters[key]
        return bool(self._pending)


@dataclass(frozen=True)
class Rule:
    """One limit class: `limit` requests per moving window of `window` seconds."""

    name: str
    item: RateLimitItem

    @property
    def limit(self) -> int:
        return int(self.item.amount)

    @property
    def window(self) -> int:
        return int(self.item.get_expiry())


def parse_rule(name: str, spec: str) -> Rule:
    """`"20/60"` (count/seconds), or a `limits` string such as `"20/minute"`."""
    match = _SPEC.match(spec)
    if match:
        count, seconds = int(match[1]), int(match[2])
        if count < 1 or seconds < 1:
            raise ValueError(f"rate limit {name!r} must be positive: {spec!r}")
        return Rule(name, RateLimitItemPerSecond(count, seconds))
    return Rule(name, parse(spec))


@dataclass(frozen=True)
class Decision:
    """The outcome of one check, and the headers that tell the client about it."""

    rule: Rule
    allowed: bool
    remaining: int
    reset_after: int  # seconds until the window frees a slot

    def headers(self) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"ratelimit-limit", str(self.rule.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_after).encode()),
            (b"ratelimit-policy", f"{self.rule.limit};w={self.rule.window}".encode()),
        ]
        if not self.allowed:
            headers.append((b"retry-after", str(max(self.reset_after, 1)).encode()))
        return headers


class RateLimiter:
    """Moving-window checks over a `limits` storage, failing open when it is unreachable."""

    def __init__(
        self,
        storage: Storage,
        rules: Mapping[str, Rule],
        *,
        metrics: Metrics | None = None,
        clock: Clock | None = None,
        backend: str = "memory",
        backend_retry_seconds: float = 1.0,
    ) -> None:
        self.storage = storage
        self.strategy = MovingWindowRateLimiter(storage)
        self.rules = dict(rules)
        self.metrics = metrics
        self.clock = clock or Clock()
        self.backend = backend
        self.backend_retry_seconds = backend_retry_seconds
        self._down_until = 0.0
        self._down = False
        self._redis_hit: Any = None
        bridge = getattr(storage, "bridge", None)
        if isinstance(storage, RedisStorage) and bridge is not None:
            self._redis_hit = bridge.get_connection().register_script(REDIS_HIT_SCRIPT)
            self._redis_key = bridge.prefixed_key

    @classmethod
    def from_settings(
        cls, settings: Settings, *, metrics: Metrics | None = None, **kwargs: Any
    ) -> RateLimiter:
        """Memory storage, or Redis when `REDIS_URL` is set (nothing connects yet)."""
        rules = {
            "auth": parse_rule("auth", settings.rate_limit_auth),
            "general": parse_rule("general", settings.rate_limit_general),
            "api": parse_rule("api", settings.rate_limit_api),
        }
        storage: Storage
        if settings.redis_url:
            # redis-py, not coredis (limits' default); and not the `limits[redis]` extra,
            # which pins redis<8.
            storage = RedisStorage(
                "async+" + settings.redis_url.removeprefix("async+"),
                implementation="redispy",
                key_prefix=settings.rate_limit_key_prefix,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            kwargs.setdefault("backend", "redis")
        else:
            storage = MemoryWindowStorage(clock=kwargs.get("clock"))
        return cls(storage, rules, metrics=metrics, **kwargs)

    def rule(self, name: str) -> Rule:
        return self.rules[name]

    async def hit(self, rule: Rule, identity: str) -> Decision | None:
        """Count one request; None when the backend failed and the request goes unchecked."""
        if not self._backend_available():
            return None
        try:
            if self._redis_hit is not None:
                key = self._redis_key(rule.item.key_for(rule.name, identity))
                allowed_flag, count, oldest = await self._redis_hit(
                    keys=[key], args=[self.clock.time(), rule.limit, rule.window]
                )
                allowed = bool(allowed_flag)
                remaining, reset_time = rule.limit - int(count), float(oldest) + rule.window
            else:
                allowed = await self.strategy.hit(rule.item, rule.name, identity)
                stats = await self.strategy.get_window_stats(rule.item, rule.name, identity)
                remaining, reset_time = stats.remaining, stats.reset_time
        except Exception as exc:
            self._failed(exc)
            return None
        self._recovered()
        return self._decision(rule, allowed, remaining, reset_time)

    async def peek(self, rule: Rule, identity: str) -> Decision | None:
        """The state of a window without counting a request (None when unchecked)."""
        if not self._backend_available():
            return None
        try:
            stats = await self.strategy.get_window_stats(rule.item, rule.name, identity)
        except Exception as exc:
            self._failed(exc)
            return None
        self._recovered()
        return self._decision(rule, stats.remaining > 0, stats.remaining, stats.reset_time)

    async def clear(self, rule: Rule, identity: str) -> None:
        await self.strategy.clear(rule.item, rule.name, identity)

    async def aclose(self) -> None:
        """Close the Redis connections, if any."""
        bridge = getattr(self.storage, "bridge", None)
        client = getattr(bridge, "storage", None)
        if client is not None and hasattr(client, "aclose"):
            await client.aclose()

    def _decision(self, rule: Rule, allowed: bool, remaining: int, reset_time: float) -> Decision:
        reset_after = max(0, math.ceil(reset_time - self.clock.time()))
        return Decision(rule, allowed, max(0, remaining), min(reset_after, rule.window))

    def _backend_available(self) -> bool:
        if self._down and time.monotonic() < self._down_until:
            self._count_error()
            return False
        return True

    def _count_error(self) -> None:
        if self.metrics is not None:
            self.metrics.rate_limit_errors.inc()

    def _failed(self, exc: Exception) -> None:
        self._count_error()
        self._down_until = time.monotonic() + self.backend_retry_seconds
        if not self._down:
            self._down = True
            log.error(
                "rate_limit_backend_unavailable",
                backend=self.backend,
                error=f"{type(exc).__name__}: {exc}",
                action="failing open; requests are not limited until it returns",
            )

    def _recovered(self) -> None:
        if self._down:
            self._down = False
            log.warning("rate_limit_backend_recovered", backend=self.backend)


def _key_fingerprint(raw_key: str) -> str:
    return hashlib.blake2b(raw_key.encode("utf-8", "replace"), digest_size=16).hexdigest()


class RateLimitMiddleware:
    """Applies the `auth`, `api` and `general` limits to every `/api/` request."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def classify(self, scope: Scope, limiter: RateLimiter, ip: str) -> tuple[Rule, str, bool]:
        """(rule, identity, whether a 401 also counts against the IP's general window)."""
        if scope["path"].startswith(AUTH_PREFIX):
            return limiter.rule("auth"), f"ip:{ip}", False
        try:
            credential = presented_credential(scope)
        except AuthenticationError:
            credential = None  # malformed: the IP's budget; the dependencies answer 401
        if credential is not None and credential.value:
            if credential.kind is CredentialKind.API_KEY:
                return limiter.rule("api"), f"key:{_key_fingerprint(credential.value)}", True
            subject = access_token_subject(self.settings, credential.value)
            if subject is not None:
                return limiter.rule("general"), f"user:{subject}", False
        return limiter.rule("general"), f"ip:{ip}", False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith(LIMITED_PREFIX)
            or path in UNLIMITED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        limiter: RateLimiter | None = getattr(scope["app"].state, "rate_limiter", None)
        if limiter is None:
            await self.app(scope, receive, send)
            return
        ip = (scope.get("state") or {}).get("client_ip") or _peer(scope)
        rule, identity, guard_ip = self.classify(scope, limiter, ip)
        general = limiter.rule("general")
        ip_identity = f"ip:{ip}"

        if guard_ip:
            ip_state = await limiter.peek(general, ip_identity)
            if ip_state is not None and not ip_state.allowed:
                await self._refuse(scope, send, limiter, ip_state)
                return
        decision = await limiter.hit(rule, identity)
        if decision is not None and not decision.allowed:
            await self._refuse(scope, send, limiter, decision)
            return
        headers = decision.headers() if decision is not None else []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                if headers:
                    message["headers"] = [*message.get("headers", ()), *headers]
                if guard_ip and message["status"] == 401:
                    await limiter.hit(general, ip_identity)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, limiter: RateLimiter, decision: Decision) -> None:
        if limiter.metrics is not None:
            limiter.metrics.rate_limited.labels(decision.rule.name).inc()
        wait = max(decision.reset_after, 1)
        await send_problem(
            scope,
            send,
            status=429,
            title="Too Many Requests",
            detail=(
                f"Rate limit '{decision.rule.name}' of {decision.rule.limit} requests per "
                f"{decision.rule.window} s exceeded; retry in {wait} s."
            ),
            code="rate_limited",
            headers=decision.headers(),
        )


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
