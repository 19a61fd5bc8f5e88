"""The platform job queue on a table of its own: claim, lease, attempts, backoff, release.

Both the e-mail outbox and the background analyses run on this mechanism; it is tested
here once, on whichever database the suite targets (SQLite by default, PostgreSQL with
TEST_DB=postgres), including claimers racing from separate connection pools.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, String, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import Uuid

from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import TZDateTime, create_engine, create_session_factory
from pintar_ekspor.jobs import Claim, JobQueue, JobTable, RetryPolicy

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class _Base(DeclarativeBase):
    metadata = MetaData()
    type_annotation_map = {datetime: TZDateTime(), uuid.UUID: Uuid()}


class Item(_Base):
    """A job table as a domain would have one (created for these tests only)."""

    __tablename__ = "jobs_test_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    seq: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    claim_token: Mapped[uuid.UUID | None]
    updated_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(100))


def table(*, due: bool = True) -> JobTable:
    return JobTable(
        model=Item,
        id=Item.id,
        status=Item.status,
        attempts=Item.attempts,
        locked_until=Item.locked_until,
        claim_token=Item.claim_token,
        waiting="waiting",
        running="running",
        done="done",
        failed="failed",
        order_by=(Item.seq,),
        due_at=Item.due_at if due else None,
        updated_at=Item.updated_at,
    )


@pytest.fixture(scope="module")
async def item_table(engine: AsyncEngine) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(_Base.metadata.create_all)
    try:
        yield
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(_Base.metadata.drop_all)


@pytest.fixture
async def factory(
    engine: AsyncEngine, settings: Settings, item_table: None
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions that really commit (claims are separate transactions); rows removed."""
    made = create_session_factory(engine, settings)
    try:
        yield made
    finally:
        async with made() as session, session.begin():
            await session.execute(delete(Item))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=T0.timestamp())


def make_queue(clock: ManualClock, *, due: bool = True, **policy: Any) -> JobQueue:
    values: dict[str, Any] = {"lease_seconds": 60, "max_attempts": 3}
    values.update(policy)
    return JobQueue(table(due=due), RetryPolicy(**values), clock=clock, rng=random.Random(7))


@pytest.fixture
def queue(clock: ManualClock) -> JobQueue:
    return make_queue(clock)


async def add(
    factory: async_sessionmaker[AsyncSession], n: int, *, due: datetime = T0, first: int = 0
) -> list[uuid.UUID]:
    items = [Item(seq=first + k, due_at=due) for k in range(n)]
    async with factory() as session, session.begin():
        session.add_all(items)
    return [i.id for i in items]


async def claim(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], limit: int = 1, **kw: Any
) -> list[Claim]:
    async with factory() as session, session.begin():
        return await queue.claim(session, limit=limit, **kw)


async def row(factory: async_sessionmaker[AsyncSession], item_id: uuid.UUID) -> Item:
    async with factory() as session:
        item = await session.get(Item, item_id)
        assert item is not None
        return item


async def test_claim_takes_due_jobs_in_order_and_marks_them_running(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    ids = await add(factory, 3)
    later = await add(factory, 1, due=T0 + timedelta(minutes=5), first=3)

    first = await claim(queue, factory, limit=2)
    assert [c.id for c in first] == ids[:2]
    assert all(c.attempts == 1 for c in first)
    assert len({c.token for c in first}) == 1  # one claim, one token
    item = await row(factory, ids[0])
    assert (item.status, item.attempts, item.claim_token) == ("running", 1, first[0].token)
    assert item.locked_until == T0 + timedelta(seconds=60)
    assert item.updated_at == T0

    second = await claim(queue, factory, limit=5)
    assert [c.id for c in second] == [ids[2]]  # the running ones and the later one wait
    assert second[0].token != first[0].token
    assert await claim(queue, factory, limit=5) == []

    async with factory() as session, session.begin():
        for c in first + second:
            assert await queue.complete(session, c)
    clock.advance(300)
    assert [c.id for c in await claim(queue, factory, limit=5)] == later


async def test_claim_returns_the_columns_asked_for(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession]
) -> None:
    (item_id,) = await add(factory, 1)
    (c,) = await claim(queue, factory, returning=(Item.seq, Item.note), values={"note": "hi"})
    assert c.id == item_id
    assert c.row is not None
    assert (c.row.seq, c.row.note) == (0, "hi")


