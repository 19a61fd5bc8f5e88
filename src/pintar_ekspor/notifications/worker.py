"""The outbox delivery worker: claim due rows, send outside the claim, record the outcome.

Delivery is at-least-once with a claim lease: a row is claimed (`status='sending'`,
`locked_until=now+lease`, a fresh `claim_token`) in a short transaction, sent with no
transaction open, then marked `sent` only if the claim still belongs to this worker. A worker
that dies after claiming leaves the row to be picked up again once the lease has expired.
Claiming, leases, attempts and backoff are the platform's job mechanism
(:mod:`pintar_ekspor.jobs`): `FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of
processes can run workers; SQLite's single writer (`BEGIN IMMEDIATE`) serialises claims.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.metrics import Metrics
from pintar_ekspor.jobs import Claim, JobQueue, JobTable, RetryPolicy, poll
from pintar_ekspor.notifications.backends import (
    DeliveryError,
    EmailBackend,
    OutgoingEmail,
    build_backend,
)
from pintar_ekspor.notifications.crypto import SecretDecryptionError, decrypt_secrets
from pintar_ekspor.notifications.models import EmailOutbox, EmailStatus
from pintar_ekspor.notifications.rendering import render_email

log = structlog.get_logger("pintar_ekspor.notifications")

# Encrypted secrets of permanently failed emails are kept this long so an admin can retry;
# after that they are erased and a retry is refused (the user rotates the key instead).
FAILED_SECRET_RETENTION = timedelta(days=7)
MAX_ERROR_LENGTH = 1000

# The outbox as a job table: pending rows wait for `next_attempt_at`, `sending` ones are
# claimed, and a failure waits out its backoff in `next_attempt_at`.
EMAIL_JOBS = JobTable(
    model=EmailOutbox,
    id=EmailOutbox.id,
    status=EmailOutbox.status,
    attempts=EmailOutbox.attempts,
    locked_until=EmailOutbox.locked_until,
    claim_token=EmailOutbox.claim_token,
    waiting=EmailStatus.PENDING,
    running=EmailStatus.SENDING,
    done=EmailStatus.SENT,
    failed=EmailStatus.FAILED,
    order_by=(EmailOutbox.next_attempt_at,),
    due_at=EmailOutbox.next_attempt_at,
    updated_at=EmailOutbox.updated_at,
)


@dataclass(frozen=True)
class ClaimedEmail:
    """A row this worker owns until `locked_until`, identified by `claim_token`."""

    id: uuid.UUID
    claim_token: uuid.UUID
    to_address: str
    template: str
    locale: str
    context: dict[str, Any]
    secret_ciphertext: str | None
    attempts: int

    @property
    def job(self) -> Claim:
        """This email's claim in the platform job queue."""
        return Claim(id=self.id, token=self.claim_token, attempts=self.attempts)


