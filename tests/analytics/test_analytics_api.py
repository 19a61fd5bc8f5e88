"""The analytics HTTP API: uploads, stored analyses, ownership, exports, charts, jobs."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from analytics_api_helpers import ANALYZE, PROBLEM, count_rows, upload
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from factories import api_key_headers, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.analytics import jobs
from pintar_ekspor.analytics.models import Analysis, AnalysisPayload, AnalysisStatus
from pintar_ekspor.analytics.runner import AnalyticsRunner
from pintar_ekspor.analytics.service import MAX_JOB_ATTEMPTS
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import utcnow
from pintar_ekspor.main import create_app

QUICK = "/api/v1/analytics/quick-analysis"


def monthly_rows() -> list[dict[str, Any]]:
    """Three years of two commodities with a trend and a yearly pattern."""
    rows = []
    for i in range(36):
        year, month = 2021 + i // 12, i % 12 + 1
        season = [0, 5, 12, 20, 15, 8, 3, -4, -10, -6, 0, 9][month - 1]
        rows.append(
            {"tanggal": f"{year}-{month:02d}", "komoditas": "Kopi", "nilai": 100 + 2 * i + season}
        )
        rows.append(
            {"tanggal": f"{year}-{month:02d}", "komoditas": "Kakao", "nilai": 80 + i + season / 2}
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    lines = ["tanggal,komoditas,nilai"] + [
        f"{r['tanggal']},{r['komoditas']},{r['nilai']}" for r in rows
    ]
    return ("\n".join(lines) + "\n").encode()


async def test_csv_upload_is_analysed_stored_and_fetched_again(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    response = await upload(
        client, developer_headers, to_csv(monthly_rows()), include_forecast="true"
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["rows"] == 72
    assert sorted(body["categories"]) == ["Kakao", "Kopi"]
    result = body["result"]
    assert result["meta"]
    names = {c["category"] for c in result["categories"]}
    assert names == {"Kakao", "Kopi"}
    assert result["forecast"], "forecast was asked for"
    again = await client.get(body["status_url"], headers=developer_headers)
    assert again.status_code == 200
    assert again.json()["result"] == result
    assert again.json()["dataset"]["size_bytes"] == len(to_csv(monthly_rows()))
    listing = await client.get("/api/v1/analytics/analyses", headers=developer_headers)
    assert listing.json()["total"] == 1
    assert listing.json()["items"][0]["id"] == body["id"]


async def test_json_body_and_csv_file_give_identical_results(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    from_csv = await upload(client, developer_headers, to_csv(monthly_rows()))
    from_json = await client.post(ANALYZE, headers=developer_headers, json={"data": monthly_rows()})
    assert from_csv.status_code == from_json.status_code == 200, from_json.text
    a, b = from_csv.json()["result"], from_json.json()["result"]
    assert a["categories"] == b["categories"]
    assert a["cross_category"] == b["cross_category"]


async def test_api_key_authenticates_and_learner_is_refused(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    developer = await create_user(db_session, settings, role=Role.DEVELOPER)
    _, raw = await create_api_key(db_session, settings, developer)
    ok = await upload(client, api_key_headers(raw), to_csv(monthly_rows()))
    assert ok.status_code == 200, ok.text
    ok_x = await client.post(
        QUICK, headers={"X-API-Key": raw}, files={"file": ("e.csv", to_csv(monthly_rows()))}
    )
    assert ok_x.status_code == 200, ok_x.text
    learner = await create_user(db_session, settings)
    refused = await upload(client, auth_headers(settings, learner), to_csv(monthly_rows()))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    anonymous = await upload(client, {}, to_csv(monthly_rows()))
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("payload", "params", "status", "code"),
    [
        (b"", {}, 422, "empty_file"),
        (b"   \n\n", {}, 422, "empty_file"),
        (b"tanggal,komoditas,nilai\n2024-01,Kopi,12\n", {}, 422, "not_enough_data"),
        (  # neither UTF-8 nor Windows-1252 (0x81 is undefined there)
            b"tanggal,komoditas,nilai\n2024-01,Caf\x81,1\n2024-02,Caf\x81,2\n",
            {},
            422,
            "invalid_encoding",
        ),
        (b"foo,bar\n1,2\n3,4\n5,6\n", {}, 422, "missing_columns"),
        (
            b"tanggal,nilai\n2024-01,12\n2024-02,abc\n2024-03,14\n2024-04,15\n",
            {"on_bad_rows": "reject"},
            422,
            "non_numeric_values",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", {}, 422, None),
    ],
)
async def test_bad_uploads_are_problems_and_store_nothing(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
    payload: bytes,
    params: dict[str, str],
    status: int,
    code: str | None,
) -> None:
    response = await upload(client, developer_headers, payload, **params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["detail"]
    if code:
        assert body["code"] == code
    assert await count_rows(db_session) == (0, 0)


async def test_bad_rows_are_reported_by_row_number_when_skipped(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    rows = to_csv(monthly_rows()).decode().splitlines()
    rows[5] = "2021-03,Kopi,not-a-number"
    response = await upload(client, developer_headers, ("\n".join(rows) + "\n").encode())
    assert response.status_code == 200, response.text
    text = json.dumps(response.json()["result"]["cleaning"])
    assert "5" in text  # the data row number of the bad line is reported
    assert response.json()["rows"] == 71


async def test_oversized_upload_is_413(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"analytics_max_upload_bytes": 100})
    data = to_csv(monthly_rows())
    response = await upload(client, developer_headers, data)
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert response.json()["details"] == {"size": len(data), "limit": 100}
    assert await count_rows(db_session) == (0, 0)

    # The same one check (the engine's limit) answers a raw body and an upload that would
    # be queued as a background job.
    raw = await client.post(
        ANALYZE,
        headers={**developer_headers, "content-type": "text/csv"},
        params={"include_forecast": "false"},
        content=data,
    )
    assert (raw.status_code, raw.json()["code"]) == (413, "file_too_large")
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 50}
    )
    queued = await upload(client, developer_headers, data)
    assert (queued.status_code, queued.json()["code"]) == (413, "file_too_large")
    assert await count_rows(db_session) == (0, 0)


async def test_wrong_content_type_is_415(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    response = await client.post(
        ANALYZE, headers={**developer_headers, "Content-Type": "application/xml"}, content=b"<a/>"
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM


async def test_owners_see_only_their_analyses_and_admins_see_all(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    owner = await create_user(db_session, settings, role=Role.DEVELOPER)
    other = await create_user(db_session, settings, role=Role.DEVELOPER)
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    created = await upload(client, auth_headers(settings, owner), to_csv(monthly_rows()))
    analysis_id = created.json()["id"]
    base = f"/api/v1/analytics/analyses/{analysis_id}"
    for path in (base, f"{base}/export?format=csv", f"{base}/charts/series.svg"):
        denied = await client.get(path, headers=auth_headers(settings, other))
        assert denied.status_code == 404, path
    assert (await client.delete(base, headers=auth_headers(settings, other))).status_code == 404
    other_list = await client.get(
        "/api/v1/analytics/analyses", headers=auth_headers(settings, other)
    )
    assert other_list.json()["total"] == 0
    admin_view = await client.get(base, headers=auth_headers(settings, admin))
    assert admin_view.status_code == 200
    admin_list = await client.get(
        "/api/v1/analytics/analyses", headers=auth_headers(settings, admin)
    )
    assert admin_list.json()["total"] == 1
    deleted = await client.delete(base, headers=auth_headers(settings, owner))
    assert deleted.status_code == 204
    assert (await client.get(base, headers=auth_headers(settings, owner))).status_code == 404
    assert await count_rows(db_session) == (0, 0)


async def test_exports_neutralise_formulas(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    rows = [
        dict(r, komoditas="=HYPERLINK(1)") if r["komoditas"] == "Kopi" else r
        for r in monthly_rows()
    ]
    created = await upload(client, developer_headers, to_csv(rows))
    assert created.status_code == 200, created.text
    base = created.json()["status_url"]
    csv_export = await client.get(
        f"{base}/export", params={"format": "csv"}, headers=developer_headers
    )
    assert csv_export.status_code == 200
    assert csv_export.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_export.headers["content-disposition"]
    text = csv_export.text
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text
    assert "\n=HYPERLINK" not in text
    json_export = await client.get(
        f"{base}/export", params={"format": "json"}, headers=developer_headers
    )
    assert json_export.status_code == 200
    assert json_export.json()["categories"] == created.json()["result"]["categories"]
    direct = await upload(client, developer_headers, to_csv(rows), export_format="csv")
    assert direct.headers["content-type"].startswith("text/csv")


async def test_charts_render_as_svg_and_png(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    created = await upload(
        client, developer_headers, to_csv(monthly_rows()), include_forecast="true"
    )
    # chart series are not in the answer unless asked for; the chart endpoints still work
    assert created.json()["result"]["charts"]["categories"] == []
    base = created.json()["status_url"]
    svg = await client.get(f"{base}/charts/series.svg", headers=developer_headers)
    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content[:500]
    png = await client.get(f"{base}/charts/forecast.png", headers=developer_headers)
    assert png.status_code == 200, png.text
    assert png.content.startswith(b"\x89PNG")
    unknown = await client.get(f"{base}/charts/nope.svg", headers=developer_headers)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM
    bad_ext = await client.get(f"{base}/charts/series.gif", headers=developer_headers)
    assert bad_ext.status_code == 404


async def test_quick_analysis_returns_trend_growth_last_value(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    response = await client.post(
        QUICK, headers=developer_headers, files={"file": ("e.csv", to_csv(monthly_rows()))}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == "quick"
    kopi = next(c for c in body["result"]["categories"] if c["category"] == "Kopi")
    assert kopi["trend_direction"] == "up"
    assert kopi["last_date"].startswith("2023-12")


async def test_large_upload_becomes_a_background_job(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    accepted = await upload(client, developer_headers, to_csv(monthly_rows()))
    assert accepted.status_code == 202, accepted.text
    status_url = accepted.json()["status_url"]
    assert accepted.headers["location"] == status_url
    queued = await client.get(status_url, headers=developer_headers)
    assert queued.json()["status"] == "queued"
    assert queued.json()["result"] is None
    not_ready = await client.get(f"{status_url}/export", headers=developer_headers)
    assert not_ready.status_code == 409
    assert await jobs.run_one_job(app) is True
    assert await jobs.run_one_job(app) is False
    done = await client.get(status_url, headers=developer_headers)
    assert done.json()["status"] == "succeeded"
    assert done.json()["progress"] == 100
    assert {c["category"] for c in done.json()["result"]["categories"]} == {"Kopi", "Kakao"}
    payloads = (
        await db_session.execute(select(func.count()).select_from(AnalysisPayload))
    ).scalar_one()
    assert payloads == 0


async def test_analysis_past_its_time_limit_is_504(
    app: Any, client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    slow = AnalyticsRunner(workers=1, timeout=0.001)
    app.state.analytics_runner = slow
    try:
        response = await upload(
            client, developer_headers, to_csv(monthly_rows()), include_forecast="true"
        )
    finally:
        slow.shutdown()
    assert response.status_code == 504
    assert response.json()["code"] == "analysis_timeout"


async def test_invalid_options_are_422(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    response = await upload(client, developer_headers, to_csv(monthly_rows()), horizon="-3")
    assert response.status_code == 422
    assert any(e["field"] == "horizon" for e in response.json()["errors"])
    response = await upload(client, developer_headers, to_csv(monthly_rows()), frequency="hourly")
    assert response.status_code == 422


async def test_a_job_whose_worker_keeps_dying_is_failed_not_retried_forever(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    accepted = await upload(client, developer_headers, to_csv(monthly_rows()))
    assert accepted.status_code == 202
    analysis = await db_session.get(Analysis, uuid.UUID(accepted.json()["id"]))
    assert analysis is not None
    # Three workers claimed it and died: the lease ran out each time.
    analysis.status = AnalysisStatus.RUNNING
    analysis.attempts = MAX_JOB_ATTEMPTS
    analysis.locked_until = utcnow() - timedelta(seconds=1)
    await db_session.flush()
    assert await jobs.run_one_job(app) is False
    failed = await client.get(accepted.json()["status_url"], headers=developer_headers)
    assert failed.json()["status"] == "failed"
    assert failed.json()["error"]["code"] == "analysis_abandoned"
    payloads = (
        await db_session.execute(select(func.count()).select_from(AnalysisPayload))
    ).scalar_one()
    assert payloads == 0


async def test_a_job_interrupted_by_shutdown_goes_back_to_the_queue(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    accepted = await upload(
        client, developer_headers, to_csv(monthly_rows()), include_forecast="true"
    )
    assert accepted.status_code == 202
    # A cold pool (its forkserver preloads pandas and statsmodels) keeps the job running.
    cold = AnalyticsRunner(workers=1, timeout=120)
    app.state.analytics_runner = cold
    working = asyncio.create_task(jobs.run_one_job(app))
    try:
        # Wait until the job has reached the pool (claimed, running, its payload loaded).
        # Not by polling the API: the test's requests and the job share one connection.
        for _ in range(400):
            if cold._pool is not None:
                break
            await asyncio.sleep(0.05)
        assert cold._pool is not None
        assert not working.done()
        working.cancel()  # what the lifespan does on SIGTERM
        with pytest.raises(asyncio.CancelledError):
            await working
    finally:
        cold.terminate()
    analysis = await db_session.get(Analysis, uuid.UUID(accepted.json()["id"]))
    assert analysis is not None
    await db_session.refresh(analysis)
    assert analysis.status == AnalysisStatus.QUEUED
    assert analysis.attempts == 0  # an interrupted run is not a failed attempt
    assert analysis.locked_until is None


async def test_forecasts_from_the_pool_equal_the_in_process_forecasts(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    """Forecasts run as separate tasks across the pool and are spliced into the result:
    the same numbers, in the same places (forecast list and chart), as one process gives."""
    from pintar_ekspor.analytics.engine import AnalysisParams, parse_records, run_analysis

    response = await upload(
        client,
        developer_headers,
        to_csv(monthly_rows()),
        include_forecast="true",
        include_visualizations="true",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    result = body["result"]
    local = run_analysis(
        parse_records(
            [
                {"date": r["tanggal"], "category": r["komoditas"], "value": r["nilai"]}
                for r in monthly_rows()
            ]
        ),
        AnalysisParams(include_forecast=True),
    )
    by_name = {f["category"]: f for f in result["forecast"]}
    for expected in local["forecast"]:
        got = by_name[expected["category"]]
        assert got["model"] == expected["model"]
        assert [p["mean"] for p in got["points"]] == pytest.approx(
            [p["mean"] for p in expected["points"]]
        )
    assert {c["category"] for c in result["charts"]["categories"]} == {"Kopi", "Kakao"}
    for chart in result["charts"]["categories"]:
        assert chart["forecast"] == by_name[chart["category"]]["points"]
        assert len(chart["series"]) == 36
    again = await client.get(body["status_url"], headers=developer_headers)
    assert again.json()["result"] == result
    exported = await client.get(f"{body['status_url']}/export", headers=developer_headers)
    assert exported.json()["charts"] == result["charts"]
    assert body["timings"]["forecast_series"] == 2


async def test_job_progress_moves_per_forecast_chunk(
    app: Any,
    client: httpx2.AsyncClient,
    developer_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pintar_ekspor.analytics import service

    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    rows = []
    for c in range(12):
        for i in range(36):
            rows.append(
                {
                    "tanggal": f"{2021 + i // 12}-{i % 12 + 1:02d}",
                    "komoditas": f"K{c:02d}",
                    "nilai": 100 + c + i + (i % 12),
                }
            )
    seen: list[int] = []
    original = service.report_progress

    async def record(session: AsyncSession, job_id: uuid.UUID, progress: int) -> None:
        seen.append(progress)
        await original(session, job_id, progress)

    monkeypatch.setattr(service, "report_progress", record)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY_SECONDS", 0.0)
    accepted = await upload(client, developer_headers, to_csv(rows), include_forecast="true")
    assert accepted.status_code == 202
    assert await jobs.run_one_job(app) is True
    # 12 series on one worker: 4 chunks of 3 -> 20 % after the analysis, then per chunk
    assert seen == [20, 38, 57, 76, 95]
    done = await client.get(accepted.json()["status_url"], headers=developer_headers)
    assert done.json()["status"] == "succeeded"
    assert done.json()["progress"] == 100
    assert len(done.json()["result"]["forecast"]) == 12


def test_job_time_limits_scale_with_size() -> None:
    from pintar_ekspor.analytics import execution

    small = execution.job_limits(120, 1_000_000, 2)
    large = execution.job_limits(120, 40_000_000, 2)
    assert small.analysis_seconds == pytest.approx(124)
    assert large.analysis_seconds == pytest.approx(280)
    assert small.forecast_seconds(10) == pytest.approx(125)
    assert large.forecast_seconds(500) == pytest.approx(370)
    request = execution.request_limits(120)
    assert request.analysis_seconds == request.forecast_seconds(500) == 120
    assert [len(c) for c in execution.chunks(list(range(500)), 2)] == [25] * 20
    assert [len(c) for c in execution.chunks(list(range(5)), 2)] == [1] * 5
    assert execution.chunks([], 2) == []


async def test_uploads_are_streamed_to_a_temporary_file_that_is_removed(
    client: httpx2.AsyncClient, developer_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker reads the spooled file (only its path crosses the process boundary), and
    the file is gone after the answer, for a raw CSV body and for a refused upload alike."""
    import tempfile
    from pathlib import Path

    from pintar_ekspor.analytics import execution

    spool_dir = Path(tempfile.mkdtemp())
    monkeypatch.setattr(tempfile, "tempdir", str(spool_dir))
    sources: list[Any] = []
    original = execution.analyse

    async def spy(runner: Any, source: Any, **kwargs: Any) -> Any:
        sources.append((source, Path(source).read_bytes()))
        return await original(runner, source, **kwargs)

    monkeypatch.setattr(execution, "analyse", spy)
    response = await client.post(
        ANALYZE,
        headers={**developer_headers, "Content-Type": "text/csv"},
        params={"include_forecast": "false"},
        content=to_csv(monthly_rows()),
    )
    assert response.status_code == 200, response.text
    assert len(sources) == 1
    path, content = sources[0]
    assert isinstance(path, str)
    assert path.startswith(str(spool_dir))
    assert content == to_csv(monthly_rows())
    bad = await client.post(
        ANALYZE,
        headers={**developer_headers, "Content-Type": "text/csv"},
        content=b"not,a,time series\n",
    )
    assert bad.status_code == 422
    assert list(spool_dir.iterdir()) == []


async def test_a_file_at_the_limit_is_not_refused_for_its_multipart_envelope(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    data = to_csv(monthly_rows())
    # The limit is fixed when the app is built (the request-body guard reads it then).
    app = create_app(settings.model_copy(update={"analytics_max_upload_bytes": len(data)}))
    app.state.engine = engine
    app.state.session_factory = session_factory
    transport = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
        at_limit = await upload(client, developer_headers, data)
        assert at_limit.status_code == 200, at_limit.text
        over = await upload(client, developer_headers, data + b"2024-01,Kopi,1\n")
        assert over.status_code == 413
        assert over.json()["code"] == "file_too_large"
        assert over.json()["details"]["limit"] == len(data)
