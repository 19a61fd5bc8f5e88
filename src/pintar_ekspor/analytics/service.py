"""Analytics services: submit, store, list, fetch, export and delete analyses; the
background analyses as jobs of the platform's job queue (:mod:`pintar_ekspor.jobs`)."""

from __future__ import annotations

import time
import uuid
from typing import Any, NoReturn

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.analytics import execution, tasks
from pintar_ekspor.analytics.contracts import (
    Analysed,
    AnalysisJob,
    AnalysisProblem,
    Outcome,
)
from pintar_ekspor.analytics.engine.options import AnalysisOptions, UploadLimits
from pintar_ekspor.analytics.models import (
    Analysis,
    AnalysisKind,
    AnalysisPayload,
    AnalysisStatus,
    Dataset,
)
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.analytics.uploads import StoredUpload
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.clock import Clock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.errors import DomainError, NotFoundError
from pintar_ekspor.core.pagination import PageParams, paginate
from pintar_ekspor.jobs import Claim, JobQueue, JobTable, RetryPolicy


class AnalyticsInputProblem(DomainError):
    """An upload the engine refused; carries the engine's code, status and details."""

    status_code = 422
    code = "invalid_input"


def limits_of(settings: Settings) -> UploadLimits:
    return UploadLimits(
        max_bytes=settings.analytics_max_upload_bytes,
        max_rows=settings.analytics_max_rows,
        max_categories=settings.analytics_max_categories,
    )


def _raise_input_problem(problem: AnalysisProblem) -> NoReturn:
    raise AnalyticsInputProblem(
        problem["message"],
        code=problem["code"],
        status_code=problem["status"],
        extra={"details": problem.get("details") or {}},
    )


def precheck_upload(upload: StoredUpload) -> None:
    """Cheap checks before anything is queued or sent to a worker process.

    Not the size: the engine checks it against `limits_of(settings)` (`file_too_large`),
    the one check of the upload limit (see `analytics.uploads`).
    """
    if upload.blank:
        _raise_input_problem(
            {"code": "empty_file", "message": "The upload is empty.", "status": 422}
        )


def _new_dataset(
    owner: User,
    upload: StoredUpload,
    *,
    filename: str | None,
    content_type: str | None,
    fmt: str,
) -> Dataset:
    return Dataset(
        id=uuid.uuid4(),
        owner_id=owner.id,
        filename=filename,
        content_type=content_type,
        size_bytes=upload.size,
        sha256=upload.sha256,
        source_format=fmt,
    )


async def submit(
    session: AsyncSession,
    runner: AnalyticsRunner,
    settings: Settings,
    *,
    owner: User,
    api_key_id: uuid.UUID | None,
    upload: StoredUpload,
    filename: str | None,
    content_type: str | None,
    source_format: str,
    kind: AnalysisKind,
    options: AnalysisOptions,
    clock: Clock,
    metrics: Any = None,
) -> Analysis:
    """Analyse an upload now, or queue it when it is large; returns the stored analysis.

    `clock` (the app's) stamps an analysis run now with its start and finish, as the job
    queue's clock does for a background one.

    Rejected uploads raise a 4xx problem and store nothing.
    """
    precheck_upload(upload)
    dataset = _new_dataset(
        owner, upload, filename=filename, content_type=content_type, fmt=source_format
    )
    analysis = Analysis(
        id=uuid.uuid4(),
        owner_id=owner.id,
        api_key_id=api_key_id,
        dataset_id=dataset.id,
        kind=kind,
        params=options.model_dump(mode="json"),
    )
    background = (
        kind == AnalysisKind.FULL and upload.size > settings.analytics_background_threshold_bytes
    )
    if background:
        # The engine runs in a worker (the web process stays free of pandas), and reads the
        # file itself: the bytes never cross the pipe.
        check = AnalysisJob(
            source=str(upload.path),
            filename=filename,
            content_type=content_type,
            kind=kind.value,
            options=options,
            limits=limits_of(settings),
        )
        problem = await runner.run(tasks.check_upload, check)
        if problem is not None:
            _raise_input_problem(problem)
        analysis.status = AnalysisStatus.QUEUED
        await _store(session, dataset, analysis)
        session.add(AnalysisPayload(analysis_id=analysis.id, data=upload.read()))
        await session.flush()
        await _audit(session, analysis, "ANALYSIS_QUEUED")
        return analysis

    started = clock.now()
    wall = time.perf_counter()
    # End the transaction the request opened (authentication) before the seconds of
    # analysis: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE), and
    # holding it here made every other request and background loop wait for it.
    await session.commit()
    outcome = await execution.analyse(
        runner,
        str(upload.path),  # the worker reads the file: the bytes never cross the pipe
        filename=filename,
        content_type=content_type,
        kind=kind.value,
        options=options,
        limits=limits_of(settings),
        time_limits=execution.request_limits(runner.timeout),
    )
    if metrics is not None:
        metrics.analysis_seconds.labels(kind.value).observe(time.perf_counter() - wall)
        metrics.analyses.labels(kind.value, "ok" if outcome.ok else "rejected").inc()
    if not outcome.ok:
        _raise_input_problem(outcome.problem)
    for name, value in _succeeded(outcome).items():
        setattr(analysis, name, value)
    analysis.started_at = started
    analysis.finished_at = clock.now()
    await _store(session, dataset, analysis)
    await _audit(session, analysis, "ANALYSIS_RUN")
    return analysis


