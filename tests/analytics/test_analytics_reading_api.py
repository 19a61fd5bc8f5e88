"""The API's reading options, validation of large uploads, and hostile names and values."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import httpx2
import pytest
from analytics_api_helpers import ANALYZE, PROBLEM, count_rows, upload
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.analytics import jobs
from pintar_ekspor.analytics.models import Analysis, AnalysisPayload, AnalysisStatus

BPS = (
    "Ekspor menurut Kode HS dan Negara Tujuan\n"
    "Tahun;Bulan;Kode HS;Negara Tujuan;Nilai FOB (US$);Berat Bersih (Kg)\n"
    + "".join(
        f"{2022 + m // 12};{['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'][m % 12]};"  # noqa: E501
        f"{code};{country};{(1 + m) * 1000 + k}.{500 + m:03d};{10 + m},5\n"
        for m in range(24)
        for k, (code, country) in enumerate(
            [("0901", "Jepang"), ("0901", "Mesir"), ("901", "Jepang")]
        )
    )
    + ";;;Jumlah;999.999.999;\n"
).encode()


async def test_reading_options_are_accepted_and_reported(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    response = await client.post(
        ANALYZE,
        headers=developer_headers,
        params=[
            ("include_forecast", "false"),
            ("category_columns", "Kode HS"),
            ("value_column", "Berat Bersih (Kg)"),
            ("value_scale", "1000"),
            ("duplicates", "reject"),
            ("gap_fill", "interpolate"),
        ],
        files={"file": ("bps.csv", BPS, "text/csv")},
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["meta"]["input"]["columns"]["values"] == ["Berat Bersih (Kg)"]
    assert result["meta"]["input"]["columns"]["summed_over"] == ["Negara Tujuan"]
    assert result["meta"]["params"]["gap_fill"] == "interpolate"
    assert sorted(result["meta"]["categories"]) == ["0901", "901"]
    kopi = next(c for c in result["categories"] if c["category"] == "0901")
    assert kopi["summary"]["first"] == pytest.approx(2 * 10.5 * 1000)
    changes = " ".join(result["cleaning"]["changes"])
    assert "multiplied by 1,000" in changes
    assert any("Jumlah" in r["text"] for r in result["meta"]["input"]["total_rows"])


async def test_ambiguous_numbers_are_a_422_naming_the_column(
    client: httpx2.AsyncClient, db_session: AsyncSession, developer_headers: dict[str, str]
) -> None:
    data = b"tanggal;nilai\n2024-01;812.345\n2024-02;1.250\n2024-03;2.000\n"
    response = await upload(client, developer_headers, data)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "ambiguous_numbers"
    assert "'nilai'" in body["detail"]
    assert await count_rows(db_session) == (0, 0)
    fixed = await upload(client, developer_headers, data, decimal=",")
    assert fixed.status_code == 200, fixed.text


async def test_json_record_with_an_object_value_is_a_422_not_a_500(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    body = [{"tanggal": f"2024-{m:02d}", "nilai": {"a": m}} for m in range(1, 7)]
    response = await client.post(
        ANALYZE, headers=developer_headers, params={"include_forecast": "false"}, json=body
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "non_numeric_values"


async def test_math_text_in_a_category_name_does_not_break_charts(
    client: httpx2.AsyncClient, developer_headers: dict[str, str]
) -> None:
    rows = [
        {"tanggal": f"2023-{m:02d}", "komoditas": name, "nilai": 10 + m + k}
        for m in range(1, 13)
        for k, name in enumerate(["$\\frac{1}{$", "Kopi $x^2$"])
    ]
    created = await client.post(
        ANALYZE, headers=developer_headers, params={"include_forecast": "false"}, json=rows
    )
    assert created.status_code == 200, created.text
    base = created.json()["status_url"]
    for chart in ("series.svg", "series.png", "shares.svg"):
        response = await client.get(f"{base}/charts/{chart}", headers=developer_headers)
        assert response.status_code == 200, (chart, response.text)


@pytest.fixture
def small_threshold(app: Any) -> Any:
    app.state.settings = app.state.settings.model_copy(
        update={"analytics_background_threshold_bytes": 100}
    )
    return app


async def test_large_random_bytes_are_refused_before_queueing(
    client: httpx2.AsyncClient, db_session: AsyncSession, developer_headers: dict[str, str]
) -> None:
    data = os.urandom(6 * 1024 * 1024)  # over the default 5 MB background threshold
    response = await upload(client, developer_headers, data)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["code"] == "invalid_encoding"
    assert await count_rows(db_session) == (0, 0)
    payloads = await db_session.execute(select(func.count()).select_from(AnalysisPayload))
    assert payloads.scalar_one() == 0


async def test_large_upload_without_required_columns_is_refused_before_queueing(
    small_threshold: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    data = b"foo,bar\n" + b"".join(f"{i},{i}\n".encode() for i in range(200))
    response = await upload(client, developer_headers, data)
    assert response.status_code == 422
    assert response.json()["code"] == "missing_columns"
    assert await count_rows(db_session) == (0, 0)


async def test_failed_background_job_keeps_its_reason_but_not_the_bytes(
    small_threshold: Any,
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    developer_headers: dict[str, str],
) -> None:
    good = "".join(f"{2000 + i // 12}-{i % 12 + 1:02d},Kopi,{i + 1}\n" for i in range(2100))
    bad = "".join(f"{2200 + i // 12}-{i % 12 + 1:02d},Kopi,n/a?\n" for i in range(300))
    data = f"tanggal,komoditas,nilai\n{good}{bad}".encode()  # the head validates, the tail fails
    accepted = await upload(client, developer_headers, data)
    assert accepted.status_code == 202, accepted.text
    assert await jobs.run_one_job(small_threshold) is True
    status = await client.get(accepted.json()["status_url"], headers=developer_headers)
    assert status.json()["status"] == "failed"
    assert status.json()["error"]["code"] == "non_numeric_values"
    analysis = await db_session.get(Analysis, uuid.UUID(accepted.json()["id"]))
    assert analysis is not None
    assert analysis.status == AnalysisStatus.FAILED
    payloads = await db_session.execute(select(func.count()).select_from(AnalysisPayload))
    assert payloads.scalar_one() == 0
    assert json.dumps(status.json()["error"])
