"""Fixtures of the accounts tests: a manual clock and a developer-only probe route."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter

from pintar_ekspor.accounts.dependencies import DeveloperPersonOrProgram
from pintar_ekspor.core.clock import ManualClock

PROBE_PATH = "/api/v1/_probe/developer"


def _add_probe(app: Any) -> Any:
    """A developer-only route that needs nothing but authentication to answer."""
    probe = APIRouter()

    @probe.get(PROBE_PATH)
    async def developer_probe(principal: DeveloperPersonOrProgram) -> dict[str, str | None]:
        return {
            "user_id": str(principal.user.id),
            "api_key_id": str(principal.api_key_id) if principal.api_key_id else None,
        }

    app.include_router(probe)
    return app


@pytest.fixture
def app(app: Any) -> Any:
    return _add_probe(app)


@pytest.fixture
def committed_app(committed_app: Any) -> Any:
    return _add_probe(committed_app)


@pytest.fixture
def clock(app: Any) -> ManualClock:
    """The app's clock, frozen at the current time until the test advances it."""
    manual = ManualClock()
    app.state.clock = manual
    return manual
