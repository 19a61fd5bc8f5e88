"""Fixtures of the email outbox tests: committed sessions, a manual clock, workers, servers."""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from outbox_fakes import FakeEmailApi, SmtpSink, free_port, serve_email_api
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_session_factory
from pintar_ekspor.core.metrics import Metrics
from pintar_ekspor.notifications.backends import EmailBackend
from pintar_ekspor.notifications.models import EmailOutbox
from pintar_ekspor.notifications.worker import EmailWorker


@pytest.fixture
async def committed(
    engine: AsyncEngine, settings: Settings
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions that really commit (the worker needs separate transactions); rows removed."""
    factory = create_session_factory(engine, settings)
    try:
        yield factory
    finally:
        async with factory() as session, session.begin():
            await session.execute(delete(EmailOutbox))
            await session.execute(delete(User).where(User.email.like("%@outbox.test")))


@pytest.fixture
def clock() -> ManualClock:
    # Ahead of the wall clock, so rows enqueued during the test (stamped with real time)
    # are already due however long the test takes to get there.
    return ManualClock(start=time.time() + 600)


@pytest.fixture
def make_worker(
    committed: async_sessionmaker[AsyncSession], settings: Settings, clock: ManualClock
) -> Callable[..., EmailWorker]:
    def _make(
        backend: EmailBackend,
        *,
        factory: async_sessionmaker[AsyncSession] | None = None,
        **overrides: Any,
    ) -> EmailWorker:
        batch_size = overrides.pop("batch_size", 20)
        worker_settings = settings.model_copy(update=overrides)
        return EmailWorker(
            factory or committed,
            worker_settings,
            backend=backend,
            clock=clock,
            metrics=Metrics(),
            batch_size=batch_size,
            rng=random.Random(1234),
        )

    return _make


@pytest.fixture
def smtp_server() -> Iterator[tuple[SmtpSink, int]]:
    """A real aiosmtpd SMTP server on 127.0.0.1 (own thread), yielding (sink, port)."""
    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture
async def email_api() -> AsyncIterator[FakeEmailApi]:
    """The fake HTTP email API served by uvicorn on 127.0.0.1."""
    async with serve_email_api(FakeEmailApi()) as api:
        yield api
