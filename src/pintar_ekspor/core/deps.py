"""Cross-cutting FastAPI dependencies: settings, database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import committed_facts, session_scope
from pintar_ekspor.core.revocation import REVOKED_SESSIONS, revocation_list


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: committed when the route succeeds, rolled back otherwise."""
    # A context manager (not `async for`): an exception raised by the route must reach
    # session_scope at once, so the rollback and the connection's release (and on SQLite
    # the write lock) never wait for garbage collection.
    session: AsyncSession | None = None
    try:
        async with session_scope(request.app.state.session_factory) as session:
            yield session
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
# scope="function": commit before the response is sent, so a failed commit is an error.
DbSession = Annotated[AsyncSession, Depends(get_db, scope="function")]
