"""Claim, lease, attempts and backoff over any job table (one implementation for every job).

A job table has (at least) a status, an attempt counter, a lease end (`locked_until`) and a
claim token; optionally a due time (`due_at`: when a waiting job may run, which is how a
retry waits out its backoff) and an `updated_at` stamp. :class:`JobTable` names those
columns and status values; :class:`JobQueue` implements the life of a job on them:

* :meth:`JobQueue.claim` takes up to `limit` due jobs in one ``UPDATE … WHERE id IN
  (SELECT … [FOR UPDATE SKIP LOCKED]) RETURNING`` statement: each is set running with a
  fresh claim token, a lease of ``lease_seconds`` and one more attempt. On PostgreSQL the
  rows another claimer is taking right now are skipped, never waited for, so any number of
  processes can claim from one table and no job is claimed twice. On SQLite the app's
  sessions begin with ``BEGIN IMMEDIATE`` (:mod:`pintar_ekspor.core.db`), so a claim holds
  the single write lock from its first statement and claims run one after the other.
* A job is due when it waits and its due time has come, or when it runs but its lease has
  expired (its worker died): it is claimed again, and the lost run counted as an attempt.
* :meth:`JobQueue.extend` renews a running job's lease (a heartbeat), :meth:`complete`
  marks it done, :meth:`fail` retries it after an exponential backoff with jitter or gives
  up (permanent failure, or no attempts left), :meth:`release` hands it back on shutdown
  (due at once, the attempt not counted). Each changes the row only while the caller's
  claim still holds (same id, same token, still running): a worker whose lease ran out
  and whose job was taken over cannot undo or repeat what the new owner does.

The methods run in the caller's session and transaction (keep them short: one claim or
outcome per transaction). Every time that decides something (due, lease, backoff) comes
from the queue's :class:`~pintar_ekspor.core.clock.Clock`.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.db import is_postgres

Column = InstrumentedAttribute[Any]
FailOutcome = Literal["retry", "failed", "lost"]


@dataclass(frozen=True)
class JobTable:
    """Where one kind of job lives: the ORM model, its job columns and status values."""

    model: type[Any]
    id: Column
    status: Column
    attempts: Column
    locked_until: Column
    claim_token: Column
    waiting: Any
    """Status of a job waiting for its (next) run."""
    running: Any
    """Status of a claimed job."""
    done: Any
    """Status of a job that completed."""
    failed: Any
    """Status of a job given up."""
    order_by: tuple[Column, ...]
    """Which due jobs are claimed first."""
    due_at: Column | None = None
    """When a waiting job becomes due (retries wait out their backoff); None: at once."""
    updated_at: Column | None = None
    """Stamped with the clock on every change, when the table has it."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long a claim lasts and how failures are retried."""

    lease_seconds: float
    max_attempts: int
    backoff_base_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    abandon_after_max_attempts: bool = False
    """True: a job whose lease expired `max_attempts` times (its worker died on it each
    time) is not claimed again; :meth:`JobQueue.fail_abandoned` gives it up."""


@dataclass(frozen=True)
class Claim:
    """A job this worker owns until its lease ends, identified by `token`."""

    id: uuid.UUID
    token: uuid.UUID
    attempts: int
    """Attempts including this one."""
    row: Row[*tuple[Any, ...]] | None = field(default=None, compare=False, repr=False)
    """The extra columns asked for with `returning`."""


