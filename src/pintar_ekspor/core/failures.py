"""Unexpected failures, answered from inside the middleware stack.

Starlette renders an exception handler for `Exception` in its outermost middleware, outside
every middleware of ours: such a 500 left without the security headers and the request id.
`FailureMiddleware` sits innermost instead, so a 500 (and a 503 when the database is out of
reach or out of connections) travels back through the same middleware as any answer.
"""

from __future__ import annotations

import socket
from typing import Any

import structlog
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from pintar_ekspor.core.errors import TrackedSend, problem_response

log = structlog.get_logger("pintar_ekspor.errors")

DATABASE_RETRY_AFTER_SECONDS = 3
# SQLSTATE classes meaning "the database cannot serve you now": connection exceptions (08),
# insufficient resources such as too many connections (53), operator intervention such as a
# restart or pg_terminate_backend (57P).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")


def _sqlstate(error: BaseException | None) -> str:
    return str(getattr(error, "sqlstate", None) or getattr(error, "pgcode", None) or "")


def database_unavailable(error: BaseException) -> bool:
    """True when `error` means the database is unreachable, restarting or out of connections."""
    if isinstance(error, sa_exc.TimeoutError):  # the pool had no free connection in time
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        orig = error.orig
        if _sqlstate(orig).startswith(_UNAVAILABLE_SQLSTATES):
            return True
        cause = getattr(orig, "__cause__", None)
        return _sqlstate(cause).startswith(_UNAVAILABLE_SQLSTATES) or isinstance(
            cause, ConnectionError | socket.gaierror
        )
    # asyncpg raises these bare while connecting (refused, reset, DNS, connect timeout).
    return isinstance(error, ConnectionError | socket.gaierror | TimeoutError)


def failure_response(request: Request, error: Exception) -> Any:
    """503 with Retry-After for an unavailable database; otherwise a logged 500."""
    if database_unavailable(error):
        log.warning(
            "database_unavailable",
            path=request.url.path,
            error=type(error).__name__,
        )
        return problem_response(
            request,
            status=503,
            detail="The database is unavailable or busy; retry shortly.",
            code="database_unavailable",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    log.error(
        "unhandled_exception",
        path=request.url.path,
        method=request.method,
        exc_info=(type(error), error, error.__traceback__),
    )
    return problem_response(
        request,
        status=500,
        detail="An unexpected error occurred. Quote the request id when reporting it.",
        code="internal_error",
    )


class FailureMiddleware:
    """Innermost middleware: turns an unhandled exception into a problem+json answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except HTTPException:
            raise  # rendered by the app's handlers or by the middleware that raised it
        except Exception as error:
            if tracked.started:  # too late for a clean answer; let the server close the connection
                raise
            response = failure_response(Request(scope, receive), error)
            await response(scope, receive, send)
