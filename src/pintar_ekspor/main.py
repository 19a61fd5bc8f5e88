"""Application factory."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pintar_ekspor import __version__
from pintar_ekspor.analytics.jobs import analytics_lifecycle
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.api import build_api_router
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings, get_settings
from pintar_ekspor.core.db import create_engine, create_session_factory
from pintar_ekspor.core.errors import Problem, install_error_handlers
from pintar_ekspor.core.logging import configure_logging
from pintar_ekspor.core.metrics import Metrics
from pintar_ekspor.core.middleware import RequestContextMiddleware
from pintar_ekspor.core.ratelimit import RateLimiter
from pintar_ekspor.core.security import install_guardrails
from pintar_ekspor.courses import media_router
from pintar_ekspor.frontend import mount_frontend
from pintar_ekspor.health import router as health_router
from pintar_ekspor.notifications.worker import email_worker_starter

log = structlog.get_logger("pintar_ekspor")

OPENAPI_TAGS = [
    {"name": "health", "description": "Liveness and readiness"},
    {"name": "auth", "description": "Registration, login, token refresh and logout"},
    {"name": "users", "description": "The signed-in user's profile"},
    {"name": "developer", "description": "Developer upgrade and API keys"},
    {"name": "courses", "description": "Course catalogue and outlines"},
    {"name": "learning", "description": "Enrolment, lessons, quizzes and progress"},
    {"name": "analytics", "description": "Time-series analytics of trade figures"},
    {"name": "admin", "description": "User, course, email and audit administration"},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine, settings)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        if settings.redis_url:
            from redis.asyncio import Redis

            app.state.redis = Redis.from_url(
                settings.redis_url, socket_timeout=2, socket_connect_timeout=2
            )
            stack.push_async_callback(app.state.redis.aclose)
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
        log.info(
            "startup",
            version=__version__,
            env=settings.env,
            database=engine.url.get_backend_name(),
            ui=app.state.ui_available,
        )
        yield
    log.info("shutdown")


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
            "`X-API-Key: <key>` (programs). Errors are RFC 9457 `application/problem+json`."
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
    app.state.rate_limiter = None
    if settings.rate_limit_enabled:
        app.state.rate_limiter = RateLimiter.from_settings(settings, metrics=metrics)
    # Async context-manager factories taking the app (email worker, job runner, ...).
    app.state.background_starters = []
    app.state.analytics_runner = AnalyticsRunner(
        workers=settings.analytics_workers, timeout=settings.analytics_timeout_seconds
    )
    app.state.background_starters.append(analytics_lifecycle)
    if settings.email_worker_enabled:
        app.state.background_starters.append(email_worker_starter)

    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(build_api_router())
    app.include_router(media_router.public)  # /media/{name}: outside the rate-limited API

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    install_guardrails(app, settings)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.state.ui_available = mount_frontend(app, settings.frontend_dist)
    return app
