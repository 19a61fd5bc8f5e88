"""HTTP routes of the analytics module (developers and admins; JWT or API key)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from pintar_ekspor.accounts.dependencies import DeveloperPersonOrProgram
from pintar_ekspor.analytics import service, tasks, uploads
from pintar_ekspor.analytics.models import Analysis, AnalysisKind, AnalysisStatus, Dataset
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.analytics.schemas import (
    AnalysisAccepted,
    AnalysisOptions,
    AnalysisRead,
    AnalysisSummary,
    DatasetRead,
    ReadingOptions,
)
from pintar_ekspor.core.deps import AppSettings, DbSession, get_clock
from pintar_ekspor.core.errors import DomainError, problem_responses
from pintar_ekspor.core.pagination import Page, Pagination

router = APIRouter(prefix="/analytics", tags=["analytics"])

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A CSV or JSON file as multipart field `file`, or the data itself as a JSON body "
            '(an array of records or `{"data": [...]}`) or a `text/csv` body. Long format '
            "(`date, category, value`, Indonesian or English column names) or wide format "
            "(`date` plus one numeric column per category)."
        ),
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"type": "array", "items": {"type": "object"}},
                        {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": {"type": "object"}}},
                        },
                    ]
                },
                "example": [
                    {"tanggal": "2024-01", "komoditas": "Kopi", "nilai": 1250.5},
                    {"tanggal": "2024-02", "komoditas": "Kopi", "nilai": 1310.0},
                ],
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}

_ERRORS = problem_responses(400, 401, 403, 413, 415, 422, 429, 503, 504)


async def get_runner(request: Request) -> AnalyticsRunner:
    runner: AnalyticsRunner = request.app.state.analytics_runner
    return runner


Runner = Annotated[AnalyticsRunner, Depends(get_runner)]


async def _read_upload(
    request: Request,
) -> tuple[uploads.StoredUpload, str | None, str | None, str]:
    """The upload streamed to a temporary file, its name, content type and format."""
    content_type = (request.headers.get("content-type") or "").lower()
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise DomainError(
                "Send the file in the multipart field named 'file'.",
                code="missing_file",
                status_code=422,
            )
        stored = await uploads.spool(_parts(upload))
        name = upload.filename
        ctype = upload.content_type
        is_json = (ctype or "").endswith("json") or (name or "").lower().endswith(".json")
        return stored, name, ctype, "json" if is_json else "csv"
    if "json" in content_type:
        return await uploads.spool(request.stream()), None, "application/json", "json"
    if content_type.startswith(("text/csv", "text/plain", "application/csv")):
        return await uploads.spool(request.stream()), None, "text/csv", "csv"
    raise DomainError(
        "Send multipart/form-data with a 'file' field, application/json or text/csv.",
        code="unsupported_media_type",
        status_code=415,
    )


async def _parts(upload: Any) -> AsyncIterator[bytes]:
    while chunk := await upload.read(uploads.CHUNK):
        yield chunk


def _read_response(analysis: Analysis, dataset: Dataset | None = None) -> Response:
    """The `AnalysisRead` body. The stored result is JSON text spliced in as is: it can be
    tens of MB, and parsing and re-serialising it would only cost time and memory (the
    OpenAPI test checks that stored results match `AnalysisRead`'s published schema)."""
    status_url = f"/api/v1/analytics/analyses/{analysis.id}"
    summary = AnalysisSummary.model_validate(analysis)
    body = summary.model_dump(mode="json")
    body["dataset"] = (
        DatasetRead.model_validate(dataset).model_dump(mode="json") if dataset else None
    )
    body["status_url"] = status_url
    rest = json.dumps(body, separators=(",", ":"))
    result = analysis.result or "null"
    if summary.params.include_visualizations and analysis.result:
        result = tasks.with_charts(result, analysis.charts)
    content = '{"result":' + result + "," + rest[1:]
    return Response(content, media_type="application/json", headers={"Location": status_url})


async def _submit(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    runner: AnalyticsRunner,
    client: DeveloperPersonOrProgram,
    kind: AnalysisKind,
    options: AnalysisOptions,
) -> Analysis:
    upload, filename, ctype, fmt = await _read_upload(request)
    try:
        return await service.submit(
            session,
            runner,
            settings,
            owner=client.user,
            api_key_id=client.api_key_id,
            upload=upload,
            filename=filename,
            content_type=ctype,
            source_format=fmt,
            kind=kind,
            options=options,
            clock=await get_clock(request),
            metrics=request.app.state.metrics,
        )
    finally:
        upload.discard()


@router.post(
    "/analyze",
    operation_id="analyzeTimeSeries",
    response_model=AnalysisRead,
    responses={
        200: {
            "description": "The analysis, or with `export_format=csv` its result as CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        202: {"model": AnalysisAccepted, "description": "Large upload queued as a job"},
        **_ERRORS,
    },
    openapi_extra=_UPLOAD_BODY,
)
async def analyze(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    runner: Runner,
    client: DeveloperPersonOrProgram,
    options: Annotated[AnalysisOptions, Query()],
) -> Response:
    """Clean and analyse trade figures: trend, growth, seasonality, forecast, charts."""
    analysis = await _submit(request, session, settings, runner, client, AnalysisKind.FULL, options)
    status_url = f"/api/v1/analytics/analyses/{analysis.id}"
    if analysis.status == AnalysisStatus.QUEUED:
        accepted = AnalysisAccepted(id=analysis.id, status=analysis.status, status_url=status_url)
        return JSONResponse(
            accepted.model_dump(mode="json"), status_code=202, headers={"Location": status_url}
        )
    if options.export_format == "csv":
        return await _export(analysis, "csv", runner)
    return _read_response(analysis)


@router.post(
    "/quick-analysis",
    operation_id="quickAnalysis",
    response_model=AnalysisRead,
    responses=_ERRORS,
    openapi_extra=_UPLOAD_BODY,
)
async def quick_analysis(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    runner: Runner,
    client: DeveloperPersonOrProgram,
    reading: Annotated[ReadingOptions, Query()],
) -> Response:
    """Trend, growth and last value per category only: cheap and fast."""
    options = AnalysisOptions(
        include_forecast=False, include_visualizations=False, **reading.model_dump()
    )
    analysis = await _submit(
        request, session, settings, runner, client, AnalysisKind.QUICK, options
    )
    return _read_response(analysis)


@router.get("/analyses", operation_id="listAnalyses", response_model=Page[AnalysisSummary])
async def list_analyses(
    session: DbSession,
    client: DeveloperPersonOrProgram,
    page: Pagination,
    status: AnalysisStatus | None = None,
) -> Page[AnalysisSummary]:
    """Stored analyses: your own (admins: everyone's), newest first."""
    items, total = await service.list_analyses(session, client.user, page, status=status)
    return Page.of([AnalysisSummary.model_validate(a) for a in items], total, page)


@router.get(
    "/analyses/{analysis_id}",
    operation_id="getAnalysis",
    response_model=AnalysisRead,
    responses=problem_responses(404),
)
async def get_analysis(
    analysis_id: uuid.UUID, session: DbSession, client: DeveloperPersonOrProgram
) -> Response:
    """One stored analysis with its result (or its job status while it runs)."""
    analysis, dataset = await service.get_analysis(session, client.user, analysis_id)
    return _read_response(analysis, dataset)


async def _export(analysis: Analysis, fmt: str, runner: AnalyticsRunner) -> Response:
    result = service.require_result(analysis)
    stem = f"analysis-{analysis.id}"
    if fmt == "csv":
        text = await runner.run(tasks.export_csv, result)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
        )
    if service.options_of(analysis).include_visualizations:
        result = tasks.with_charts(result, analysis.charts)
    return Response(
        result,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{stem}.json"'},
    )


@router.get(
    "/analyses/{analysis_id}/export",
    operation_id="exportAnalysis",
    responses={
        200: {"content": {"text/csv": {}, "application/json": {}}},
        **problem_responses(404, 409),
    },
)
async def export_analysis(
    analysis_id: uuid.UUID,
    session: DbSession,
    client: DeveloperPersonOrProgram,
    runner: Runner,
    format: Literal["csv", "json"] = "json",
) -> Response:
    """Download a result as CSV (one section per table) or JSON."""
    analysis, _ = await service.get_analysis(session, client.user, analysis_id)
    return await _export(analysis, format, runner)


_CHART_FILE = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)\.(?P<fmt>svg|png)$")