async def _store(session: AsyncSession, dataset: Dataset, analysis: Analysis) -> None:
    # No ORM relationship links the two, so flush the parent row first.
    session.add(dataset)
    await session.flush()
    session.add(analysis)
    await session.flush()


def _succeeded(outcome: Analysed) -> dict[str, Any]:
    """The columns of an analysis that succeeded with `outcome`."""
    return {
        "status": AnalysisStatus.SUCCEEDED,
        "progress": 100,
        "result": outcome.result,
        "charts": outcome.charts,
        "timings": dict(outcome.timings),
        "rows": outcome.rows,
        "categories": outcome.categories,
    }


async def _audit(session: AsyncSession, analysis: Analysis, action: str) -> None:
    await audit.record_event(
        session,
        action,
        table_name="analyses",
        record_id=str(analysis.id),
        details={
            "kind": analysis.kind.value,
            "dataset_id": str(analysis.dataset_id),
            "params": analysis.params,
            "rows": analysis.rows,
        },
    )


def _visible_to(user: User) -> Any:
    """Owners see their own analyses; admins see all (OWASP API1)."""
    if user.role == Role.ADMIN:
        return True
    return Analysis.owner_id == user.id


async def list_analyses(
    session: AsyncSession, user: User, page: PageParams, *, status: AnalysisStatus | None = None
) -> tuple[list[Analysis], int]:
    """The caller's analyses (all of them for admins), newest first."""
    stmt = select(Analysis).where(_visible_to(user)).order_by(Analysis.created_at.desc())
    if status is not None:
        stmt = stmt.where(Analysis.status == status)
    rows, total = await paginate(session, stmt, page)
    return list(rows), total


