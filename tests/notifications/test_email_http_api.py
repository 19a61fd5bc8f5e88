"""HTTP email API backend against a real local server (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from outbox_fakes import FakeEmailApi, free_port, http_settings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.backends import (
    DeliveryError,
    HttpApiBackend,
    OutgoingEmail,
    build_backend,
)
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email

API_KEY = "pe_live_http01.abcdefghijklmnopqrstuvwxyz012345"


async def _enqueue(factory: async_sessionmaker[AsyncSession], n: int) -> None:
    async with factory() as session, session.begin():
        for i in range(n):
            await enqueue_email(
                session,
                to=f"dev{i}@outbox.test",
                template="api_key_created",
                locale="id" if i % 2 else "en",
                context={"key_prefix": "pe_live_http01", "key_name": f"key {i}"},
                secret_context={"api_key": f"{API_KEY}{i}"},
                now=utcnow(),
            )


async def _rows(factory: async_sessionmaker[AsyncSession]) -> list[EmailOutbox]:
    async with factory() as session:
        return list((await session.scalars(select(EmailOutbox))).all())


async def test_token_is_fetched_once_for_several_emails(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
) -> None:
    await _enqueue(committed, 5)
    backend = HttpApiBackend(http_settings(settings, email_api), clock=clock)
    try:
        worker = make_worker(backend, batch_size=2)  # several passes, several requests
        result = await worker.run_until_idle()
    finally:
        await backend.aclose()
    assert result.sent == 5
    assert email_api.token_requests == 1
    assert backend.token_fetches == 1
    assert len(email_api.delivered) == 5
    first = next(d for d in email_api.delivered if d["to"] == "dev0@outbox.test")
    assert first["subject"] == "New API key created"
    assert f"{API_KEY}0" in first["text"]
    assert f"{API_KEY}0" in first["html"]
    second = next(d for d in email_api.delivered if d["to"] == "dev1@outbox.test")
    assert second["subject"] == "Kunci API baru dibuat"
    assert {r.status for r in await _rows(committed)} == {EmailStatus.SENT}


async def test_token_is_renewed_shortly_before_it_expires(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
) -> None:
    email_api.expires_in = 600
    backend = HttpApiBackend(http_settings(settings, email_api), clock=clock)
    worker = make_worker(backend)
    try:
        await _enqueue(committed, 1)
        await worker.run_until_idle()
        clock.advance(500)  # still valid: reused
        await _enqueue(committed, 1)
        await worker.run_until_idle()
        assert email_api.token_requests == 1
        clock.advance(80)  # within the 30 s safety margin of expiry: renewed first
        await _enqueue(committed, 1)
        await worker.run_until_idle()
    finally:
        await backend.aclose()
    assert email_api.token_requests == 2
    assert len(email_api.delivered) == 3
    assert email_api.send_requests == 3  # no request was wasted on an expired token


async def test_a_401_refreshes_the_token_once_and_delivers(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
) -> None:
    backend = HttpApiBackend(http_settings(settings, email_api), clock=clock)
    worker = make_worker(backend)
    try:
        await _enqueue(committed, 1)
        await worker.run_until_idle()
        email_api.revoke_all()  # the provider forgets our token before it says it expires
        await _enqueue(committed, 2)
        result = await worker.run_until_idle()
    finally:
        await backend.aclose()
    assert result.sent == 2
    assert email_api.token_requests == 2
    assert len(email_api.delivered) == 3
    assert sorted(email_api.per_key.values()) == [1, 1, 1]
    assert {r.status for r in await _rows(committed)} == {EmailStatus.SENT}


async def test_a_503_then_success_delivers_exactly_one_email(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
) -> None:
    email_api.scripted = [503]
    await _enqueue(committed, 1)
    backend = HttpApiBackend(http_settings(settings, email_api), clock=clock)
    worker = make_worker(backend)
    try:
        first = await worker.run_until_idle()
        assert first.retried == 1
        (row,) = await _rows(committed)
        assert row.status == EmailStatus.PENDING
        assert row.last_error is not None
        assert "503" in row.last_error
        assert email_api.delivered == []

        clock.advance(3600)
        second = await worker.run_until_idle()
        assert second.sent == 1
        assert (await worker.run_until_idle()).claimed == 0
    finally:
        await backend.aclose()
    assert len(email_api.delivered) == 1
    assert email_api.send_requests == 2
    (row,) = await _rows(committed)
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)


@pytest.mark.parametrize("status", [400, 403, 404, 422])
async def test_other_4xx_answers_are_permanent_failures(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
    status: int,
) -> None:
    email_api.scripted = [status]
    await _enqueue(committed, 1)
    backend = HttpApiBackend(http_settings(settings, email_api), clock=clock)
    try:
        result = await make_worker(backend).run_until_idle()
    finally:
        await backend.aclose()
    assert result.failed == 1
    (row,) = await _rows(committed)
    assert row.status == EmailStatus.FAILED
    assert row.last_error is not None
    assert str(status) in row.last_error


async def test_a_rejected_api_key_is_retried_not_dropped(
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    settings: Settings,
    email_api: FakeEmailApi,
    clock: ManualClock,
) -> None:
    # A wrong EMAIL_API_KEY is a configuration problem: emails wait for it to be fixed.
    configured = http_settings(settings, email_api)
    email_api.api_key = "rotated-on-the-provider-side"
    await _enqueue(committed, 1)
    backend = HttpApiBackend(configured, clock=clock)
    try:
        result = await make_worker(backend).run_until_idle()
    finally:
        await backend.aclose()
    assert result.retried == 1
    (row,) = await _rows(committed)
    assert row.status == EmailStatus.PENDING
    assert row.last_error is not None
    assert "401" in row.last_error


async def test_a_timeout_is_retryable(settings: Settings, email_api: FakeEmailApi) -> None:
    email_api.hold = asyncio.Event()  # the provider never answers send requests
    backend = HttpApiBackend(http_settings(settings, email_api, email_api_timeout_seconds=0.2))
    email = OutgoingEmail(
        outbox_id=uuid.uuid4(),
        sender="x@example.com",
        to="y@example.com",
        subject="s",
        text="t",
        html="<p>h</p>",
    )
    try:
        with pytest.raises(DeliveryError) as info:
            await backend.send(email)
    finally:
        email_api.hold.set()
        await backend.aclose()
    assert info.value.permanent is False
    assert "Timeout" in str(info.value)


async def test_an_unreachable_api_is_retryable(settings: Settings) -> None:
    api = FakeEmailApi(base_url=f"http://127.0.0.1:{free_port()}")
    backend = HttpApiBackend(http_settings(settings, api))
    email = OutgoingEmail(
        outbox_id=uuid.uuid4(),
        sender="x@example.com",
        to="y@example.com",
        subject="s",
        text="t",
        html="<p>h</p>",
    )
    try:
        with pytest.raises(DeliveryError) as info:
            await backend.send(email)
    finally:
        await backend.aclose()
    assert info.value.permanent is False


def test_backend_is_chosen_by_setting(settings: Settings, tmp_path: Any) -> None:
    from pydantic import SecretStr

    assert build_backend(settings).name == "console"
    assert build_backend(settings.model_copy(update={"email_backend": "smtp"})).name == "smtp"
    http = settings.model_copy(
        update={
            "email_backend": "http",
            "email_api_base_url": "http://127.0.0.1:9",
            "email_api_key": SecretStr("k"),
        }
    )
    assert build_backend(http).name == "http"
    with pytest.raises(ValueError, match="EMAIL_API_BASE_URL"):
        build_backend(settings.model_copy(update={"email_backend": "http"}))