class JobQueue:
    """The life of the jobs of one table: claim, extend, complete, fail, release."""

    def __init__(
        self,
        table: JobTable,
        policy: RetryPolicy,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.table = table
        self.policy = policy
        self.clock = clock or Clock()
        self.rng = rng or random.Random()  # jitter, not cryptography

    # -- time -----------------------------------------------------------------------------

    def backoff_seconds(self, attempts: int) -> float:
        """Exponential backoff with "equal jitter": half of the ceiling fixed, half random,
        so many failed jobs are not retried in lockstep."""
        p = self.policy
        ceiling = min(p.backoff_max_seconds, p.backoff_base_seconds * 2.0 ** max(attempts - 1, 0))
        return float(ceiling / 2 + self.rng.uniform(0, ceiling / 2))

    def _lease_end(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.policy.lease_seconds)

    def _due(self, now: datetime) -> ColumnElement[bool]:
        t = self.table
        waiting = t.status == t.waiting
        if t.due_at is not None:
            waiting = and_(waiting, t.due_at <= now)
        expired = and_(t.status == t.running, t.locked_until < now)
        if self.policy.abandon_after_max_attempts:
            expired = and_(expired, t.attempts < self.policy.max_attempts)
        return or_(waiting, expired)

    def _values(
        self, now: datetime, values: Mapping[str, Any] | None, **ours: Any
    ) -> dict[str, Any]:
        """Column values by attribute name: ours, the caller's, and the `updated_at` stamp."""
        merged = {**ours, **(values or {})}
        if self.table.updated_at is not None:
            merged.setdefault(self.table.updated_at.key, now)
        return merged

    # -- claiming -------------------------------------------------------------------------

    async def claim(
        self,
        session: AsyncSession,
        *,
        limit: int = 1,
        values: Mapping[str, Any] | None = None,
        returning: Sequence[Column] = (),
    ) -> list[Claim]:
        """Atomically take up to `limit` due jobs, first in the table's order; `values` are
        set on them too, and the `returning` columns come back in each claim's `row`."""
        t = self.table
        now = self.clock.now()
        token = uuid.uuid4()
        pick = select(t.id).where(self._due(now)).order_by(*t.order_by).limit(limit)
        if is_postgres(session):
            # Rows another worker is claiming right now are skipped, never waited for.
            pick = pick.with_for_update(skip_locked=True)
        # The pick is a CTE evaluated once: as a plain `IN (subquery)` PostgreSQL may run
        # it again for rows of the update, and a locking LIMIT run again skips the rows
        # this statement already changed and returns others (more than `limit` claimed).
        picked = pick.cte("picked")
        if is_postgres(session):
            picked = picked.prefix_with("MATERIALIZED")
        changes = self._values(
            now,
            values,
            **{
                t.status.key: t.running,
                t.locked_until.key: self._lease_end(now),
                t.attempts.key: t.attempts + 1,
                t.claim_token.key: token,
            },
        )
        stmt = (
            update(t.model)
            .where(t.id.in_(select(picked.c.id)))
            .values(changes)
            .returning(t.id, t.attempts, *t.order_by, *returning)
            .execution_options(synchronize_session=False)
        )
        # RETURNING follows no order: hand the claims out in the table's order.
        keys = slice(2, 2 + len(t.order_by))
        rows = sorted((await session.execute(stmt)).all(), key=lambda r: tuple(r[keys]))
        return [Claim(id=r[0], token=token, attempts=int(r[1]), row=r) for r in rows]

    async def fail_abandoned(self, session: AsyncSession, values: Mapping[str, Any]) -> int:
        """Give up running jobs whose lease expired with no attempts left (their worker died
        on them `max_attempts` times); `values` say why. Returns how many."""
        t = self.table
        now = self.clock.now()
        result = await session.execute(
            update(t.model)
            .where(
                t.status == t.running,
                t.locked_until < now,
                t.attempts >= self.policy.max_attempts,
            )
            .values(
                self._values(
                    now,
                    values,
                    **{t.status.key: t.failed, t.locked_until.key: None, t.claim_token.key: None},
                )
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    # -- while a job runs and when it ends ---------------------------------------------------

    def _owned(self, claims: Iterable[Claim]) -> ColumnElement[bool]:
        claims = list(claims)
        t = self.table
        return and_(
            t.id.in_([c.id for c in claims]),
            t.claim_token.in_({c.token for c in claims}),
            t.status == t.running,
        )

    async def _apply(
        self, session: AsyncSession, claims: Sequence[Claim], changes: dict[str, Any]
    ) -> int:
        if not claims:
            return 0
        result = await session.execute(
            update(self.table.model)
            .where(self._owned(claims))
            .values(changes)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    async def extend(self, session: AsyncSession, claim: Claim) -> bool:
        """Renew the lease of a running job (its worker is alive); False if it was lost."""
        now = self.clock.now()
        changes = self._values(now, None, **{self.table.locked_until.key: self._lease_end(now)})
        return await self._apply(session, [claim], changes) == 1

    async def complete(
        self, session: AsyncSession, claim: Claim, values: Mapping[str, Any] | None = None
    ) -> bool:
        """Mark the job done (with `values`); False when the claim was lost meanwhile."""
        t = self.table
        changes = self._values(
            self.clock.now(),
            values,
            **{t.status.key: t.done, t.locked_until.key: None, t.claim_token.key: None},
        )
        return await self._apply(session, [claim], changes) == 1

    async def fail(
        self,
        session: AsyncSession,
        claim: Claim,
        *,
        permanent: bool,
        values: Mapping[str, Any] | None = None,
    ) -> FailOutcome:
        """Record a failed run (with `values`): ``retry`` after the backoff, ``failed`` when
        permanent or out of attempts, ``lost`` when the claim was lost meanwhile."""
        t = self.table
        now = self.clock.now()
        give_up = permanent or claim.attempts >= self.policy.max_attempts
        ours: dict[str, Any] = {t.locked_until.key: None, t.claim_token.key: None}
        if give_up:
            ours[t.status.key] = t.failed
        else:
            ours[t.status.key] = t.waiting
            if t.due_at is not None:
                ours[t.due_at.key] = now + timedelta(seconds=self.backoff_seconds(claim.attempts))
        if await self._apply(session, [claim], self._values(now, values, **ours)) != 1:
            return "lost"
        return "failed" if give_up else "retry"

    async def release(
        self,
        session: AsyncSession,
        claims: Sequence[Claim],
        values: Mapping[str, Any] | None = None,
    ) -> int:
        """Hand jobs still claimed back (shutdown): due again at once, the attempt not
        counted. Jobs already completed or failed are left alone. Returns how many."""
        t = self.table
        now = self.clock.now()
        ours: dict[str, Any] = {
            t.status.key: t.waiting,
            t.locked_until.key: None,
            t.claim_token.key: None,
            t.attempts.key: t.attempts - 1,
        }
        if t.due_at is not None:
            ours[t.due_at.key] = now
        return await self._apply(session, claims, self._values(now, values, **ours))


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