async def test_an_expired_lease_lets_another_worker_take_the_job_and_fences_the_first(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    (item_id,) = await add(factory, 1)
    (dead,) = await claim(queue, factory)
    clock.advance(59)
    assert await claim(queue, factory) == []  # the lease still holds
    clock.advance(2)
    (taken,) = await claim(queue, factory)
    assert taken.id == item_id
    assert taken.attempts == 2  # the abandoned run counts as an attempt
    assert taken.token != dead.token

    # The first worker was only slow: whatever it reports now changes nothing.
    async with factory() as session, session.begin():
        assert await queue.extend(session, dead) is False
        assert await queue.complete(session, dead, {"note": "late"}) is False
        assert await queue.fail(session, dead, permanent=True) == "lost"
        assert await queue.release(session, [dead]) == 0
    item = await row(factory, item_id)
    assert (item.status, item.claim_token, item.note) == ("running", taken.token, None)

    async with factory() as session, session.begin():
        assert await queue.complete(session, taken, {"note": "done by the successor"})
    item = await row(factory, item_id)
    assert (item.status, item.note, item.locked_until, item.claim_token) == (
        "done",
        "done by the successor",
        None,
        None,
    )
    assert await claim(queue, factory) == []  # done jobs are never claimed again


async def test_a_heartbeat_extends_the_lease(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    (item_id,) = await add(factory, 1)
    (c,) = await claim(queue, factory)
    clock.advance(50)
    async with factory() as session, session.begin():
        assert await queue.extend(session, c) is True
    assert (await row(factory, item_id)).locked_until == T0 + timedelta(seconds=110)
    clock.advance(50)  # past the first lease, within the renewed one
    assert await claim(queue, factory) == []
    clock.advance(11)
    assert [x.id for x in await claim(queue, factory)] == [item_id]


async def test_a_failure_is_retried_after_a_growing_backoff_then_given_up(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    (item_id,) = await add(factory, 1)
    for attempt, ceiling in ((1, 30.0), (2, 60.0)):
        (c,) = await claim(queue, factory)
        assert c.attempts == attempt
        async with factory() as session, session.begin():
            outcome = await queue.fail(session, c, permanent=False, values={"note": "timeout"})
        assert outcome == "retry"
        item = await row(factory, item_id)
        assert (item.status, item.note, item.locked_until, item.claim_token) == (
            "waiting",
            "timeout",
            None,
            None,
        )
        delay = (item.due_at - clock.now()).total_seconds()
        assert ceiling / 2 <= delay <= ceiling
        clock.advance(delay - 1)
        assert await claim(queue, factory) == []  # not due before its backoff ends
        clock.advance(1)
    (last,) = await claim(queue, factory)
    assert last.attempts == 3
    async with factory() as session, session.begin():
        assert await queue.fail(session, last, permanent=False) == "failed"  # no attempts left
    assert (await row(factory, item_id)).status == "failed"
    clock.advance(7200)
    assert await claim(queue, factory) == []


async def test_a_permanent_failure_is_not_retried(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession]
) -> None:
    (item_id,) = await add(factory, 1)
    (c,) = await claim(queue, factory)
    async with factory() as session, session.begin():
        assert await queue.fail(session, c, permanent=True, values={"note": "bad"}) == "failed"
    item = await row(factory, item_id)
    assert (item.status, item.attempts, item.note) == ("failed", 1, "bad")


def test_backoff_grows_exponentially_with_jitter_up_to_a_ceiling(clock: ManualClock) -> None:
    queue = make_queue(clock, backoff_base_seconds=10, backoff_max_seconds=300)
    for attempts in range(1, 10):
        ceiling = min(300.0, 10.0 * 2 ** (attempts - 1))
        delays = {queue.backoff_seconds(attempts) for _ in range(30)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered: failed jobs are not retried in lockstep


async def test_without_a_due_column_a_retry_is_due_at_once(
    clock: ManualClock, factory: async_sessionmaker[AsyncSession]
) -> None:
    queue = make_queue(clock, due=False)
    (item_id,) = await add(factory, 1)
    (c,) = await claim(queue, factory)
    async with factory() as session, session.begin():
        assert await queue.fail(session, c, permanent=False) == "retry"
    assert (await row(factory, item_id)).due_at == T0  # untouched
    (again,) = await claim(queue, factory)
    assert again.attempts == 2


async def test_release_hands_jobs_back_without_counting_the_attempt(
    queue: JobQueue, factory: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    ids = await add(factory, 3)
    claims = await claim(queue, factory, limit=3)
    async with factory() as session, session.begin():
        assert await queue.complete(session, claims[0])
    clock.advance(10)
    async with factory() as session, session.begin():
        # The completed one is left alone; the others go back, due now.
        assert await queue.release(session, claims, {"note": "released"}) == 2
    for item_id in ids[1:]:
        item = await row(factory, item_id)
        assert (item.status, item.attempts, item.locked_until, item.claim_token) == (
            "waiting",
            0,
            None,
            None,
        )
        assert item.due_at == clock.now()
        assert item.note == "released"
    assert (await row(factory, ids[0])).status == "done"
    assert {c.attempts for c in await claim(queue, factory, limit=3)} == {1}


async def test_a_job_abandoned_at_every_attempt_is_given_up_not_claimed_forever(
    clock: ManualClock, factory: async_sessionmaker[AsyncSession]
) -> None:
    strict = make_queue(clock, abandon_after_max_attempts=True)
    lenient = make_queue(clock)
    (item_id,) = await add(factory, 1)
    for attempt in (1, 2, 3):
        (c,) = await claim(strict, factory)
        assert c.attempts == attempt
        clock.advance(61)  # the worker died: the lease runs out
    assert await claim(strict, factory) == []
    async with factory() as session, session.begin():
        assert await strict.fail_abandoned(session, {"note": "abandoned"}) == 1
    item = await row(factory, item_id)
    assert (item.status, item.note, item.locked_until, item.claim_token) == (
        "failed",
        "abandoned",
        None,
        None,
    )

    # Without the rule, the same job would simply be claimed once more.
    (other,) = await add(factory, 1, first=1)
    for _ in range(3):
        await claim(lenient, factory)
        clock.advance(61)
    assert [c.id for c in await claim(lenient, factory)] == [other]


async def test_racing_claimers_with_their_own_pools_never_share_a_job(
    database_url: str, settings: Settings, factory: async_sessionmaker[AsyncSession]
) -> None:
    """Four claimers, each its own engine (as separate processes would be), race over 200
    jobs: every job is claimed exactly once."""
    ids = set(await add(factory, 200))
    engines = [create_engine(database_url) for _ in range(4)]
    clock = ManualClock(start=T0.timestamp())

    async def drain(engine: AsyncEngine) -> list[uuid.UUID]:
        own = create_session_factory(engine, settings)
        queue = make_queue(clock)
        taken: list[uuid.UUID] = []
        while claims := await claim(queue, own, limit=7):
            taken += [c.id for c in claims]
            async with own() as session, session.begin():
                for c in claims:
                    assert await queue.complete(session, c)
            await asyncio.sleep(0)
        return taken

    try:
        results = await asyncio.gather(*(drain(e) for e in engines))
    finally:
        for engine in engines:
            await engine.dispose()
    everything = [i for taken in results for i in taken]
    assert len(everything) == len(set(everything)) == 200
    assert set(everything) == ids
    assert sum(1 for taken in results if taken) >= 2, [len(t) for t in results]
    async with factory() as session:
        rows = (await session.execute(select(Item.status, Item.attempts))).all()
    assert {(r.status, r.attempts) for r in rows} == {("done", 1)}


async def test_a_claim_in_progress_is_skipped_on_postgres_and_waited_for_on_sqlite(
    engine: AsyncEngine,
    database_url: str,
    settings: Settings,
    factory: async_sessionmaker[AsyncSession],
    queue: JobQueue,
) -> None:
    """Claimer A has claimed a job and not committed yet. On PostgreSQL claimer B skips the
    locked row at once (no waiting, no double claim); on SQLite B waits for the single
    writer and then sees A's claim. Either way B never gets A's job."""
    ids = await add(factory, 3)
    other_engine = create_engine(database_url)
    other = create_session_factory(other_engine, settings)
    try:
        async with factory() as a_session, a_session.begin():
            (a_claim,) = await queue.claim(a_session, limit=1)
            assert a_claim.id == ids[0]
            b = asyncio.create_task(claim(queue, other, limit=10))
            if engine.dialect.name == "postgresql":
                b_claims = await asyncio.wait_for(b, timeout=5)
                assert [c.id for c in b_claims] == ids[1:]
            else:
                await asyncio.sleep(0.3)
                assert not b.done()  # the write lock is A's until it commits
        if engine.dialect.name != "postgresql":
            b_claims = await asyncio.wait_for(b, timeout=10)
            assert [c.id for c in b_claims] == ids[1:]
    finally:
        await other_engine.dispose()
    assert (await row(factory, ids[0])).claim_token == a_claim.token
