"""Security headers and the request guard: who the client is, what every answer carries.

`RequestGuardMiddleware` resolves the client IP and scheme behind trusted proxies, fills the
request context (`core.context`: client, user agent, the audit switch) and adds the security
headers (CSP, HSTS, ...) to every response. It is pure ASGI, a few attribute look-ups and
header appends per request. `core.guardrails` puts it in the middleware stack.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.context import (
    RequestContext,
    get_context,
    is_audit_enabled,
    set_audit_enabled,
    set_context,
)

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


def header_values(scope: Scope, *names: bytes) -> dict[bytes, str]:
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
        wanted = header_values(scope, b"x-forwarded-for", b"x-forwarded-proto", b"user-agent")
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
        audit_before = is_audit_enabled()
        set_audit_enabled(self.audit_enabled)

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
            set_audit_enabled(audit_before)
