"""The published OpenAPI schema is honest about analyses: stored results validate against it.

The analysis endpoints relay the stored result as JSON text (never re-validated per
request), so `response_model=AnalysisRead` is a promise only a test can hold them to. Real
analyses of the web app's sample CSV (full with forecasts and charts, quick, a background
job, a failed job) are fetched back and validated against the schema that
`/api/v1/openapi.json` publishes for each endpoint: every key, type and bound, and no key
the schema does not name.
"""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import jsonschema_rs
import pytest
from analytics_api_helpers import ANALYZE
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.analytics import jobs
from pintar_ekspor.analytics.models import Analysis, AnalysisPayload, AnalysisStatus
from pintar_ekspor.analytics.service import MAX_JOB_ATTEMPTS
from pintar_ekspor.core.db import utcnow

SAMPLE = (
    Path(__file__).resolve().parents[2] / "frontend/public/samples/ekspor-indonesia-bulanan.csv"
)
QUICK = "/api/v1/analytics/quick-analysis"


@pytest.fixture
async def spec(client: httpx2.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    published: dict[str, Any] = response.json()
    return published


def validator(spec: dict[str, Any], path: str, method: str, status: str = "200") -> Any:
    """A JSON Schema validator for one endpoint's published JSON answer."""
    content = spec["paths"][path][method]["responses"][status]["content"]
    schema = {**content["application/json"]["schema"], "components": spec["components"]}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def assert_valid(check: Any, body: Any) -> None:
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in check.iter_errors(body)
    ]
    assert errors == [], errors[:10]


def stored(spec: dict[str, Any]) -> Any:
    return validator(spec, "/api/v1/analytics/analyses/{analysis_id}", "get")


async def test_a_full_analysis_of_the_sample_matches_the_published_schema(
    client: httpx2.AsyncClient, developer_headers: dict[str, str], spec: dict[str, Any]
) -> None:
    response = await client.post(
        ANALYZE,
        headers=developer_headers,
        params={"include_forecast": "true", "include_visualizations": "true", "horizon": "6"},
        files={"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200, response.text[:500]
    answered = response.json()
    assert answered["result"]["forecast"], "the sample is long enough to forecast"
    assert answered["result"]["charts"]["categories"], "the charts were asked for"
    assert_valid(validator(spec, "/api/v1/analytics/analyze", "post"), answered)

    again = await client.get(answered["status_url"], headers=developer_headers)
    body = again.json()
    assert body["result"] == answered["result"]
    check = stored(spec)
    assert_valid(check, body)

    # The check is strict: a key the schema does not name, a wrong type, a missing field or
    # a value out of its bounds each fail it.
    extra = copy.deepcopy(body)
    extra["result"]["meta"]["surprise"] = 1
    wrong = copy.deepcopy(body)
    wrong["result"]["categories"][0]["summary"]["mean"] = "12,5"
    missing = copy.deepcopy(body)
    del missing["result"]["forecast"][0]["points"][0]["upper95"]
    bounded = copy.deepcopy(body)
    bounded["params"]["horizon"] = 10_000
    for broken in (extra, wrong, missing, bounded):
        assert not check.is_valid(broken)

    listing = await client.get("/api/v1/analytics/analyses", headers=developer_headers)
    assert_valid(validator(spec, "/api/v1/analytics/analyses", "get"), listing.json())


async def test_a_quick_analysis_of_the_sample_matches_the_published_schema(
    client: httpx2.AsyncClient, developer_headers: dict[str, str], spec: dict[str, Any]
) -> None:
    response = await client.post(
        QUICK,
        headers=developer_headers,
        params={"category_columns": ["kode_hs", "negara_tujuan"]},
        files={"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/csv")},
    )
    assert response.status_code == 200, response.text[:500]
    assert_valid(validator(spec, "/api/v1/analytics/quick-analysis", "post"), response.json())
    body = (await client.get(response.json()["status_url"], headers=developer_headers)).json()
    assert body["kind"] == "quick"
    assert body["result"]["categories"]
    assert_valid(stored(spec), body)


async def test_background_jobs_queued_done_and_failed_match_the_published_schema(
    app: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
    spec: dict[str, Any],
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    check = stored(spec)
    data = SAMPLE.read_bytes()
    accepted = await client.post(
        ANALYZE,
        headers=developer_headers,
        params={"include_forecast": "false", "value_scale": "1000"},
        files={"file": (SAMPLE.name, data, "text/csv")},
    )
    assert accepted.status_code == 202, accepted.text
    assert_valid(validator(spec, "/api/v1/analytics/analyze", "post", "202"), accepted.json())
    url = accepted.json()["status_url"]
    queued = (await client.get(url, headers=developer_headers)).json()
    assert (queued["status"], queued["result"]) == ("queued", None)
    assert_valid(check, queued)

    assert await jobs.run_one_job(app) is True
    done = (await client.get(url, headers=developer_headers)).json()
    assert done["status"] == "succeeded"
    assert done["params"]["value_scale"] == 1000
    assert_valid(check, done)

    # A job the engine refuses when it runs (its stored upload replaced by one too short to
    # analyse), and one whose worker died on it every time: both failed, with a reason.
    refused = await queue(client, developer_headers)
    await db_session.execute(
        update(AnalysisPayload)
        .where(AnalysisPayload.analysis_id == refused)
        .values(data=b"tanggal,komoditas,nilai\n2024-01,Kopi,12\n")
    )
    assert await jobs.run_one_job(app) is True
    abandoned = await queue(client, developer_headers)
    await db_session.execute(
        update(Analysis)
        .where(Analysis.id == abandoned)
        .values(
            status=AnalysisStatus.RUNNING,
            attempts=MAX_JOB_ATTEMPTS,
            locked_until=utcnow() - timedelta(seconds=1),
        )
    )
    assert await jobs.run_one_job(app) is False
    for job_id, code in ((refused, "not_enough_data"), (abandoned, "analysis_abandoned")):
        url = f"/api/v1/analytics/analyses/{job_id}"
        failed = (await client.get(url, headers=developer_headers)).json()
        assert (failed["status"], failed["error"]["code"]) == ("failed", code)
        assert_valid(check, failed)


async def queue(client: httpx2.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    accepted = await client.post(
        ANALYZE,
        headers=headers,
        params={"include_forecast": "false"},
        files={"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/csv")},
    )
    assert accepted.status_code == 202, accepted.text
    return uuid.UUID(accepted.json()["id"])
