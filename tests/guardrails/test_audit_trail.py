"""Audit trail: ORM capture, redaction, request context, hash chain, admin and user views."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from factories import DEFAULT_PASSWORD, auth_headers, create_user
from pintar_ekspor.accounts.models import Role, User
from pintar_ekspor.audit import service as audit_service
from pintar_ekspor.audit import trail as audit
from pintar_ekspor.audit.models import AuditLog
from pintar_ekspor.core import context
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.context import RequestContext, get_context, set_context
from pintar_ekspor.core.db import utcnow

PROBLEM = "application/problem+json"


async def _rows(session: AsyncSession, **where: Any) -> list[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.seq)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditLog, name) == value)
    return list((await session.scalars(stmt)).all())


async def test_profile_change_records_old_and_new_values_with_request_context(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings, full_name="Sari Lama")
    response = await client.patch(
        "/api/v1/users/me",
        json={"full_name": "Sari Baru"},
        headers={
            **auth_headers(settings, user),
            "X-Request-ID": "req-profile-1",
            "User-Agent": "pytest-agent/1.0",
        },
    )
    assert response.status_code == 200, response.text
    [row] = await _rows(db_session, table_name="users", action="UPDATE", record_id=str(user.id))
    assert row.old_values == {"full_name": "Sari Lama"}
    assert row.new_values == {"full_name": "Sari Baru"}
    assert row.actor_user_id == user.id
    assert row.actor_api_key_id is None
    assert row.ip == "127.0.0.1"
    assert row.request_id == "req-profile-1"
    assert row.user_agent == "pytest-agent/1.0"
    # The request left no context behind in the caller.
    assert get_context().actor_user_id is None


async def test_course_title_change_records_old_and_new_titles(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    headers = auth_headers(settings, admin)
    created = await client.post(
        "/api/v1/admin/courses", json={"title": "Dasar Ekspor"}, headers=headers
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    patched = await client.patch(
        f"/api/v1/admin/courses/{course_id}",
        json={"title": "Dasar-Dasar Ekspor"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text

    listed = await client.get(
        "/api/v1/admin/audit-logs",
        params={"table_name": "courses", "record_id": course_id},
        headers=headers,
    )
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [i["action"] for i in items] == ["UPDATE", "INSERT"]  # newest first
    change = items[0]
    assert change["old_values"]["title"] == "Dasar Ekspor"
    assert change["new_values"]["title"] == "Dasar-Dasar Ekspor"
    assert change["actor_user_id"] == str(admin.id)
    assert items[1]["new_values"]["title"] == "Dasar Ekspor"


async def test_password_change_is_recorded_with_the_hash_redacted(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "Another-Long-Secret-2027"},
        headers=auth_headers(settings, user),
    )
    assert response.status_code == 204, response.text
    [change] = await _rows(db_session, table_name="users", action="UPDATE", record_id=str(user.id))
    assert change.old_values == {"password_hash": audit.REDACTED}
    assert change.new_values == {"password_hash": audit.REDACTED}
    events = await _rows(db_session, action="PASSWORD_CHANGED", user_id=user.id)
    assert len(events) == 1
    # No password hash anywhere in the trail, whatever the column.
    everything = (await db_session.execute(text("SELECT * FROM audit_log"))).all()
    assert not any("$argon2" in str(row) for row in everything)


async def test_insert_and_delete_are_recorded_and_secrets_redacted(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings, email="new.user@example.com")
    [insert] = await _rows(db_session, table_name="users", action="INSERT", record_id=str(user.id))
    assert insert.new_values is not None
    assert insert.new_values["email"] == "new.user@example.com"
    assert insert.new_values["password_hash"] == audit.REDACTED
    assert insert.new_values["role"] == "learner"
    assert insert.old_values is None

    await db_session.delete(user)
    await db_session.flush()
    [delete] = await _rows(db_session, table_name="users", action="DELETE", record_id=str(user.id))
    assert delete.old_values is not None
    assert delete.old_values["email"] == "new.user@example.com"
    assert delete.old_values["password_hash"] == audit.REDACTED
    assert delete.new_values is None


async def test_noise_columns_alone_do_not_create_rows(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    before = len(await _rows(db_session, table_name="users"))
    user.last_login_at = utcnow()
    user.failed_logins = 3
    await db_session.flush()
    assert len(await _rows(db_session, table_name="users")) == before
    user.is_active = False  # a real change: recorded, with the noise alongside
    await db_session.flush()
    rows = await _rows(db_session, table_name="users", action="UPDATE")
    assert rows[-1].new_values == {"is_active": False}


async def test_record_event_uses_the_context_and_redacts_details(
    db_session: AsyncSession,
) -> None:
    actor, subject, key_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    previous = get_context()
    set_context(
        RequestContext(
            request_id="req-42",
            ip="203.0.113.7",
            user_agent="agent",
            actor_user_id=actor,
            actor_api_key_id=key_id,
        )
    )
    try:
        await audit.record_event(
            db_session,
            "API_KEY_ROTATED",
            user_id=subject,
            table_name="api_keys",
            record_id="k1",
            details={
                "token": "abc",
                "raw_key": "pe_live_secret",
                "rehashed": True,
                "nested": {"client_secret": "x", "name": "ok"},
                "items": [{"password": "p"}],
                "when": datetime(2026, 1, 2, tzinfo=UTC),
            },
        )
    finally:
        set_context(previous)
    [row] = await _rows(db_session, action="API_KEY_ROTATED")
    assert (row.actor_user_id, row.actor_api_key_id, row.user_id) == (actor, key_id, subject)
    assert (row.ip, row.request_id, row.user_agent) == ("203.0.113.7", "req-42", "agent")
    assert row.details == {
        "token": audit.REDACTED,
        "raw_key": audit.REDACTED,
        "rehashed": True,
        "nested": {"client_secret": audit.REDACTED, "name": "ok"},
        "items": [{"password": audit.REDACTED}],
        "when": "2026-01-02T00:00:00+00:00",
    }


async def test_audit_can_be_switched_off(
    db_session: AsyncSession,
    settings: Settings,
    make_app: Callable[..., Any],
    client_for: Callable[..., Any],
) -> None:
    with context.audit_suspended():
        user = await create_user(db_session, settings)
        await audit.record_event(db_session, "LOGIN", user_id=user.id)
    assert await _rows(db_session, record_id=str(user.id)) == []
    assert await _rows(db_session, user_id=user.id) == []

    app = make_app(audit_enabled=False, rate_limit_enabled=False)
    async with client_for(app) as client:
        response = await client.patch(
            "/api/v1/users/me", json={"full_name": "Quiet"}, headers=auth_headers(settings, user)
        )
    assert response.status_code == 200
    assert await _rows(db_session, record_id=str(user.id)) == []
    assert context.is_audit_enabled()  # only that request was affected


async def test_chain_verifies_and_a_hand_edit_breaks_it_at_that_row(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    for n in range(4):
        user.full_name = f"Name {n}"
        await db_session.flush()
        await audit.record_event(db_session, "LOGIN", user_id=user.id, details={"n": n})
    report = await audit_service.verify_chain(db_session, batch_size=3)  # crosses batches
    assert report.ok, report
    rows = await _rows(db_session)
    assert report.rows_checked == len(rows) >= 9
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert report.head_hash == rows[-1].hash

    target = rows[len(rows) // 2]
    await db_session.execute(
        update(AuditLog)
        .where(AuditLog.id == target.id)
        .values(new_values={"full_name": "Someone Else"})
    )
    report = await audit_service.verify_chain(db_session, batch_size=3)
    assert not report.ok
    assert report.broken_seq == target.seq
    assert report.broken_id == target.id
    assert report.reason is not None
    assert "edited" in report.reason
    assert report.rows_checked == target.seq - 1


async def test_deleting_a_row_breaks_the_chain_at_the_next_one(
    db_session: AsyncSession, settings: Settings
) -> None:
    user = await create_user(db_session, settings)
    for n in range(3):
        await audit.record_event(db_session, "LOGIN", user_id=user.id, details={"n": n})
    rows = await _rows(db_session)
    await db_session.delete(rows[1])
    await db_session.flush()
    report = await audit_service.verify_chain(db_session)
    assert report.broken_seq == rows[2].seq


async def _run_cli(database_url: str, *args: str) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from pintar_ekspor.cli import app; app()",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_audit_verify_command_reports_the_first_broken_link(
    committed_app: Any, engine: AsyncEngine, database_url: str, settings: Settings
) -> None:
    factory = async_sessionmaker(engine, expire_on_commit=False)
    async with factory() as session:
        user = await create_user(session, settings)
        for n in range(3):
            await audit.record_event(session, "LOGIN", user_id=user.id, details={"n": n})
        await session.commit()
        rows = await _rows(session)

    code, out = await _run_cli(database_url, "audit", "verify")
    assert code == 0, out
    assert f"intact: {len(rows)} rows" in out

    target = rows[2]
    async with factory() as session:
        await session.execute(
            update(AuditLog).where(AuditLog.id == target.id).values(ip="198.51.100.66")
        )
        await session.commit()
    code, out = await _run_cli(database_url, "audit", "verify")
    assert code == 1, out
    assert f"BROKEN at seq {target.seq} (id {target.id})" in out


async def test_fifty_concurrent_writers_leave_one_unbroken_chain(
    committed_app: Any,
    committed_client: httpx2.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
) -> None:
    factory = async_sessionmaker(engine, expire_on_commit=False)
    async with factory() as session:
        users = [await create_user(session, settings) for _ in range(50)]
        await session.commit()

    async def rename(user: User, n: int) -> int:
        response = await committed_client.patch(
            "/api/v1/users/me",
            json={"full_name": f"Concurrent {n}"},
            headers=auth_headers(settings, user),
        )
        return response.status_code

    statuses = await asyncio.gather(*(rename(u, n) for n, u in enumerate(users)))
    assert statuses == [200] * 50

    async with factory() as session:
        report = await audit_service.verify_chain(session)
        rows = await _rows(session)
        updates = await _rows(session, action="UPDATE", table_name="users")
    assert report.ok, report
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert len({r.prev_hash for r in rows}) == len(rows)  # no two rows claim the same parent
    assert sorted(r.new_values["full_name"] for r in updates if r.new_values) == sorted(
        f"Concurrent {n}" for n in range(50)
    )


async def test_admin_audit_log_filters_and_pages(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    alice = await create_user(db_session, settings)
    for n in range(3):
        await audit.record_event(db_session, "LOGIN", user_id=alice.id, details={"n": n})
    headers = auth_headers(settings, admin)
    url = "/api/v1/admin/audit-logs"

    page = await client.get(url, params={"action": "login", "limit": 2}, headers=headers)
    assert page.status_code == 200
    body = page.json()
    assert (body["total"], body["limit"], len(body["items"])) == (3, 2, 2)
    assert [i["details"]["n"] for i in body["items"]] == [2, 1]  # newest first
    second = await client.get(
        url, params={"action": "LOGIN", "limit": 2, "offset": 2}, headers=headers
    )
    assert [i["details"]["n"] for i in second.json()["items"]] == [0]

    by_subject = await client.get(url, params={"user_id": str(alice.id)}, headers=headers)
    assert by_subject.json()["total"] == 3
    by_table = await client.get(
        url, params={"table_name": "users", "record_id": str(alice.id)}, headers=headers
    )
    assert [i["action"] for i in by_table.json()["items"]] == ["INSERT"]

    now = datetime.now(UTC)
    window = {"since": (now - timedelta(minutes=5)).isoformat(), "until": now.isoformat()}
    recent = await client.get(url, params={"action": "LOGIN", **window}, headers=headers)
    assert recent.json()["total"] == 3
    future = {"since": (now + timedelta(hours=1)).isoformat()}
    assert (await client.get(url, params=future, headers=headers)).json()["total"] == 0

    backwards = await client.get(
        url, params={"since": now.isoformat(), "until": window["since"]}, headers=headers
    )
    assert backwards.status_code == 422
    assert backwards.headers["content-type"] == PROBLEM
    assert backwards.json()["code"] == "invalid_time_range"
    bad_uuid = await client.get(url, params={"actor_user_id": "nope"}, headers=headers)
    assert bad_uuid.status_code == 422

    assert (await client.get(url)).status_code == 401
    forbidden = await client.get(url, headers=auth_headers(settings, alice))
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == PROBLEM


async def test_users_see_only_their_own_security_events(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    alice = await create_user(db_session, settings, email="alice@example.com")
    bob = await create_user(db_session, settings, email="bob@example.com")
    ok = await client.post(
        "/api/v1/auth/login",
        json={"email": "alice@example.com", "password": DEFAULT_PASSWORD},
        headers={"User-Agent": "alice-browser"},
    )
    assert ok.status_code == 200, ok.text
    failed = await client.post(
        "/api/v1/auth/login", json={"email": "alice@example.com", "password": "wrong-password"}
    )
    assert failed.status_code == 401
    bob_login = await client.post(
        "/api/v1/auth/login", json={"email": "bob@example.com", "password": DEFAULT_PASSWORD}
    )
    assert bob_login.status_code == 200
    # A data change on her account is in the admin trail, not in her security events.
    await client.patch(
        "/api/v1/users/me", json={"full_name": "Alice B"}, headers=auth_headers(settings, alice)
    )

    response = await client.get(
        "/api/v1/users/me/security-events", headers=auth_headers(settings, alice)
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["action"] for i in items] == ["LOGIN_FAILED", "LOGIN"]
    assert items[1]["user_agent"] == "alice-browser"
    assert items[1]["ip"] == "127.0.0.1"
    assert set(items[0]) == {"id", "occurred_at", "action", "ip", "user_agent", "details"}

    bobs = await client.get("/api/v1/users/me/security-events", headers=auth_headers(settings, bob))
    assert [i["action"] for i in bobs.json()["items"]] == ["LOGIN"]
    assert (await client.get("/api/v1/users/me/security-events")).status_code == 401
