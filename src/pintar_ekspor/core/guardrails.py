"""The guardrail middleware in order, and /docs: the wiring of `core.security`,
`core.guards` and `core.ratelimit` into the app. Outermost first:

    RequestContextMiddleware (request id, access log, metrics; core.middleware)
    RequestGuardMiddleware   (client IP behind trusted proxies, request context, headers)
    HostGuardMiddleware      (Host allow-list, when ALLOWED_HOSTS is restricted)
    CORSMiddleware           (when CORS_ORIGINS lists origins)
    RateLimitMiddleware      (core.ratelimit, when RATE_LIMIT_ENABLED)
    BodySizeLimitMiddleware  (413 above MAX_BODY_BYTES, larger on upload routes)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.docs import install_docs
from pintar_ekspor.core.guards import BodySizeLimitMiddleware, HostGuardMiddleware
from pintar_ekspor.core.ratelimit import RateLimitMiddleware
from pintar_ekspor.core.security import RequestGuardMiddleware, inline_script_hashes

log = structlog.get_logger("pintar_ekspor.security")

UPLOAD_PREFIXES = ("/api/v1/analytics/",)
MEDIA_UPLOAD_PATH = "/api/v1/admin/media"


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


# Room above an upload limit for what a multipart body adds around the file (boundaries,
# part headers, small form fields), so a file just under the limit is never refused for its
# envelope.
MULTIPART_ENVELOPE_BYTES = 64 * 1024


def install_guardrails(app: FastAPI, settings: Settings) -> None:
    """Add the guardrail middleware (see the module docstring for the order) and /docs.

    Call before `RequestContextMiddleware` is added, so the request id exists first.
    """
    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=settings.max_body_bytes,
        overrides=[
            # Upload routes check the file against their limit themselves (the analytics
            # engine's `file_too_large`, the media store's `payload_too_large`); the body may
            # carry that much file plus the multipart envelope and form fields.
            *(
                (prefix, settings.analytics_max_upload_bytes + MULTIPART_ENVELOPE_BYTES)
                for prefix in UPLOAD_PREFIXES
            ),
            (MEDIA_UPLOAD_PATH, settings.media_max_upload_bytes + MULTIPART_ENVELOPE_BYTES),
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
