"""Serving without a proxy in front (embedded `make run`, Railway): compression, /metrics
access and the conventional `/openapi.json` address.

Behind nginx the proxy compresses too; a response that already carries `Content-Encoding`
(the pre-compressed web app assets, say) is passed through untouched by both.
"""

from __future__ import annotations

import hmac
import ipaddress
import zlib
from collections import OrderedDict
from collections.abc import Iterable

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import PermissionDeniedError
from pintar_ekspor.core.metrics import Metrics

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/xml",
    "image/svg+xml",
    "application/manifest+json",
)
NOT_COMPRESSED_STATUSES = frozenset({204, 206, 304})
MIN_COMPRESS_BYTES = 1024
BUFFER_LIMIT = 4 * 1024 * 1024  # larger (streamed) bodies are compressed chunk by chunk
CACHE_MAX_BYTES = 32 * 1024 * 1024


def accepts_gzip(scope: Scope) -> bool:
    """Whether the client's Accept-Encoding allows gzip (a `q=0` refuses it)."""
    header = Headers(scope=scope).get("accept-encoding", "")
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class CompressedCache:
    """Gzipped bodies of static files keyed by (path, ETag): compressed once, at level 9."""

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, key: tuple[str, str]) -> bytes | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: tuple[str, str], value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        self.items[key] = value
        self.size += len(value)
        while self.size > self.max_bytes:
            _, dropped = self.items.popitem(last=False)
            self.size -= len(dropped)


def gzip_bytes(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: gzip container
    return compressor.compress(data) + compressor.flush()


class CompressionMiddleware:
    """gzip for text responses of at least `minimum_size` bytes the client accepts gzip for.

    Dynamic bodies use a fast level; static files (responses with an ETag) are compressed
    once at the best level and served from a small in-memory cache afterwards.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        minimum_size: int = MIN_COMPRESS_BYTES,
        level: int = 5,
        cache: CompressedCache | None = None,
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level
        self.cache = cache or CompressedCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD" or not accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        responder = _GzipResponder(self, scope["path"], send)
        await self.app(scope, receive, responder.send)


class _GzipResponder:
    def __init__(self, owner: CompressionMiddleware, path: str, send: Send) -> None:
        self.owner = owner
        self.path = path
        self.downstream = send
        self.start: Message | None = None
        self.passthrough = False
        self.buffer = bytearray()
        self.stream: zlib._Compress | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            self.passthrough = not self._eligible(message)
            if self.passthrough:
                await self.downstream(message)
            return
        if self.passthrough:
            await self.downstream(message)
            return
        if message["type"] != "http.response.body":  # e.g. pathsend: not ours to compress
            self.passthrough = True
            if self.start is not None:
                await self.downstream(self.start)
            await self.downstream(message)
            return
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        if self.stream is not None:
            await self._send_chunk(body, more)
            return
        self.buffer += body
        if not more:
            await self._send_whole(bytes(self.buffer))
        elif len(self.buffer) > BUFFER_LIMIT:
            await self._begin_stream()

    def _eligible(self, message: Message) -> bool:
        headers = Headers(raw=message.get("headers", []))
        if message["status"] in NOT_COMPRESSED_STATUSES or "content-encoding" in headers:
            return False
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return media in COMPRESSIBLE_TYPES

    def _headers(self, length: int | None) -> MutableHeaders:
        assert self.start is not None
        headers = MutableHeaders(raw=list(self.start.get("headers", [])))
        headers["content-encoding"] = "gzip"
        headers.add_vary_header("Accept-Encoding")
        etag = headers.get("etag")
        if etag and not etag.startswith("W/"):
            headers["etag"] = "W/" + etag  # another representation of the same resource
        if length is None:
            del headers["content-length"]
        else:
            headers["content-length"] = str(length)
        return headers

    async def _send_whole(self, body: bytes) -> None:
        assert self.start is not None
        if len(body) < self.owner.minimum_size:
            await self.downstream(self.start)
            await self.downstream({"type": "http.response.body", "body": body})
            return
        etag = Headers(raw=self.start.get("headers", [])).get("etag")
        compressed: bytes | None = None
        if etag:
            key = (self.path, etag)
            compressed = self.owner.cache.get(key)
            if compressed is None:
                compressed = gzip_bytes(body, 9)
                self.owner.cache.put(key, compressed)
        else:
            compressed = gzip_bytes(body, self.owner.level)
        headers = self._headers(len(compressed))
        await self.downstream({**self.start, "headers": headers.raw})
        await self.downstream({"type": "http.response.body", "body": compressed})

    async def _begin_stream(self) -> None:
        assert self.start is not None
        self.stream = zlib.compressobj(self.owner.level, zlib.DEFLATED, 31)
        await self.downstream({**self.start, "headers": self._headers(None).raw})
        pending, self.buffer = bytes(self.buffer), bytearray()
        await self._send_chunk(pending, True)

    async def _send_chunk(self, body: bytes, more: bool) -> None:
        assert self.stream is not None
        data = self.stream.compress(body)
        if not more:
            data += self.stream.flush()
        if data or not more:
            await self.downstream({"type": "http.response.body", "body": data, "more_body": more})


# --- /metrics -------------------------------------------------------------------------------


class MetricsAccess:
    """Who may read /metrics: a client on an allowed network, or one with the bearer token."""

    def __init__(self, allowed: Iterable[str], token: str | None) -> None:
        self.networks = [ipaddress.ip_network(n.strip(), strict=False) for n in allowed if n]
        self.token = token.encode() if token else None

    def permits(self, request: Request) -> bool:
        if self.token is not None:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), self.token):
                return True
        # The address behind trusted proxies (RequestGuardMiddleware), else the peer.
        ip = getattr(request.state, "client_ip", None) or (
            request.client.host if request.client else ""
        )
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def install_metrics_endpoint(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    access = MetricsAccess(settings.metrics_allow, token)

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics(request: Request) -> Response:
        if not access.permits(request):
            raise PermissionDeniedError(
                "Metrics are only served to the monitoring network (METRICS_ALLOW) "
                "or with the metrics bearer token (METRICS_TOKEN).",
                code="metrics_forbidden",
            )
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


def install_spec_redirect(app: FastAPI) -> None:
    """`/openapi.json` (where tools look first) redirects to the versioned spec."""
    spec = app.openapi_url
    if not spec or spec == "/openapi.json":
        return

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_redirect() -> RedirectResponse:
        return RedirectResponse(spec, status_code=308)


def install_delivery_routes(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """/metrics (guarded) and the /openapi.json redirect; call before the SPA catch-all."""
    install_metrics_endpoint(app, settings, metrics)
    install_spec_redirect(app)


def install_compression(app: FastAPI, settings: Settings) -> None:
    """gzip responses the app sends itself; call after the other middleware (outermost)."""
    if settings.compression_enabled:
        app.add_middleware(CompressionMiddleware, minimum_size=settings.compression_min_bytes)
