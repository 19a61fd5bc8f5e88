"""Analytics services: submit, store, list, fetch, export and delete analyses."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.analytics import execution
from pintar_ekspor.analytics.models import (
    Analysis,
    AnalysisKind,
    AnalysisPayload,
    AnalysisStatus,
    Dataset,
)
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.analytics.uploads import StoredUpload, too_large
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import is_postgres, utcnow
from pintar_ekspor.core.errors import DomainError, NotFoundError
from pintar_ekspor.core.pagination import PageParams, paginate


class AnalyticsInputProblem(DomainError):
    """An upload the engine refused; carries the engine's code, status and details."""

    status_code = 422
    code = "invalid_input"


def limits_of(settings: Settings) -> dict[str, int]:
    return {
        "max_bytes": settings.analytics_max_upload_bytes,
        "max_rows": settings.analytics_max_rows,
        "max_categories": settings.analytics_max_categories,
    }


def _raise_input_problem(error: dict[str, Any]) -> None:
    raise AnalyticsInputProblem(
        str(error.get("message", "The upload could not be analysed.")),
        code=str(error.get("code", "invalid_input")),
        status_code=int(error.get("status", 422)),
        extra={"details": error.get("details") or {}},
    )


def precheck_upload(settings: Settings, upload: StoredUpload) -> None:
    """Cheap checks before anything is queued or sent to a worker process."""
    if upload.size > settings.analytics_max_upload_bytes:
        raise too_large(settings.analytics_max_upload_bytes)
    if upload.blank:
        _raise_input_problem({"code": "empty_file", "message": "The upload is empty."})


def check_large_upload(
    path: str,
    filename: str | None,
    content_type: str | None,
    params: dict[str, Any],
    limits: dict[str, int],
) -> dict[str, Any] | None:
    """Run in a worker process before a large upload is queued: the engine's problem, if any.

    The whole file must decode, the header must have the required columns and the first
    rows must read; so a refused upload answers 4xx at once and nothing is stored. The
    engine is imported here, not at module level: the web process stays free of pandas.
    """
    from pintar_ekspor.analytics import engine

    try:
        engine.check_upload(
            Path(path).read_bytes(),
            filename=filename,
            content_type=content_type,
            options=engine.ingest_options(params, limits),
        )
    except engine.AnalyticsInputError as exc:
        return exc.to_dict()
    return None


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
    params: dict[str, Any],
    metrics: Any = None,
) -> Analysis:
    """Analyse an upload now, or queue it when it is large; returns the stored analysis.

    Rejected uploads raise a 4xx problem and store nothing.
    """
    precheck_upload(settings, upload)
    dataset = _new_dataset(
        owner, upload, filename=filename, content_type=content_type, fmt=source_format
    )
    analysis = Analysis(
        id=uuid.uuid4(),
        owner_id=owner.id,
        api_key_id=api_key_id,
        dataset_id=dataset.id,
        kind=kind,
        params=params,
    )
    background = (
        kind == AnalysisKind.FULL and upload.size > settings.analytics_background_threshold_bytes
    )
    if background:
        problem = await runner.run(
            check_large_upload,
            str(upload.path),
            filename,
            content_type,
            params,
            limits_of(settings),
        )
        if problem is not None:
            _raise_input_problem(problem)
        analysis.status = AnalysisStatus.QUEUED
        await _store(session, dataset, analysis)
        session.add(AnalysisPayload(analysis_id=analysis.id, data=upload.read()))
        await session.flush()
        await _audit(session, analysis, "ANALYSIS_QUEUED")
        return analysis

    started = utcnow()
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
        params=params,
        limits=limits_of(settings),
        time_limits=execution.request_limits(runner.timeout),
    )
    if metrics is not None:
        metrics.analysis_seconds.labels(kind.value).observe(time.perf_counter() - wall)
        metrics.analyses.labels(kind.value, "ok" if outcome["ok"] else "rejected").inc()
    if not outcome["ok"]:
        _raise_input_problem(outcome["error"])
    _apply_outcome(analysis, outcome)
    analysis.started_at = started
    analysis.finished_at = utcnow()
    await _store(session, dataset, analysis)
    await _audit(session, analysis, "ANALYSIS_RUN")
    return analysis


async def _store(session: AsyncSession, dataset: Dataset, analysis: Analysis) -> None:
    # No ORM relationship links the two, so flush the parent row first.
    session.add(dataset)
    await session.flush()
    session.add(analysis)
    await session.flush()


