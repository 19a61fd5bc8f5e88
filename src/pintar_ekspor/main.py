"""Application factory."""

from __future__ import annotations

import gc
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import structlog
from fastapi import FastAPI

from pintar_ekspor import __version__
from pintar_ekspor.accounts.usage import ApiUsageMiddleware, UsageBuffer, usage_flusher
from pintar_ekspor.analytics.jobs import analytics_lifecycle
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.api import mount_api
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings, get_settings
from pintar_ekspor.core.content_cache import ContentCache
from pintar_ekspor.core.db import create_engine, create_session_factory, read_only_engine
from pintar_ekspor.core.delivery import install_compression, install_delivery_routes
from pintar_ekspor.core.errors import Problem, install_error_handlers
from pintar_ekspor.core.guardrails import install_guardrails
from pintar_ekspor.core.logging import configure_logging, write_logs_synchronously
from pintar_ekspor.core.metrics import Metrics
from pintar_ekspor.core.middleware import RequestContextMiddleware
from pintar_ekspor.core.ratelimit import RateLimiter
from pintar_ekspor.courses import media_router
from pintar_ekspor.frontend import mount_frontend
from pintar_ekspor.health import router as health_router
from pintar_ekspor.notifications.worker import email_worker_starter

log = structlog.get_logger("pintar_ekspor")
SHARED_CACHE_TTL_SECONDS = 60.0
UNSHARED_CACHE_TTL_SECONDS = 5.0

OPENAPI_TAGS = [
    {"name": "health", "description": "Liveness and readiness"},
    {"name": "auth", "description": "Registration, login, token refresh and logout"},
    {"name": "users", "description": "The signed-in user's profile"},
    {"name": "developer", "description": "Developer upgrade and API keys"},
    {"name": "courses", "description": "Course catalogue and outlines"},
    {"name": "learning", "description": "Enrolment, lessons, quizzes and progress"},
    {"name": "analytics", "description": "Time-series analytics of trade figures"},
    {
        "name": "reports",
        "description": "Learning reports: progress, engagement, completion and drop-off",
    },
    {"name": "admin", "description": "User, course, email and audit administration"},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine, settings)
    app.state.read_session_factory = create_session_factory(read_only_engine(engine), settings)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        if settings.redis_url:
            from redis.asyncio import Redis

            app.state.redis = Redis.from_url(
                settings.redis_url, socket_timeout=2, socket_connect_timeout=2
            )
            stack.push_async_callback(app.state.redis.aclose)
            # Catalogue and course pages: one generation and shared entries for all workers.
            app.state.content_cache = ContentCache(
                redis=app.state.redis,
                prefix=f"{settings.rate_limit_key_prefix}:content",
                ttl_seconds=SHARED_CACHE_TTL_SECONDS,
            )
        if app.state.rate_limiter is not None:
            stack.push_async_callback(app.state.rate_limiter.aclose)
        if settings.should_auto_migrate:
            from pintar_ekspor.migrations.runner import upgrade_async

            await upgrade_async(engine)
        for starter in app.state.background_starters:
            await stack.enter_async_context(starter(app))
        if settings.is_production and "*" in settings.allowed_hosts:
            log.warning(
                "allowed_hosts_unrestricted",
                hint="set ALLOWED_HOSTS to your host names so the Host header is checked",
            )
        if settings.env != "test":
            settle_garbage_collector()
        log.info(
            "startup",
            version=__version__,
            env=settings.env,
            database=engine.url.get_backend_name(),
            ui=app.state.ui_available,
        )
        yield
    log.info("shutdown")
    write_logs_synchronously()


def settle_garbage_collector() -> None:
    """Move everything the startup built (modules, routes, models, pools: ~190 000 objects)
    out of the garbage collector's sight.

    A full collection walks every tracked object: with the startup's objects in the oldest
    generation that took 60-200 ms, a pause that fell on whichever requests were in flight
    (the p99 of the cached catalogue). Frozen objects are never scanned; what requests
    allocate later is collected as before. Not in tests, which build many apps in one
    process and must get their garbage back.
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI app. Nothing connects until the lifespan starts."""
    settings = settings or get_settings()
    settings.check_production_safety()
    configure_logging(level=settings.log_level, json_logs=settings.use_json_logs)

    app = FastAPI(
        title="Pintar Ekspor API",
        version=__version__,
        description=(
            "Export-trade learning platform: courses for Indonesian exporters, a developer API "
            "with time-series analytics of trade figures, and administration. Authenticate "
            "with `Authorization: Bearer <jwt>` (people) or `Authorization: ApiKey <key>` / "
            "`X-API-Key: <key>` (programs). Errors are RFC 9457 `application/problem+json`. "
            "The OpenAPI document: [/api/v1/openapi.json](/api/v1/openapi.json) "
            "(also at [/openapi.json](/openapi.json), which redirects there)."
        ),
        openapi_url="/api/v1/openapi.json" if settings.serve_docs else None,
        docs_url=None,  # served from local assets by install_guardrails (no CDN)
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
        responses={422: {"model": Problem, "description": "Validation failed"}},
    )
    app.state.settings = settings
    app.state.started_monotonic = time.monotonic()
    app.state.clock = Clock()  # tests replace it with a ManualClock
    metrics = Metrics()
    app.state.metrics = metrics
    app.state.redis = None  # set in the lifespan when REDIS_URL is configured
    # Exact within a process; shared through Redis (and exact across workers) once the
    # lifespan connects it. Without Redis, other workers of a PostgreSQL deployment learn of
    # a change only when their entries expire: keep that window short there.
    app.state.content_cache = ContentCache(
        ttl_seconds=SHARED_CACHE_TTL_SECONDS if settings.is_sqlite else UNSHARED_CACHE_TTL_SECONDS
    )
    app.state.rate_limiter = None
    if settings.rate_limit_enabled:
        app.state.rate_limiter = RateLimiter.from_settings(settings, metrics=metrics)
    # Async context-manager factories taking the app (email worker, job runner, ...).
    app.state.background_starters = []
    app.state.analytics_runner = AnalyticsRunner(
        workers=settings.analytics_workers, timeout=settings.analytics_timeout_seconds
    )
    app.state.background_starters.append(analytics_lifecycle)
    # API calls per key: counted in memory, flushed in batches (reports' platform figures).
    app.state.usage_buffer = UsageBuffer()
    app.state.background_starters.append(usage_flusher)
    if settings.email_worker_enabled:
        app.state.background_starters.append(email_worker_starter)

    install_error_handlers(app)
    app.include_router(health_router)
    mount_api(app)
    app.include_router(media_router.public)  # /media/{name}: outside the rate-limited API

    install_delivery_routes(app, settings, metrics)

    install_guardrails(app, settings)
    app.add_middleware(ApiUsageMiddleware, buffer=app.state.usage_buffer)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    install_compression(app, settings)
    app.state.ui_available = mount_frontend(app, settings.frontend_dist)
    return app
