"""Cross-cutting FastAPI dependencies: settings, clock, database session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.content_cache import CHANGED_FLAG, content_cache
from pintar_ekspor.core.db import committed_facts, session_scope
from pintar_ekspor.core.revocation import REVOKED_SESSIONS, revocation_list

F = TypeVar("F", bound=Callable[..., Any])
_READ_ONLY_ATTR = "__pintar_read_only__"
_SAFE_METHODS = frozenset({"GET", "HEAD"})
_DEFAULT_CLOCK = Clock()


def read_only(endpoint: F) -> F:
    """Mark a route that never writes: its session runs in autocommit (no BEGIN/COMMIT round
    trips, no SQLite write lock). Put it under the `@router.get(...)` decorator. Only for
    routes whose every statement is a SELECT (a lone conditional UPDATE, like an API key's
    `last_used_at`, is still atomic on its own); a route that writes several rows together
    must stay transactional."""
    setattr(endpoint, _READ_ONLY_ATTR, True)
    return endpoint


def is_read_only_request(request: Request) -> bool:
    endpoint = request.scope.get("endpoint")
    if request.method not in _SAFE_METHODS or not getattr(endpoint, _READ_ONLY_ATTR, False):
        return False
    # An API key's use is recorded (`accounts.api_keys._touch`, a read then a write): such
    # requests keep their transaction (on SQLite: BEGIN IMMEDIATE, no lock upgrade).
    headers = request.headers
    authorization = headers.get("authorization", "")
    return "x-api-key" not in headers and not authorization[:7].lower().startswith("apikey")


# Dependencies are `async def` even when they do no I/O: FastAPI runs a plain `def`
# dependency in the thread pool, a thread hop (and a lock hand-off) per call per request.
async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    """The app's clock (`app.state.clock`); tests swap in a `ManualClock`."""
    clock: Clock | None = getattr(request.app.state, "clock", None)
    return clock or _DEFAULT_CLOCK


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: committed when the route succeeds, rolled back otherwise."""
    # A context manager (not `async for`): an exception raised by the route must reach
    # session_scope at once, so the rollback and the connection's release (and on SQLite
    # the write lock) never wait for garbage collection.
    state = request.app.state
    factory = state.session_factory
    if is_read_only_request(request):
        # Tests wire a transactional factory without this one: they keep their rollback.
        factory = getattr(state, "read_session_factory", None) or factory
    session: AsyncSession | None = None
    try:
        async with session_scope(factory) as session:
            yield session
        if session.info.get(CHANGED_FLAG):
            await content_cache(request).note_commit(session.info)
    finally:
        # Also after an error: an auth failure commits what it recorded before its 401.
        if session is not None:
            await publish_committed(request, session)


async def publish_committed(request: Request, session: AsyncSession) -> None:
    """Hand what committed transactions recorded (`core.db.after_commit`) to shared stores."""
    facts = committed_facts(session)
    revoked = facts.get(REVOKED_SESSIONS)
    if revoked:
        store = revocation_list(request.app)
        if store is not None:
            await store.add(revoked)


AppSettings = Annotated[Settings, Depends(get_app_settings)]
# Every time that decides something in a route (expiry, due, lockout) comes from this clock.
AppClock = Annotated[Clock, Depends(get_clock)]
# scope="function": commit before the response is sent, so a failed commit is an error.
DbSession = Annotated[AsyncSession, Depends(get_db, scope="function")]
