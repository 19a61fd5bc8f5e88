"""The outbox in a running system: app requests, the lifespan worker, the CLI worker.

Polling loops below wait for an outcome with a generous deadline; nothing asserts on timing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2
from asgi_lifespan import LifespanManager
from outbox_fakes import FailingBackend, FakeEmailApi, free_port, http_settings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.core.deps import DbSession
from pintar_ekspor.core.errors import ConflictError
from pintar_ekspor.main import create_app
from pintar_ekspor.notifications.backends import HttpApiBackend
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email
from pintar_ekspor.notifications.worker import email_worker_starter


async def _eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition never became true"
        await asyncio.sleep(0.05)


async def _rows(factory: async_sessionmaker[AsyncSession]) -> list[EmailOutbox]:
    async with factory() as session:
        return list((await session.scalars(select(EmailOutbox))).all())


def _add_signup_routes(app: Any) -> None:
    """Stand-ins for domain routes that send an email as part of their change."""

    @app.post("/_test/signup", status_code=201)  # type: ignore[untyped-decorator]
    async def signup(session: DbSession) -> dict[str, str]:
        row = await enqueue_email(
            session,
            to="new@outbox.test",
            template="welcome",
            locale="en",
            context={},
            now=utcnow(),
        )
        return {"email_id": str(row.id)}

    @app.post("/_test/signup-conflict")  # type: ignore[untyped-decorator]
    async def signup_conflict(session: DbSession) -> dict[str, str]:
        await enqueue_email(
            session,
            to="dup@outbox.test",
            template="welcome",
            locale="en",
            context={},
            now=utcnow(),
        )
        raise ConflictError("That email address is taken.", code="email_taken")


async def test_a_failing_backend_never_turns_the_request_into_an_error(
    committed_app: Any,
    committed_client: httpx2.AsyncClient,
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
) -> None:
    _add_signup_routes(committed_app)
    resp = await committed_client.post("/_test/signup")
    assert resp.status_code == 201

    backend = FailingBackend("provider is down")
    result = await make_worker(backend).run_until_idle()
    assert (result.claimed, result.retried) == (1, 1)
    (row,) = await _rows(committed)
    assert str(row.id) == resp.json()["email_id"]
    assert row.status == EmailStatus.PENDING  # kept for a later attempt, never lost
    assert row.last_error == "provider is down"


async def test_a_request_that_fails_sends_nothing(
    committed_app: Any,
    committed_client: httpx2.AsyncClient,
    committed: async_sessionmaker[AsyncSession],
) -> None:
    _add_signup_routes(committed_app)
    resp = await committed_client.post("/_test/signup-conflict")
    assert resp.status_code == 409
    assert await _rows(committed) == []


async def test_lifespan_worker_delivers_to_the_console_outbox(
    settings: Settings, committed: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    outbox_dir = tmp_path / "outbox-console"
    app_settings = settings.model_copy(
        update={
            "email_worker_enabled": True,
            "email_worker_poll_seconds": 0.05,
            "email_outbox_dir": outbox_dir,
        }
    )
    app = create_app(app_settings)
    assert email_worker_starter in app.state.background_starters
    app.state.background_starters = [email_worker_starter]  # only the part under test
    _add_signup_routes(app)
    async with LifespanManager(app) as manager:
        transport = httpx2.ASGITransport(app=manager.app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://t") as client:
            resp = await client.post("/_test/signup")
        assert resp.status_code == 201
        email_id = resp.json()["email_id"]
        eml = outbox_dir / f"{email_id}.eml"

        async def delivered() -> bool:
            return eml.exists()

        await _eventually(delivered)
    content = eml.read_text()
    assert "Subject: Welcome to Pintar Ekspor" in content
    assert "To: new@outbox.test" in content
    assert oct(eml.stat().st_mode & 0o777) == "0o600"
    (row,) = await _rows(committed)
    assert row.status == EmailStatus.SENT
    metrics = app.state.metrics.emails.labels("sent")._value.get()
    assert metrics == 1


async def test_lifespan_worker_survives_an_unreachable_provider(
    settings: Settings, committed: async_sessionmaker[AsyncSession]
) -> None:
    from pydantic import SecretStr

    app_settings = settings.model_copy(
        update={
            "email_worker_enabled": True,
            "email_worker_poll_seconds": 0.05,
            "email_backend": "http",
            "email_api_base_url": f"http://127.0.0.1:{free_port()}",
            "email_api_key": SecretStr("k"),
        }
    )
    app = create_app(app_settings)
    app.state.background_starters = [email_worker_starter]
    _add_signup_routes(app)
    async with LifespanManager(app) as manager:
        transport = httpx2.ASGITransport(app=manager.app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.post("/_test/signup")).status_code == 201

            async def attempted() -> bool:
                rows = await _rows(committed)
                return bool(rows) and rows[0].attempts >= 1 and rows[0].last_error is not None

            await _eventually(attempted)
            # The app keeps serving while its emails wait for the provider.
            assert (await client.post("/_test/signup")).status_code == 201
    rows = await _rows(committed)
    assert {r.status for r in rows} <= {EmailStatus.PENDING, EmailStatus.SENDING}


async def test_cli_worker_runs_alone_until_interrupted(
    settings: Settings,
    committed: async_sessionmaker[AsyncSession],
    database_url: str,
    tmp_path: Path,
) -> None:
    async with committed() as session, session.begin():
        row = await enqueue_email(
            session,
            to="cli@outbox.test",
            template="api_key_rotated",
            locale="id",
            context={"key_name": "CI"},
            secret_context={"api_key": "pe_live_cli.rotated-secret"},
            now=utcnow(),
        )
    outbox_dir = tmp_path / "cli-outbox"
    env = {
        **os.environ,
        "ENV": "test",
        "DATABASE_URL": database_url,
        "AUTO_MIGRATE": "false",
        "DATA_ENCRYPTION_KEY": settings.data_encryption_key.get_secret_value(),
        "EMAIL_BACKEND": "console",
        "EMAIL_OUTBOX_DIR": str(outbox_dir),
        "EMAIL_WORKER_POLL_SECONDS": "0.1",
        "LOG_LEVEL": "WARNING",
    }
    proc = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("pintar-ekspor")),
        "worker",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    eml = outbox_dir / f"{row.id}.eml"
    try:

        async def delivered() -> bool:
            return eml.exists() or proc.returncode is not None

        await _eventually(delivered, seconds=30)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert b"email worker running" in out
    assert "Subject: Kunci API Anda telah diganti" in eml.read_text()
    (stored,) = await _rows(committed)
    assert stored.status == EmailStatus.SENT
    assert stored.secret_ciphertext is None


async def test_a_worker_process_killed_mid_send_is_taken_over_after_the_lease(
    settings: Settings,
    committed: async_sessionmaker[AsyncSession],
    make_worker: Any,
    database_url: str,
    email_api: FakeEmailApi,
    tmp_path: Path,
) -> None:
    async with committed() as session, session.begin():
        row = await enqueue_email(
            session,
            to="victim@outbox.test",
            template="developer_upgrade",
            locale="en",
            context={"full_name": "Kill Test", "key_prefix": "pe_live_kill"},
            secret_context={"api_key": "pe_live_kill.the-secret"},
            now=utcnow(),
        )
    email_api.hold = asyncio.Event()  # the send request hangs: the worker is mid-send
    email_api.drop_held = True
    env = {
        **os.environ,
        "ENV": "test",
        "DATABASE_URL": database_url,
        "AUTO_MIGRATE": "false",
        "DATA_ENCRYPTION_KEY": settings.data_encryption_key.get_secret_value(),
        "EMAIL_BACKEND": "http",
        "EMAIL_API_BASE_URL": email_api.base_url,
        "EMAIL_API_KEY": email_api.api_key,
        "EMAIL_LEASE_SECONDS": "60",
        "EMAIL_WORKER_POLL_SECONDS": "0.1",
        "LOG_LEVEL": "WARNING",
    }
    proc = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("pintar-ekspor")),
        "worker",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:

        async def sending() -> bool:
            return email_api.send_requests == 1 or proc.returncode is not None

        await _eventually(sending, seconds=30)
    finally:
        proc.kill()  # SIGKILL: no cleanup, no chance to mark anything
        await proc.wait()
    email_api.hold.set()
    email_api.hold = None

    (stored,) = await _rows(committed)
    assert (stored.status, stored.attempts) == (EmailStatus.SENDING, 1)
    assert email_api.delivered == []

    # "Restart": a new worker leaves the row alone while the dead one's lease holds...
    clock = ManualClock()  # wall time: the dead process stamped its lease with it
    worker = make_worker(HttpApiBackend(http_settings(settings, email_api), clock=clock))
    worker.clock = clock
    try:
        assert (await worker.run_once()).claimed == 0
        clock.advance(120)
        # ...then takes it over and delivers it once.
        assert (await worker.run_until_idle()).sent == 1
        assert (await worker.run_until_idle()).claimed == 0
    finally:
        await worker.backend.aclose()
    assert [d["to"] for d in email_api.delivered] == ["victim@outbox.test"]
    assert email_api.per_key[str(row.id)] == 1
    (stored,) = await _rows(committed)
    assert (stored.status, stored.attempts) == (EmailStatus.SENT, 2)
    assert stored.secret_ciphertext is None
