"""HTTP guardrails: client identity, security headers, CORS, trusted hosts, body limits, docs.

All middleware here is pure ASGI (no `BaseHTTPMiddleware`): it runs on every request, so it
stays a few attribute look-ups and header appends. `install_guardrails` puts the pieces in
order; the outermost first:

    RequestContextMiddleware (request id, access log, metrics; core.middleware)
    RequestGuardMiddleware   (client IP behind trusted proxies, request context, headers)
    HostGuardMiddleware      (Host allow-list, when ALLOWED_HOSTS is restricted)
    CORSMiddleware           (when CORS_ORIGINS lists origins)
    RateLimitMiddleware      (core.ratelimit, when RATE_LIMIT_ENABLED)
    BodySizeLimitMiddleware  (413 above MAX_BODY_BYTES, larger on upload routes)
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.core import audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.context import RequestContext, get_context, set_context
from pintar_ekspor.core.errors import PROBLEM_JSON, Problem

log = structlog.get_logger("pintar_ekspor.security")

HEALTH_PATHS = frozenset({"/health", "/health/ready"})
DOCS_PATH = "/docs"
DOCS_ASSETS_PATH = "/docs/assets"
DOCS_OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
UPLOAD_PREFIXES = ("/api/v1/analytics/",)
MEDIA_UPLOAD_PATH = "/api/v1/admin/media"

# Same-origin web app (Vite module scripts), Mantine's inline styles, images from anywhere
# on https (course thumbnails), YouTube lesson embeds. No third-party scripts at all.
CSP_DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: https:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=63072000; includeSubDomains"


def build_csp(extra_script_sources: Iterable[str] = ()) -> str:
    """The Content-Security-Policy, optionally allowing extra script sources (hashes)."""
    directives = dict(CSP_DIRECTIVES)
    extra = " ".join(extra_script_sources)
    if extra:
        directives["script-src"] = f"{directives['script-src']} {extra}"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(
    *, hsts: bool, extra_script_sources: Iterable[str] = ()
) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (HSTS only over HTTPS or in production)."""
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", PERMISSIONS_POLICY.encode()),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"content-security-policy", build_csp(extra_script_sources).encode()),
    ]
    if hsts:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


# --- problem+json straight from ASGI --------------------------------------------------------


