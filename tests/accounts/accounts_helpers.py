"""Helpers shared by the accounts tests."""

from __future__ import annotations

from typing import Any

import httpx2
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.notifications.models import EmailOutbox

PASSWORD = "Ekspor-Kopi-Gayo-2026"
PROBLEM = "application/problem+json"


async def register(
    client: httpx2.AsyncClient, email: str, password: str = PASSWORD, **extra: Any
) -> httpx2.Response:
    body = {"email": email, "password": password, "full_name": "Siti Exporter", **extra}
    return await client.post("/api/v1/auth/register", json=body)


async def login(
    client: httpx2.AsyncClient, email: str, password: str = PASSWORD
) -> httpx2.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def signed_in(client: httpx2.AsyncClient, email: str) -> dict[str, Any]:
    """Register and log in; returns the login body."""
    created = await register(client, email)
    assert created.status_code == 201, created.text
    response = await login(client, email)
    assert response.status_code == 200, response.text
    client.cookies.clear()  # each test decides explicitly whether it sends the cookie
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def emails_to(session: AsyncSession, address: str) -> list[EmailOutbox]:
    rows = await session.scalars(
        select(EmailOutbox)
        .where(EmailOutbox.to_address == address)
        .order_by(EmailOutbox.created_at)
    )
    return list(rows)


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "request_id"}
