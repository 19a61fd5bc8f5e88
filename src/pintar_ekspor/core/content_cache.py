"""A cache of encoded public responses (the catalogue, anonymous course pages) with HTTP
validators, dropped whenever the content behind them changes.

Correctness rests on a *generation* number, never on a TTL:

- Every flush that inserts, changes or deletes a watched row (courses, their tags, sections
  and lessons; enrolments, whose count the catalogue shows) bumps the process's generation at
  once, and again when that session commits. A reader takes the generation *before* it
  queries and files its entry under it, so an entry built from data older than a commit can
  never be filed under a generation taken after that commit.
- With Redis configured the generation also lives in Redis: the request that committed a
  change INCRs it (`note_commit`), every read looks it up (one GET), and entries are shared
  between processes under `<prefix>:<generation>:<key>`. Without Redis the cache is
  per process, which is exact for the single-process (SQLite) deployment.
- A short TTL only bounds memory and staleness from writes made outside a request of this
  app (the CLI seeding a running server without Redis).
- One build per key at a time in a process: when an entry is missing or has just expired,
  the first request builds it and concurrent requests for the same key wait for that body
  instead of each running the same queries (no stampede every TTL under load).

Responses carry a strong `ETag` (a hash of the body), so `If-None-Match` gets a 304 without a
body, and a short `Cache-Control` max-age with `stale-while-revalidate`.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from starlette.requests import Request
from starlette.responses import Response

log = structlog.get_logger("pintar_ekspor.cache")

CHANGED_FLAG = "pintar_content_changed"
PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30"
VARY = "Authorization, X-API-Key"
JSON = "application/json"
REDIS_TIMEOUT_SECONDS = 0.25

# Process-wide: every app in the process (tests build many) sees the same database changes.
_generation = itertools.count(1)
_current = next(_generation)
# class -> attribute names whose change matters (None: any change of the row).
_watched: dict[type[Any], frozenset[str] | None] = {}


def watch(cls: type[Any], *, attributes: Iterable[str] | None = None) -> None:
    """Drop cached content when rows of `cls` change (only `attributes`, when given)."""
    _watched[cls] = frozenset(attributes) if attributes is not None else None


def _bump() -> None:
    global _current
    _current = next(_generation)


def local_generation() -> int:
    return _current


def _touches_watched(session: Session) -> bool:
    for obj in itertools.chain(session.new, session.deleted):
        if type(obj) in _watched:
            return True
    for obj in session.dirty:
        attributes = _watched.get(type(obj), frozenset())
        if attributes is None:
            return True
        if attributes:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in attributes):
                return True
    return False


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    if _watched and _touches_watched(session):
        session.info[CHANGED_FLAG] = True
        _bump()


@event.listens_for(Session, "after_flush_postexec")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get(CHANGED_FLAG):
        _bump()  # the rows are in the database now (uncommitted): readers refill later


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    writes = state.is_update or state.is_delete or state.is_insert
    if writes and state.bind_mapper is not None and state.bind_mapper.class_ in _watched:
        state.session.info[CHANGED_FLAG] = True
        _bump()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.get(CHANGED_FLAG):
        _bump()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: object) -> None:
    # A reader sharing the writer's transaction (tests) may have cached rows now undone.
    if session.info.get(CHANGED_FLAG):
        _bump()


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    expires: float


class _Flight:
    """A build in progress; waiters get its entry (None when the build failed)."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.entry: Entry | None = None


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an `If-None-Match` list against our ETag."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class ContentCache:
    """Encoded public responses by key, valid for the generation they were built in."""

    def __init__(
        self,
        *,
        redis: Any = None,
        prefix: str = "pintar-content",
        ttl_seconds: float = 60.0,
        max_entries: int = 1024,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        self._flights: dict[tuple[str, str], _Flight] = {}
        self.hits = 0
        self.misses = 0

    async def generation(self) -> str:
        """The generation to file entries under (local, and Redis's when configured)."""
        local = str(local_generation())
        if self.redis is None:
            return local
        try:
            shared = await self.redis.get(f"{self.prefix}:generation")
        except Exception as exc:  # Redis down: fall back to this process's view
            log.warning("content_cache_redis_unavailable", error=f"{type(exc).__name__}: {exc}")
            return f"{local}:local"
        return f"{local}:{int(shared or 0)}"

    async def note_commit(self, session_info: dict[str, Any]) -> None:
        """After a request committed: tell other processes when it changed content."""
        if not session_info.pop(CHANGED_FLAG, False) or self.redis is None:
            return
        try:
            await self.redis.incr(f"{self.prefix}:generation")
        except Exception as exc:
            log.warning("content_cache_redis_unavailable", error=f"{type(exc).__name__}: {exc}")

    def _get_local(self, generation: str, key: str) -> Entry | None:
        entry = self._entries.get((generation, key))
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            del self._entries[(generation, key)]
            return None
        return entry

    def _put_local(self, generation: str, key: str, entry: Entry) -> None:
        self._entries[(generation, key)] = entry
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def _get_shared(self, generation: str, key: str) -> Entry | None:
        if self.redis is None or generation.endswith(":local"):
            return None
        try:
            body = await self.redis.get(f"{self.prefix}:{generation}:{key}")
        except Exception:
            return None
        if body is None:
            return None
        entry = Entry(bytes(body), etag_of(bytes(body)), time.monotonic() + self.ttl)
        self._put_local(generation, key, entry)
        return entry

    async def _put_shared(self, generation: str, key: str, body: bytes) -> None:
        if self.redis is None or generation.endswith(":local"):
            return
        try:
            await self.redis.set(f"{self.prefix}:{generation}:{key}", body, ex=int(self.ttl))
        except Exception as exc:
            log.warning("content_cache_redis_unavailable", error=f"{type(exc).__name__}: {exc}")

    async def get_or_build(self, key: str, build: Callable[[], Awaitable[bytes]]) -> Entry:
        """The cached entry for `key`, building (and filing) it when missing."""
        generation = await self.generation()  # before the query: see the module docstring
        entry = self._get_local(generation, key) or await self._get_shared(generation, key)
        if entry is not None:
            self.hits += 1
            return entry
        flight = self._flights.get((generation, key))
        if flight is not None:
            await flight.done.wait()
            if flight.entry is not None:
                self.hits += 1
                return flight.entry
            # The build failed (or its request went away): build this one ourselves.
        self.misses += 1
        flight = self._flights[(generation, key)] = _Flight()
        try:
            body = await build()
            entry = Entry(body, etag_of(body), time.monotonic() + self.ttl)
            self._put_local(generation, key, entry)
            flight.entry = entry
        finally:
            flight.done.set()
            if self._flights.get((generation, key)) is flight:
                del self._flights[(generation, key)]
        await self._put_shared(generation, key, body)
        return entry

    async def respond(
        self, request: Request, key: str, build: Callable[[], Awaitable[bytes]]
    ) -> Response:
        """200 with the cached JSON body, or 304 when the client's `If-None-Match` matches."""
        entry = await self.get_or_build(key, build)
        return cached_response(request, entry)


def cached_response(request: Request, entry: Entry) -> Response:
    # Vary: the same URL answers a signed-in caller with their own data (a course page's
    # enrolment and progress); a browser must not reuse this anonymous copy for them.
    headers = {"etag": entry.etag, "cache-control": PUBLIC_CACHE_CONTROL, "vary": VARY}
    if etag_matches(request.headers.get("if-none-match"), entry.etag):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type=JSON, headers=headers)


def content_cache(request: Request) -> ContentCache:
    cache: ContentCache | None = getattr(request.app.state, "content_cache", None)
    if cache is None:  # apps built without the lifespan (tests): one per app, made on use
        cache = ContentCache()
        request.app.state.content_cache = cache
    return cache