@router.get(
    "/analyses/{analysis_id}/charts/{chart_file}",
    operation_id="getAnalysisChart",
    responses={
        200: {"content": {"image/svg+xml": {}, "image/png": {}}},
        **problem_responses(404, 409, 422),
    },
)
async def get_chart(
    analysis_id: uuid.UUID,
    chart_file: str,
    session: DbSession,
    client: DeveloperPersonOrProgram,
    runner: Runner,
) -> Response:
    """A chart of a stored analysis as SVG or PNG, e.g. `series.svg`, `forecast.png`."""
    match = _CHART_FILE.match(chart_file)
    if match is None:
        raise DomainError(
            "Ask for '<chart name>.svg' or '<chart name>.png'.",
            code="unknown_chart",
            status_code=404,
        )
    analysis, _ = await service.get_analysis(session, client.user, analysis_id)
    result = service.require_result(analysis)
    fmt = match["fmt"]
    outcome = await runner.run(tasks.render_chart, result, match["name"], fmt, analysis.charts)
    if not outcome.ok:
        problem = outcome.problem
        raise DomainError(
            problem["message"],
            code=problem["code"],
            status_code=404,
            extra={"details": problem.get("details") or {}},
        )
    media = "image/svg+xml" if fmt == "svg" else "image/png"
    return Response(outcome.content, media_type=media, headers={"Cache-Control": "private"})


@router.delete(
    "/analyses/{analysis_id}",
    operation_id="deleteAnalysis",
    status_code=204,
    responses=problem_responses(404),
)
async def delete_analysis(
    analysis_id: uuid.UUID, session: DbSession, client: DeveloperPersonOrProgram
) -> Response:
    """Delete a stored analysis and its dataset metadata."""
    await service.delete_analysis(session, client.user, analysis_id)
    return Response(status_code=204)
