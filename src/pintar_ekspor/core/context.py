"""Per-request context (who is acting, from where) readable below the HTTP layer.

Services never import FastAPI; the audit trail and logs still need the actor, client IP and
request id, so dependencies record them here in a context variable.
"""

from __future__ import annotations

import uuid
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