async def get_analysis(
    session: AsyncSession, user: User, analysis_id: uuid.UUID
) -> tuple[Analysis, Dataset]:
    """One analysis with its dataset; 404 when missing or not the caller's."""
    stmt = (
        select(Analysis, Dataset)
        .join(Dataset, Dataset.id == Analysis.dataset_id)
        .where(Analysis.id == analysis_id, _visible_to(user))
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFoundError(f"Analysis {analysis_id} was not found.", code="analysis_not_found")
    return row[0], row[1]


async def delete_analysis(session: AsyncSession, user: User, analysis_id: uuid.UUID) -> None:
    """Delete an analysis and its dataset metadata."""
    analysis, dataset = await get_analysis(session, user, analysis_id)
    await session.delete(analysis)
    await session.flush()
    await session.delete(dataset)
    await session.flush()
    await audit.record_event(
        session, "ANALYSIS_DELETED", table_name="analyses", record_id=str(analysis_id)
    )


def options_of(analysis: Analysis) -> AnalysisOptions:
    """The options the analysis was asked with (stored as its `params`)."""
    return AnalysisOptions.model_validate(analysis.params)


def require_result(analysis: Analysis) -> str:
    """The stored result (JSON text); 409 while the analysis has none."""
    if analysis.status != AnalysisStatus.SUCCEEDED or analysis.result is None:
        raise DomainError(
            f"Analysis {analysis.id} is {analysis.status.value}; it has no result yet.",
            code="analysis_not_ready",
            status_code=409,
        )
    return analysis.result


# --- background jobs --------------------------------------------------------------------


MAX_JOB_ATTEMPTS = 3
# A claimed job is leased for LEASE_SECONDS and the lease is renewed every
# HEARTBEAT_SECONDS while it runs (see `jobs.py`): a job whose app process died (even by
# SIGKILL) is claimed again by any app process within a minute, and failed with a reason
# after MAX_JOB_ATTEMPTS.
LEASE_SECONDS = 60
HEARTBEAT_SECONDS = 15.0

# Queued analyses as a job table: claimed oldest first, due at once (no backoff: a refused
# upload or a timeout is final), given up after their worker died MAX_JOB_ATTEMPTS times.
ANALYSIS_JOBS = JobTable(
    model=Analysis,
    id=Analysis.id,
    status=Analysis.status,
    attempts=Analysis.attempts,
    locked_until=Analysis.locked_until,
    claim_token=Analysis.claim_token,
    waiting=AnalysisStatus.QUEUED,
    running=AnalysisStatus.RUNNING,
    done=AnalysisStatus.SUCCEEDED,
    failed=AnalysisStatus.FAILED,
    order_by=(Analysis.created_at,),
)


def job_queue(clock: Clock) -> JobQueue:
    """The queue of background analyses, on `clock`."""
    return JobQueue(
        ANALYSIS_JOBS,
        RetryPolicy(
            lease_seconds=LEASE_SECONDS,
            max_attempts=MAX_JOB_ATTEMPTS,
            abandon_after_max_attempts=True,
        ),
        clock=clock,
    )


async def claim_next_job(session: AsyncSession, queue: JobQueue) -> Claim | None:
    """Claim one queued (or abandoned) background analysis; SKIP LOCKED on PostgreSQL.

    A job whose worker died `MAX_JOB_ATTEMPTS` times (say, killed for memory) is marked
    failed instead of being claimed again forever.
    """
    now = queue.clock.now()
    await queue.fail_abandoned(
        session,
        {
            "progress": 100,
            "finished_at": now,
            "error": AnalysisProblem(
                code="analysis_abandoned",
                status=503,
                message=(
                    f"The analysis worker stopped {MAX_JOB_ATTEMPTS} times on this upload; "
                    "send a smaller file or fewer categories."
                ),
            ),
        },
    )
    failed_ids = select(Analysis.id).where(Analysis.status == AnalysisStatus.FAILED)
    await session.execute(
        delete(AnalysisPayload).where(AnalysisPayload.analysis_id.in_(failed_ids))
    )
    claims = await queue.claim(session, limit=1, values={"progress": 10, "started_at": now})
    return claims[0] if claims else None


async def release_job(session: AsyncSession, queue: JobQueue, claim: Claim) -> bool:
    """Put a job this process claimed back in the queue (graceful shutdown). The attempt is
    not counted: the worker did not die on it."""
    released = await queue.release(session, [claim], {"progress": 0, "started_at": None})
    return released == 1


async def report_progress(session: AsyncSession, job_id: uuid.UUID, progress: int) -> None:
    """Move a running job's progress."""
    await session.execute(
        update(Analysis)
        .where(Analysis.id == job_id, Analysis.status == AnalysisStatus.RUNNING)
        .values(progress=progress)
    )


async def load_job(session: AsyncSession, job_id: uuid.UUID) -> tuple[Analysis, bytes] | None:
    """A claimed job's analysis row and upload."""
    analysis = await session.get(Analysis, job_id)
    payload = await session.get(AnalysisPayload, job_id)
    if analysis is None or payload is None:
        return None
    return analysis, payload.data


async def finish_job(
    session: AsyncSession, queue: JobQueue, claim: Claim, outcome: Outcome
) -> bool:
    """Store a background job's outcome and drop its payload; False (nothing stored) when
    the claim was lost meanwhile (the lease ran out and another process took the job)."""
    now = queue.clock.now()
    if outcome.ok:
        owned = await queue.complete(session, claim, {**_succeeded(outcome), "finished_at": now})
    else:
        owned = (
            await queue.fail(
                session,
                claim,
                permanent=True,  # a refused upload or a timeout would only happen again
                values={"progress": 100, "error": outcome.problem, "finished_at": now},
            )
            != "lost"
        )
    if owned:
        await session.execute(
            delete(AnalysisPayload).where(AnalysisPayload.analysis_id == claim.id)
        )
    return owned
