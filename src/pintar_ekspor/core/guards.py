"""Refusals before the app: a Host this service does not answer for, a body that is too big.

Both answer with problem+json from ASGI (`core.errors.send_problem`), so the app never runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.core.errors import TrackedSend, send_problem
from pintar_ekspor.core.security import header_values

HEALTH_PATHS = frozenset({"/health", "/health/ready"})


class HostGuardMiddleware:
    """Refuse requests whose Host is not allowed (400 problem+json), except health checks
    (container probes call the pod IP). Patterns: exact names or `*.example.com`."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.allowed = [h.lower() for h in allowed_hosts]
        self.allow_any = "*" in self.allowed

    def _allowed(self, host: str) -> bool:
        return any(
            host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] != "http" or scope["path"] in HEALTH_PATHS:
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "").split(":")[0].lower()
        if self._allowed(host):
            await self.app(scope, receive, send)
            return
        await send_problem(
            scope,
            send,
            status=400,
            title="Bad Request",
            detail="The Host header names a host this service does not answer for.",
            code="invalid_host",
        )


class RequestBodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit (rendered as 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413, detail=f"The request body exceeds the limit of {limit} bytes."
        )
        self.limit = limit


class BodySizeLimitMiddleware:
    """413 problem+json for bodies above the limit, by Content-Length or while streaming."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int,
        overrides: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.overrides = tuple(overrides)

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides:
            if path.startswith(prefix):
                return limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = header_values(scope, b"content-length").get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self._reject(scope, send, limit)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestBodyTooLarge(limit)
            return message

        tracked = TrackedSend(send)
        try:
            await self.app(scope, limited_receive, tracked)
        except RequestBodyTooLarge:
            # Normally the app's handler has already answered 413; this covers the rest.
            if tracked.started:
                raise
            await self._reject(scope, send, limit)

    @staticmethod
    async def _reject(scope: Scope, send: Send, limit: int) -> None:
        await send_problem(
            scope,
            send,
            status=413,
            title="Content Too Large",
            detail=f"The request body exceeds the limit of {limit} bytes.",
            code="payload_too_large",
            headers=[(b"connection", b"close")],
        )