@dataclass
class PassResult:
    """What one pass of the worker did (for the CLI and tests)."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    outcomes: dict[uuid.UUID, str] = field(default_factory=dict)


class EmailWorker:
    """Delivers due outbox rows. One instance per process; safe to run in several."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        backend: EmailBackend,
        clock: Clock | None = None,
        metrics: Metrics | None = None,
        batch_size: int = 20,
        backoff_base_seconds: float = 30.0,
        backoff_max_seconds: float = 3600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.backend = backend
        self.metrics = metrics
        self.batch_size = batch_size
        self.backoff_base_seconds = backoff_base_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.rng = rng or random.Random()  # jitter, not cryptography
        self.queue = JobQueue(
            EMAIL_JOBS,
            RetryPolicy(
                lease_seconds=settings.email_lease_seconds,
                max_attempts=settings.email_max_attempts,
                backoff_base_seconds=backoff_base_seconds,
                backoff_max_seconds=backoff_max_seconds,
            ),
            clock=clock or Clock(),
            rng=self.rng,
        )
        self._data_key = settings.data_encryption_key.get_secret_value()

    @property
    def clock(self) -> Clock:
        """The clock every time decision of this worker uses (its queue's)."""
        return self.queue.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.queue.clock = clock

    # -- claiming -------------------------------------------------------------------------

    async def claim(self, limit: int | None = None) -> list[ClaimedEmail]:
        """Atomically take up to `limit` due rows (pending and due, or with an expired lease)."""
        t = EmailOutbox
        async with self.session_factory() as session, session.begin():
            claims = await self.queue.claim(
                session,
                limit=limit or self.batch_size,
                returning=(t.to_address, t.template, t.locale, t.context, t.secret_ciphertext),
            )
        claimed = []
        for c in claims:
            assert c.row is not None
            claimed.append(
                ClaimedEmail(
                    id=c.id,
                    claim_token=c.token,
                    to_address=c.row.to_address,
                    template=c.row.template,
                    locale=c.row.locale,
                    context=dict(c.row.context or {}),
                    secret_ciphertext=c.row.secret_ciphertext,
                    attempts=c.attempts,
                )
            )
        return claimed

    async def release(self, claimed: list[ClaimedEmail]) -> int:
        """Hand back rows still claimed by this pass (shutdown): due again at once, the
        attempt not counted. Rows already recorded as sent or failed are left alone."""
        if not claimed:
            return 0
        async with self.session_factory() as session, session.begin():
            released = await self.queue.release(session, [c.job for c in claimed])
        log.info("email.claims_released", count=released)
        return released

    # -- sending --------------------------------------------------------------------------

    def _prepare(self, claimed: ClaimedEmail) -> OutgoingEmail:
        variables: dict[str, Any] = dict(claimed.context)
        if claimed.secret_ciphertext:
            variables.update(decrypt_secrets(self._data_key, claimed.secret_ciphertext))
        rendered = render_email(claimed.template, claimed.locale, variables)
        return OutgoingEmail(
            outbox_id=claimed.id,
            sender=self.settings.email_from,
            to=claimed.to_address,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
        )

    def backoff_seconds(self, attempts: int) -> float:
        """Exponential backoff with jitter: half fixed, half random ("equal jitter")."""
        return self.queue.backoff_seconds(attempts)

    async def deliver(self, claimed: ClaimedEmail) -> str:
        """Send one claimed email and record the outcome: sent, retry, failed or lost."""
        try:
            email = self._prepare(claimed)
        except (SecretDecryptionError, ValueError, LookupError) as exc:
            # A template or key problem will not fix itself by waiting.
            return await self._record_failure(claimed, f"cannot render: {exc}", permanent=True)
        except Exception as exc:  # a template bug must not stop the worker
            return await self._record_failure(
                claimed, f"cannot render: {type(exc).__name__}: {exc}", permanent=True
            )
        try:
            await self.backend.send(email)
        except DeliveryError as exc:
            return await self._record_failure(claimed, str(exc), permanent=exc.permanent)
        except Exception as exc:  # unknown errors are treated as transient
            log.exception("email.backend_crash", email_id=str(claimed.id))
            return await self._record_failure(
                claimed, f"{type(exc).__name__}: {exc}", permanent=False
            )
        return await self._record_sent(claimed)

    def _count(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.emails.labels(outcome).inc()

    async def _record_sent(self, claimed: ClaimedEmail) -> str:
        async with self.session_factory() as session, session.begin():
            owned = await self.queue.complete(
                session,
                claimed.job,
                {
                    "sent_at": self.clock.now(),
                    "secret_ciphertext": None,  # the key is delivered: erase it at rest
                    "last_error": None,
                },
            )
        if not owned:
            # The lease ran out mid-send and another worker took the row over.
            log.warning("email.claim_lost", email_id=str(claimed.id))
            self._count("lost_claim")
            return "lost"
        log.info("email.sent", email_id=str(claimed.id), template=claimed.template)
        self._count("sent")
        return "sent"

    async def _record_failure(self, claimed: ClaimedEmail, error: str, *, permanent: bool) -> str:
        error = error[:MAX_ERROR_LENGTH]
        async with self.session_factory() as session, session.begin():
            outcome = await self.queue.fail(
                session, claimed.job, permanent=permanent, values={"last_error": error}
            )
        if outcome == "lost":
            self._count("lost_claim")
            return "lost"
        log.warning(
            "email.failed" if outcome == "failed" else "email.retry",
            email_id=str(claimed.id),
            attempts=claimed.attempts,
            permanent=permanent,
            error=error,
        )
        self._count(outcome)
        return outcome

    # -- loop -----------------------------------------------------------------------------

    async def run_once(self, limit: int | None = None) -> PassResult:
        """Claim one batch and deliver it (concurrently). Returns what happened."""
        claimed = await self.claim(limit)
        result = PassResult(claimed=len(claimed))
        if not claimed:
            return result
        try:
            outcomes = await asyncio.gather(*(self.deliver(c) for c in claimed))
        except asyncio.CancelledError:
            await self.release(claimed)
            raise
        for c, outcome in zip(claimed, outcomes, strict=True):
            result.outcomes[c.id] = outcome
            if outcome == "sent":
                result.sent += 1
            elif outcome == "retry":
                result.retried += 1
            elif outcome == "failed":
                result.failed += 1
            else:
                result.lost += 1
        return result

    async def run_until_idle(self, max_passes: int = 1000) -> PassResult:
        """Deliver everything due now (tests and `emails send-due`)."""
        total = PassResult()
        for _ in range(max_passes):
            r = await self.run_once()
            if r.claimed == 0:
                break
            total.claimed += r.claimed
            total.sent += r.sent
            total.retried += r.retried
            total.failed += r.failed
            total.lost += r.lost
            total.outcomes.update(r.outcomes)
        return total

    async def purge_expired_secrets(self) -> int:
        """Erase the encrypted secrets of emails that failed more than the retention ago."""
        t = EmailOutbox
        cutoff = self.clock.now() - FAILED_SECRET_RETENTION
        async with self.session_factory() as session, session.begin():
            result = await session.execute(
                update(t)
                .where(
                    t.status == EmailStatus.FAILED,
                    t.secret_ciphertext.is_not(None),
                    t.updated_at < cutoff,
                )
                .values(secret_ciphertext=None)
                .execution_options(synchronize_session=False)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set. Database or backend trouble never ends the loop."""
        passes = 0

        async def step() -> bool:
            nonlocal passes
            if passes % 100 == 0:
                await self.purge_expired_secrets()
            passes += 1
            result = await self.run_once()
            return result.claimed >= self.batch_size  # more may be due: no sleep

        log.info("email.worker_started", backend=self.backend.name)
        await poll(
            step,
            idle_seconds=self.settings.email_worker_poll_seconds,
            stop=stop,
            logger=log,
            error_event="email.worker_error",
        )
        log.info("email.worker_stopped")


@asynccontextmanager
async def email_worker_starter(app: Any) -> AsyncIterator[None]:
    """Lifespan starter: run the delivery loop next to the app (`background_starters`)."""
    settings: Settings = app.state.settings
    backend = build_backend(settings)
    worker = EmailWorker(
        app.state.session_factory, settings, backend=backend, metrics=app.state.metrics
    )
    app.state.email_worker = worker
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop), name="email-worker")
    try:
        yield
    finally:
        stop.set()
        try:
            # An email being sent right now gets a moment to finish; otherwise its lease
            # expires and the next start delivers it.
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            # Cancelled mid-send: run_once hands its claims back before the task ends.
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        await backend.aclose()


async def run_standalone(settings: Settings, *, once: bool = False) -> PassResult | None:
    """`pintar-ekspor worker` (until SIGINT/SIGTERM) or `emails send-due` (`once=True`)."""
    import signal

    from pintar_ekspor.core.db import create_engine, create_session_factory

    engine = create_engine(settings.database_url)
    backend = build_backend(settings)
    try:
        worker = EmailWorker(create_session_factory(engine, settings), settings, backend=backend)
        if once:
            return await worker.run_until_idle()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError, RuntimeError):  # Windows
                loop.add_signal_handler(sig, stop.set)
        await worker.run_forever(stop)
        return None
    finally:
        await backend.aclose()
        await engine.dispose()
