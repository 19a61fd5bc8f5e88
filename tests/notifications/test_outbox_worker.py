"""The delivery worker: claims, retries with backoff, leases, exactly-once in the normal path."""

from __future__ import annotations

from typing import Any

import pytest
from outbox_fakes import FailingBackend, RecordingBackend
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.service import enqueue_email
from pintar_ekspor.notifications.worker import FAILED_SECRET_RETENTION

API_KEY = "pe_live_k1.the-secret-part-0123456789"


async def _enqueue(
    factory: async_sessionmaker[AsyncSession],
    n: int = 1,
    *,
    template: str = "developer_upgrade",
    locale: str = "en",
) -> list[EmailOutbox]:
    rows = []
    async with factory() as session, session.begin():
        for i in range(n):
            secrets = {"api_key": f"{API_KEY}-{i}"} if template == "developer_upgrade" else None
            rows.append(
                await enqueue_email(
                    session,
                    to=f"user{i}@example.com",
                    template=template,
                    locale=locale,
                    context={"full_name": f"User {i}", "key_prefix": "pe_live_k1"},
                    secret_context=secrets,
                    now=utcnow(),
                )
            )
    return rows


async def _rows(factory: async_sessionmaker[AsyncSession]) -> list[EmailOutbox]:
    async with factory() as session:
        return list((await session.scalars(select(EmailOutbox))).all())


def _metric(worker: Any, outcome: str) -> float:
    assert worker.metrics is not None
    value: float = worker.metrics.emails.labels(outcome)._value.get()
    return value


async def test_due_emails_are_sent_once_and_their_secret_erased(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    await _enqueue(committed, 3)
    backend = RecordingBackend()
    worker = make_worker(backend)

    first = await worker.run_once()
    assert (first.claimed, first.sent) == (3, 3)
    assert sorted(e.to for e in backend.sent) == [f"user{i}@example.com" for i in range(3)]
    assert all(f"{API_KEY}-" in e.text and f"{API_KEY}-" in e.html for e in backend.sent)

    # Nothing is due any more: a second pass (or another worker) sends nothing again.
    assert (await worker.run_once()).claimed == 0
    assert (await make_worker(RecordingBackend()).run_until_idle()).claimed == 0
    assert len(backend.sent) == 3

    rows = await _rows(committed)
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert all(r.secret_ciphertext is None for r in rows)
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows)
    assert all(r.claim_token is None and r.locked_until is None for r in rows)
    assert _metric(worker, "sent") == 3


