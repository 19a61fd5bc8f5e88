"""One error shape for the whole API: RFC 9457 problem details, rendered here only.

`problem_response` answers inside the app (exception handlers); `send_problem` answers
straight from ASGI middleware that refuses a request before it reaches the app (rate limit,
Host allow-list, body size). Both build the same `Problem`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Message, Scope, Send

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("pintar_ekspor.errors")


class FieldError(BaseModel):
    """One invalid field in a request."""

    loc: list[str | int]
    field: str
    message: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error response of this API."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    code: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of every expected error; carries the HTTP status and a stable code."""

    status_code: int = 400
    code: str = "bad_request"
    title: str | None = None

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.headers = headers or {}
        self.extra = extra or {}


class NotFoundError(DomainError):
    status_code = 404
    code = "not_found"


class ConflictError(DomainError):
    status_code = 409
    code = "conflict"


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "forbidden"


class AuthenticationError(DomainError):
    status_code = 401
    code = "not_authenticated"

    def __init__(self, detail: str = "Not authenticated", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class ValidationFailedError(DomainError):
    status_code = 422
    code = "validation_failed"


class ServiceUnavailableError(DomainError):
    status_code = 503
    code = "service_unavailable"


def problem_type(code: str | None) -> str:
    """The `type` URI of a problem with a stable code (`about:blank` without one)."""
    return f"https://pintarekspor.id/problems/{code}" if code else "about:blank"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    request: Request,
    *,
    status: int,
    detail: str | None,
    code: str | None = None,
    title: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """Render a problem+json response for the given request."""
    problem = Problem(
        type=problem_type(code),
        title=title or _title(status),
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        code=code,
        errors=errors,
    )
    body = problem.model_dump(exclude_none=True)
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def send_problem(
    scope: Scope,
    send: Send,
    *,
    status: int,
    detail: str,
    code: str,
    title: str | None = None,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with a problem+json body straight from ASGI, without entering the app."""
    state = scope.get("state") or {}
    problem = Problem(
        type=problem_type(code),
        title=title or _title(status),
        status=status,
        detail=detail,
        instance=scope.get("path"),
        request_id=state.get("request_id"),
        code=code,
    )
    body = json.dumps(problem.model_dump(exclude_none=True)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TrackedSend:
    """`send` that remembers whether the response has started: until it has, a middleware
    that catches a failure may still answer with a problem; after, it can only re-raise."""

    __slots__ = ("_send", "started")

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def _field_errors(exc: RequestValidationError) -> list[FieldError]:
    result: list[FieldError] = []
    for err in exc.errors():
        loc = [p if isinstance(p, int | str) else str(p) for p in err.get("loc", ())]
        field_parts = [
            str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")
        ]
        result.append(
            FieldError(
                loc=loc,
                field=".".join(field_parts) or (str(loc[0]) if loc else ""),
                message=str(err.get("msg", "invalid")),
                type=str(err.get("type", "value_error")),
            )
        )
    return result


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this path (Starlette's 405 names only one route's)."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through the problem+json renderer."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status_code,
            detail=exc.detail,
            code=exc.code,
            title=exc.title,
            headers=exc.headers,
            extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        if any(e.type == "json_invalid" for e in errors):
            return problem_response(
                request,
                status=400,
                detail="The request body is not valid JSON.",
                code="malformed_json",
                errors=errors,
            )
        content_type = request.headers.get("content-type", "")
        body_errors = [e for e in errors if e.loc and e.loc[0] == "body"]
        if (
            body_errors
            and content_type
            and "json" not in content_type
            and not content_type.startswith(("multipart/", "application/x-www-form-urlencoded"))
        ):
            return problem_response(
                request,
                status=415,
                detail=f"Unsupported content type {content_type!r}; send application/json.",
                code="unsupported_media_type",
            )
        summary = "; ".join(f"{e.field or 'body'}: {e.message}" for e in errors[:5])
        return problem_response(
            request,
            status=422,
            detail=f"The request is invalid: {summary}",
            code="validation_failed",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.method} {request.url.path}."
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            detail = f"Method {request.method} is not allowed on {request.url.path}."
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem_response(
            request,
            status=exc.status_code,
            detail=detail,
            code=_HTTP_CODES.get(exc.status_code, "http_error"),
            headers=headers or None,
        )

    from pintar_ekspor.core.failures import FailureMiddleware, failure_response
    from pintar_ekspor.core.openapi import install_problem_documentation

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Last resort only: FailureMiddleware answers first, inside the security middleware.
        response: JSONResponse = failure_response(request, exc)
        return response

    # Added first, so it is the innermost middleware (see core.failures).
    app.add_middleware(FailureMiddleware)
    install_problem_documentation(app)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring problem+json errors for a route."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