async def send_problem(
    scope: Scope,
    send: Send,
    *,
    status: int,
    title: str,
    detail: str,
    code: str,
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer with an RFC 9457 problem+json body without entering the app."""
    state = scope.get("state") or {}
    problem = Problem(
        type=f"https://pintarekspor.id/problems/{code}",
        title=title,
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


# --- client identity behind proxies -----------------------------------------------------------

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` headers are believed."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()
        )
        self.is_trusted = lru_cache(maxsize=4096)(self._is_trusted)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def resolve(self, peer: str, forwarded_for: str | None) -> str:
        """The client address: the peer, or the right-most untrusted `X-Forwarded-For` hop.

        Only a trusted peer's header is read, and it is read from the right: everything left
        of the first address our own proxies did not add could have been written by the client.
        """
        if not self.networks or not forwarded_for or not self.is_trusted(peer):
            return peer
        candidate = peer
        for hop in reversed(forwarded_for.split(",")):
            hop = hop.strip()
            try:
                candidate = str(ipaddress.ip_address(hop))
            except ValueError:
                break  # garbage: stop at the last hop we could vouch for
            if not self.is_trusted(candidate):
                return candidate
        return candidate


def _headers(scope: Scope, *names: bytes) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for key, value in scope["headers"]:
        if key in names:
            text = value.decode("latin-1")
            # Repeated headers combine in order, as RFC 9110 lists do.
            found[key] = f"{found[key]},{text}" if key in found else text
    return found


class RequestGuardMiddleware:
    """Resolves the client IP/scheme, fills the request context, adds security headers."""

    def __init__(
        self, app: ASGIApp, *, settings: Settings, extra_script_sources: Sequence[str] = ()
    ) -> None:
        self.app = app
        self.proxies = TrustedProxies(settings.trusted_proxies)
        self.audit_enabled = settings.audit_enabled
        self.headers_plain = security_headers(
            hsts=settings.is_production, extra_script_sources=extra_script_sources
        )
        self.headers_https = security_headers(hsts=True, extra_script_sources=extra_script_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = _headers(scope, b"x-forwarded-for", b"x-forwarded-proto", b"user-agent")
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        ip = peer
        if self.proxies and self.proxies.is_trusted(peer):
            ip = self.proxies.resolve(peer, wanted.get(b"x-forwarded-for"))
            proto = wanted.get(b"x-forwarded-proto", "").rsplit(",", 1)[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
            if ip != peer:
                # Downstream code (request.client, logs) sees the real client.
                scope["client"] = (ip, 0)
        scope.setdefault("state", {})["client_ip"] = ip
        extra = self.headers_https if scope.get("scheme") == "https" else self.headers_plain

        previous = get_context()
        set_context(
            RequestContext(
                request_id=scope["state"].get("request_id"),
                ip=ip,
                user_agent=wanted.get(b"user-agent"),
            )
        )
        audit_before = audit.is_enabled()
        audit.set_enabled(self.audit_enabled)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            set_context(previous)
            audit.set_enabled(audit_before)


# --- hosts and body size -----------------------------------------------------------------------


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
        problem = Problem(
            type="https://pintarekspor.id/problems/invalid_host",
            title="Bad Request",
            status=400,
            detail="The Host header names a host this service does not answer for.",
            instance=scope["path"],
            code="invalid_host",
        )
        response = JSONResponse(
            problem.model_dump(exclude_none=True), status_code=400, media_type=PROBLEM_JSON
        )
        await response(scope, receive, send)


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
        declared = _headers(scope, b"content-length").get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self._reject(scope, send, limit)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestBodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestBodyTooLarge:
            # Normally the app's handler has already answered 413; this covers the rest.
            if started:
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


# --- local Swagger UI ---------------------------------------------------------------------------


def inline_script_hashes(html: str) -> list[str]:
    """CSP `'sha256-…'` sources for the inline `<script>` blocks of a page (not `src=` ones)."""
    scripts = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
        if "src=" not in attrs and body.strip()
    ]
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    ]


def _page(response: HTMLResponse) -> tuple[bytes, str]:
    """The page body and a CSP allowing exactly its inline bootstrap script."""
    body = bytes(response.body)
    return body, build_csp(inline_script_hashes(body.decode()))


def install_docs(app: FastAPI) -> bool:
    """Serve Swagger UI at /docs from the `swagger-ui-bundle` package: no CDN, no internet."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - the package is a declared dependency
        log.warning("swagger_ui_unavailable", reason="swagger-ui-bundle is not installed")
        return False
    app.mount(DOCS_ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} - API docs"
    docs_body, docs_csp = _page(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_PATH}/favicon-32x32.png",
            oauth2_redirect_url=DOCS_OAUTH2_REDIRECT_PATH,
            # The default validator badge is an image from a third-party site.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )
    )
    redirect_body, redirect_csp = _page(get_swagger_ui_oauth2_redirect_html())

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(docs_body, headers={"content-security-policy": docs_csp})

    @app.get(DOCS_OAUTH2_REDIRECT_PATH, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return HTMLResponse(redirect_body, headers={"content-security-policy": redirect_csp})

    return True


# --- wiring -------------------------------------------------------------------------------------


def cors_options(origins: Sequence[str]) -> dict[str, Any]:
    """CORSMiddleware options: explicit origins; credentials only without a wildcard."""
    return {
        "allow_origins": list(origins),
        "allow_credentials": "*" not in origins,
        "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        "allow_headers": [
            "Authorization",
            "Content-Type",
            "Accept",
            "Accept-Language",
            "X-API-Key",
            "X-Request-ID",
        ],
        "expose_headers": [
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "RateLimit-Policy",
            "Retry-After",
            "X-Request-ID",
        ],
        "max_age": 600,
    }


def install_guardrails(app: FastAPI, settings: Settings) -> None:
    """Add the guardrail middleware (see the module docstring for the order) and /docs.

    Call before `RequestContextMiddleware` is added, so the request id exists first.
    """
    from pintar_ekspor.core.ratelimit import RateLimitMiddleware

    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=settings.max_body_bytes,
        overrides=[
            *((prefix, settings.analytics_max_upload_bytes) for prefix in UPLOAD_PREFIXES),
            (MEDIA_UPLOAD_PATH, settings.media_max_upload_bytes),
        ],
    )
    if settings.rate_limit_enabled:
        app.add_middleware(RateLimitMiddleware, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, **cors_options(settings.cors_origins))
    hosts = [h for h in settings.allowed_hosts if h.strip()]
    if hosts and "*" not in hosts:
        app.add_middleware(HostGuardMiddleware, allowed_hosts=hosts)
    elif settings.is_production:
        log.warning("allowed_hosts_unrestricted", hint="set ALLOWED_HOSTS in production")
    app.add_middleware(
        RequestGuardMiddleware,
        settings=settings,
        extra_script_sources=_frontend_script_hashes(settings.frontend_dist),
    )
    if settings.serve_docs:
        install_docs(app)


def _frontend_script_hashes(dist: Path) -> list[str]:
    # An inline script in the built index.html (a theme bootstrap, say) is allowed by its
    # hash, computed from the build being served, instead of opening 'unsafe-inline'.
    index = dist / "index.html"
    try:
        return inline_script_hashes(index.read_text(encoding="utf-8"))
    except OSError:
        return []
