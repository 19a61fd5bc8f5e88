"""Helpers of the analytics API tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.analytics.models import Analysis, Dataset

PROBLEM = "application/problem+json"
ANALYZE = "/api/v1/analytics/analyze"


async def count_rows(session: AsyncSession) -> tuple[int, int]:
    analyses = (await session.execute(select(func.count()).select_from(Analysis))).scalar_one()
    datasets = (await session.execute(select(func.count()).select_from(Dataset))).scalar_one()
    return int(analyses), int(datasets)


async def upload(
    client: httpx2.AsyncClient, headers: dict[str, str], data: bytes, **params: Any
) -> httpx2.Response:
    params.setdefault("include_forecast", "false")  # forecasts cost seconds; ask explicitly
    return await client.post(
        ANALYZE, headers=headers, params=params, files={"file": ("exports.csv", data, "text/csv")}
    )