async def test_a_transient_failure_is_retried_later_with_backoff(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, clock: ManualClock
) -> None:
    await _enqueue(committed)
    failing = make_worker(FailingBackend("connection refused"))
    result = await failing.run_once()
    assert result.retried == 1

    (row,) = await _rows(committed)
    assert row.status == EmailStatus.PENDING
    assert row.attempts == 1
    assert row.last_error == "connection refused"
    assert row.secret_ciphertext is not None  # still needed for the retry
    delay = (row.next_attempt_at - clock.now()).total_seconds()
    assert 15 <= delay <= 30  # first backoff: 30 s with equal jitter

    # Not due yet: even a healthy worker leaves it alone.
    healthy_backend = RecordingBackend()
    healthy = make_worker(healthy_backend)
    assert (await healthy.run_once()).claimed == 0
    clock.advance(31)
    assert (await healthy.run_once()).sent == 1
    (row,) = await _rows(committed)
    assert row.status == EmailStatus.SENT
    assert row.attempts == 2
    assert row.last_error is None
    assert len(healthy_backend.sent) == 1


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling(make_worker: Any) -> None:
    worker = make_worker(RecordingBackend())
    for attempts in range(1, 12):
        ceiling = min(3600.0, 30.0 * 2 ** (attempts - 1))
        delays = {worker.backoff_seconds(attempts) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, so many workers do not retry in lockstep


async def test_after_the_maximum_attempts_the_email_is_marked_failed(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, clock: ManualClock
) -> None:
    await _enqueue(committed)
    backend = FailingBackend("503 from provider")
    worker = make_worker(backend, email_max_attempts=3)
    outcomes = []
    for _ in range(5):
        result = await worker.run_once()
        outcomes += list(result.outcomes.values())
        clock.advance(7200)
    assert outcomes == ["retry", "retry", "failed"]
    assert backend.calls == 3
    (row,) = await _rows(committed)
    assert row.status == EmailStatus.FAILED
    assert row.attempts == 3
    assert row.last_error == "503 from provider"
    assert _metric(worker, "failed") == 1
    assert _metric(worker, "retry") == 2


async def test_a_permanent_failure_is_not_retried(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    await _enqueue(committed)
    backend = FailingBackend("550 no such user", permanent=True)
    result = await make_worker(backend).run_once()
    assert result.failed == 1
    (row,) = await _rows(committed)
    assert (row.status, row.attempts, row.last_error) == (
        EmailStatus.FAILED,
        1,
        "550 no such user",
    )


async def test_secrets_of_failed_emails_are_erased_after_the_retention_window(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, clock: ManualClock
) -> None:
    await _enqueue(committed)
    worker = make_worker(FailingBackend(permanent=True))
    await worker.run_once()
    assert await worker.purge_expired_secrets() == 0
    (row,) = await _rows(committed)
    assert row.secret_ciphertext is not None  # kept so an admin can retry for a while

    clock.advance(FAILED_SECRET_RETENTION.total_seconds() + 1)
    assert await worker.purge_expired_secrets() == 1
    (row,) = await _rows(committed)
    assert row.secret_ciphertext is None
    assert row.status == EmailStatus.FAILED


async def test_a_worker_that_dies_after_claiming_is_taken_over_after_the_lease(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, clock: ManualClock
) -> None:
    await _enqueue(committed, 2)
    dead = make_worker(RecordingBackend(), email_lease_seconds=120)
    claimed = await dead.claim()
    assert len(claimed) == 2
    # ...the process is killed here: nothing is sent, nothing is marked.

    backend = RecordingBackend()
    successor = make_worker(backend, email_lease_seconds=120)
    assert (await successor.run_once()).claimed == 0  # the lease still holds
    clock.advance(119)
    assert (await successor.run_once()).claimed == 0
    clock.advance(2)
    result = await successor.run_once()
    assert (result.claimed, result.sent) == (2, 2)
    assert len(backend.sent) == 2

    rows = await _rows(committed)
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert all(r.attempts == 2 for r in rows)  # the abandoned claim counts as an attempt

    # Had the first worker only been slow, its late report cannot undo or repeat anything.
    assert await dead._record_sent(claimed[0]) == "lost"
    assert await dead._record_failure(claimed[1], "late", permanent=True) == "lost"
    rows = await _rows(committed)
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert (await successor.run_until_idle()).claimed == 0
    assert len(backend.sent) == 2


async def test_an_email_whose_secret_cannot_be_decrypted_fails_without_stopping_others(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    rows = await _enqueue(committed, 2)
    async with committed() as session, session.begin():
        await session.execute(
            update(EmailOutbox)
            .where(EmailOutbox.id == rows[0].id)
            .values(secret_ciphertext="gAAAAAnot-a-valid-token")
        )
    backend = RecordingBackend()
    result = await make_worker(backend).run_once()
    assert result.outcomes[rows[0].id] == "failed"
    assert result.outcomes[rows[1].id] == "sent"
    failed = next(r for r in await _rows(committed) if r.id == rows[0].id)
    assert failed.last_error is not None
    assert "cannot render" in failed.last_error
    assert [e.to for e in backend.sent] == ["user1@example.com"]


async def test_an_unexpected_backend_crash_is_a_retry_not_a_worker_crash(
    committed: async_sessionmaker[AsyncSession], make_worker: Any
) -> None:
    class Exploding(RecordingBackend):
        async def send(self, email: Any) -> None:
            raise RuntimeError("boom")

    await _enqueue(committed)
    result = await make_worker(Exploding()).run_once()
    assert result.retried == 1
    (row,) = await _rows(committed)
    assert row.last_error == "RuntimeError: boom"


@pytest.mark.parametrize("n_workers", [2, 3])
async def test_workers_sharing_a_database_never_claim_the_same_row(
    committed: async_sessionmaker[AsyncSession], make_worker: Any, n_workers: int
) -> None:
    import asyncio

    await _enqueue(committed, 30, template="welcome")
    backends = [RecordingBackend() for _ in range(n_workers)]
    workers = [make_worker(b, batch_size=4) for b in backends]
    await asyncio.gather(*(w.run_until_idle() for w in workers))
    sent = [e.outbox_id for b in backends for e in b.sent]
    assert len(sent) == 30
    assert len(set(sent)) == 30