def _apply_outcome(analysis: Analysis, outcome: dict[str, Any]) -> None:
    analysis.status = AnalysisStatus.SUCCEEDED
    analysis.progress = 100
    analysis.result = outcome["result"]
    analysis.charts = outcome.get("charts")
    analysis.timings = outcome["timings"]
    analysis.rows = outcome.get("rows")
    analysis.categories = outcome.get("categories")


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


async def claim_next_job(session: AsyncSession, *, lease_seconds: int) -> uuid.UUID | None:
    """Claim one queued (or abandoned) background analysis; SKIP LOCKED on PostgreSQL.

    A job whose worker died `MAX_JOB_ATTEMPTS` times (say, killed for memory) is marked
    failed instead of being claimed again forever.
    """
    now = utcnow()
    abandoned = (Analysis.status == AnalysisStatus.RUNNING) & (Analysis.locked_until < now)
    await session.execute(
        update(Analysis)
        .where(abandoned, Analysis.attempts >= MAX_JOB_ATTEMPTS)
        .values(
            status=AnalysisStatus.FAILED,
            progress=100,
            finished_at=now,
            locked_until=None,
            error={
                "code": "analysis_abandoned",
                "status": 503,
                "message": (
                    f"The analysis worker stopped {MAX_JOB_ATTEMPTS} times on this upload; "
                    "send a smaller file or fewer categories."
                ),
            },
        )
    )
    failed_ids = select(Analysis.id).where(Analysis.status == AnalysisStatus.FAILED)
    await session.execute(
        delete(AnalysisPayload).where(AnalysisPayload.analysis_id.in_(failed_ids))
    )
    stmt = (
        select(Analysis.id)
        .where((Analysis.status == AnalysisStatus.QUEUED) | abandoned)
        .order_by(Analysis.created_at)
        .limit(1)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    job_id = (await session.execute(stmt)).scalar_one_or_none()
    if job_id is None:
        return None
    await session.execute(
        update(Analysis)
        .where(Analysis.id == job_id)
        .values(
            status=AnalysisStatus.RUNNING,
            progress=10,
            attempts=Analysis.attempts + 1,
            started_at=now,
            locked_until=now + timedelta(seconds=lease_seconds),
        )
    )
    return job_id


async def release_job(session: AsyncSession, job_id: uuid.UUID) -> bool:
    """Put a job this process claimed back in the queue (graceful shutdown). The attempt is
    not counted: the worker did not die on it."""
    result = await session.execute(
        update(Analysis)
        .where(Analysis.id == job_id, Analysis.status == AnalysisStatus.RUNNING)
        .values(
            status=AnalysisStatus.QUEUED,
            progress=0,
            attempts=Analysis.attempts - 1,
            started_at=None,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def report_progress(session: AsyncSession, job_id: uuid.UUID, progress: int) -> None:
    """Move a running job's progress."""
    await session.execute(
        update(Analysis)
        .where(Analysis.id == job_id, Analysis.status == AnalysisStatus.RUNNING)
        .values(progress=progress)
    )


async def renew_lease(session: AsyncSession, job_id: uuid.UUID, *, lease_seconds: int) -> None:
    """Extend a running job's lease (its worker is alive)."""
    await session.execute(
        update(Analysis)
        .where(Analysis.id == job_id, Analysis.status == AnalysisStatus.RUNNING)
        .values(locked_until=utcnow() + timedelta(seconds=lease_seconds))
    )


async def load_payload(session: AsyncSession, job_id: uuid.UUID) -> tuple[Analysis, bytes] | None:
    analysis = await session.get(Analysis, job_id)
    payload = await session.get(AnalysisPayload, job_id)
    if analysis is None or payload is None:
        return None
    return analysis, payload.data


async def finish_job(session: AsyncSession, job_id: uuid.UUID, outcome: dict[str, Any]) -> None:
    """Store a background job's outcome and drop its payload."""
    analysis = await session.get(Analysis, job_id)
    if analysis is None:
        return
    if outcome["ok"]:
        _apply_outcome(analysis, outcome)
    else:
        analysis.status = AnalysisStatus.FAILED
        analysis.progress = 100
        analysis.error = outcome["error"]
    analysis.finished_at = utcnow()
    analysis.locked_until = None
    await session.execute(delete(AnalysisPayload).where(AnalysisPayload.analysis_id == job_id))
    await session.flush()
