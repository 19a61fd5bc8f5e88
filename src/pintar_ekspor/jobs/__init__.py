"""Background jobs kept in the app's own database: one claim/lease/attempt/backoff mechanism.

Every durable background job of the app (the e-mail outbox, queued analyses) is a row of a
table with a status, an attempt counter, a lease (`locked_until`) and a claim token. A
:class:`JobQueue` over a :class:`JobTable` claims due rows (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's single writer serialises claims), extends the lease while a job runs,
and records the outcome only while the claim is still the worker's own: complete, fail
(retried with exponential backoff, or given up), or release (handed back on shutdown, the
attempt not counted). Time comes from the injectable clock (:mod:`pintar_ekspor.core.clock`).

See docs/ARCHITECTURE.md ("How a background job flows").
"""

from pintar_ekspor.jobs.loop import keep_leased, poll
from pintar_ekspor.jobs.queue import Claim, FailOutcome, JobQueue, JobTable, RetryPolicy

__all__ = [
    "Claim",
    "FailOutcome",
    "JobQueue",
    "JobTable",
    "RetryPolicy",
    "keep_leased",
    "poll",
]
