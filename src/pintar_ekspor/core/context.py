"""Per-request context (who is acting, from where) readable below the HTTP layer.

Services never import FastAPI; the audit trail and logs still need the actor, client IP and
request id, so dependencies record them here in a context variable. The audit switch lives
here too: the request guard sets it per request (`AUDIT_ENABLED`), the trail (`audit.trail`)
reads it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RequestContext:
    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None


_current: ContextVar[RequestContext] = ContextVar(
    "pintar_request_context",
    default=RequestContext(),  # noqa: B039
)


def get_context() -> RequestContext:
    """The context of the request being served (empty outside a request)."""
    return _current.get()


def set_context(ctx: RequestContext) -> None:
    _current.set(ctx)


def update_context(**changes: object) -> RequestContext:
    """Replace some fields of the current context and return the new one."""
    ctx = replace(_current.get(), **changes)  # type: ignore[arg-type]
    _current.set(ctx)
    return ctx


_audit_enabled: ContextVar[bool] = ContextVar("pintar_audit_enabled", default=True)


def is_audit_enabled() -> bool:
    """Whether changes and security events are written to the audit trail right now."""
    return _audit_enabled.get()


def set_audit_enabled(enabled: bool) -> None:
    """Switch auditing on or off for the current context (the app sets it per request)."""
    _audit_enabled.set(enabled)


@contextmanager
def audit_suspended() -> Iterator[None]:
    """Suspend auditing inside a block (benchmarks, bulk imports)."""
    token = _audit_enabled.set(False)
    try:
        yield
    finally:
        _audit_enabled.reset(token)
