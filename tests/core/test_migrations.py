"""Models and Alembic migrations agree: autogenerate finds nothing to do."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from pintar_ekspor.core.db import Base


def _diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "render_as_batch": connection.dialect.name == "sqlite"},
    )
    diffs: list[Any] = compare_metadata(context, Base.metadata)
    return diffs


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
async def test_migrations_match_models(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diffs = await conn.run_sync(_diff)
    assert diffs == [], f"models and migrations differ on {engine.dialect.name}: {diffs}"


async def test_every_table_has_a_primary_key_and_named_constraints() -> None:
    for table in Base.metadata.sorted_tables:
        assert table.primary_key.columns, f"{table.name} has no primary key"
        assert table.primary_key.name == f"pk_{table.name}"
