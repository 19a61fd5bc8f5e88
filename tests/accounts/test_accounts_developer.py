"""Developer upgrade and API keys: format, storage, authentication, limits, rotation."""

from __future__ import annotations

import hashlib
import hmac
import uuid
import zlib
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from accounts_helpers import PROBLEM, bearer, emails_to, signed_in
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from factories import api_key_headers, auth_headers, create_api_key, create_user
from pintar_ekspor.accounts import api_keys
from pintar_ekspor.accounts.models import ApiKey, Role, User
from pintar_ekspor.core.clock import ManualClock
from pintar_ekspor.core.config import Settings
from pintar_ekspor.notifications.models import EmailOutbox

PROBE = "/api/v1/_probe/developer"
KEYS = "/api/v1/developer/keys"


async def _developer(
    session: AsyncSession, settings: Settings, **kw: Any
) -> tuple[User, dict[str, str]]:
    user = await create_user(session, settings, role=Role.DEVELOPER, **kw)
    return user, auth_headers(settings, user)


async def test_upgrade_returns_a_key_that_works_until_revoked_and_is_never_stored_plainly(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    """Acceptance: upgrade → key authenticates a developer-only route with both header forms
    → revoke → refused; the database holds neither the key nor the refresh token in clear."""
    tokens = await signed_in(client, "upgrader@example.com")
    headers = bearer(tokens["access_token"])
    assert (await client.get(PROBE, headers=headers)).status_code == 403  # still a learner

    response = await client.post("/api/v1/developer/upgrade", headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["role"] == "developer"
    raw = body["api_key"]["key"]
    assert raw.startswith("pe_live_")
    assert body["api_key"]["prefix"] == raw[:16]

    for key_headers in ({"Authorization": f"ApiKey {raw}"}, {"X-API-Key": raw}):
        probe = await client.get(PROBE, headers=key_headers)
        assert probe.status_code == 200, probe.text
        assert probe.json() == {"user_id": body["user"]["id"], "api_key_id": body["api_key"]["id"]}
    assert (await client.get(PROBE, headers=headers)).status_code == 200  # the JWT too, now

    # Nothing in the database is the key or the refresh token.
    user_id = uuid.UUID(body["user"]["id"])
    key_rows = (
        (await db_session.execute(select(ApiKey.__table__).where(ApiKey.user_id == user_id)))
        .mappings()
        .all()
    )
    assert len(key_rows) == 1
    expected_hash = hmac.new(
        settings.api_key_salt.get_secret_value().encode(), raw.encode(), hashlib.sha256
    ).hexdigest()
    assert key_rows[0]["key_hash"] == expected_hash
    from pintar_ekspor.accounts.models import RefreshToken

    token_rows = (
        (
            await db_session.execute(
                select(RefreshToken.__table__).where(RefreshToken.user_id == user_id)
            )
        )
        .mappings()
        .all()
    )
    outbox_rows = (
        (
            await db_session.execute(
                select(EmailOutbox.__table__).where(
                    EmailOutbox.to_address == "upgrader@example.com"
                )
            )
        )
        .mappings()
        .all()
    )
    dumped = repr([dict(r) for r in [*key_rows, *token_rows, *outbox_rows]])
    assert raw not in dumped
    assert raw[16:] not in dumped  # not even the secret part after the visible prefix
    assert tokens["refresh_token"] not in dumped

    revoked = await client.delete(f"{KEYS}/{body['api_key']['id']}", headers=headers)
    assert revoked.status_code == 204
    for key_headers in ({"Authorization": f"ApiKey {raw}"}, {"X-API-Key": raw}):
        refused = await client.get(PROBE, headers=key_headers)
        assert refused.status_code == 401
        assert refused.json()["code"] == "api_key_revoked"


async def test_upgrade_queues_the_key_email_with_the_key_only_in_the_secret_context(
    client: httpx2.AsyncClient, db_session: AsyncSession
) -> None:
    tokens = await signed_in(client, "mail-me@example.com")
    body = (
        await client.post(
            "/api/v1/developer/upgrade",
            json={"key_name": "CI"},
            headers=bearer(tokens["access_token"]),
        )
    ).json()
    assert body["api_key"]["name"] == "CI"
    emails = await emails_to(db_session, "mail-me@example.com")
    assert [e.template for e in emails] == ["welcome", "developer_upgrade"]
    upgrade_mail = emails[-1]
    assert upgrade_mail.secret_ciphertext
    assert body["api_key"]["key"] not in repr(upgrade_mail.context)
    assert upgrade_mail.context["key_prefix"] == body["api_key"]["prefix"]


async def test_upgrade_is_only_for_learners(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    tokens = await signed_in(client, "twice@example.com")
    headers = bearer(tokens["access_token"])
    assert (await client.post("/api/v1/developer/upgrade", headers=headers)).status_code == 201
    again = await client.post("/api/v1/developer/upgrade", headers=headers)
    assert again.status_code == 409
    assert again.json()["code"] == "already_developer"
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    response = await client.post("/api/v1/developer/upgrade", headers=auth_headers(settings, admin))
    assert response.status_code == 409
    assert (await client.post("/api/v1/developer/upgrade")).status_code == 401


@pytest.mark.parametrize("path", [KEYS, "/api/v1/developer/key"])
async def test_create_a_key_on_both_paths(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    clock: ManualClock,
    path: str,
) -> None:
    user, headers = await _developer(
        db_session, settings, email=f"{uuid.uuid4().hex[:8]}@example.com"
    )
    response = await client.post(
        path, json={"name": "Dashboard", "expires_in_days": 30}, headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Dashboard"
    assert body["key"].startswith("pe_live_")
    assert body["revoked_at"] is None
    assert body["last_used_at"] is None
    expires = body["expires_at"]
    assert expires.startswith((clock.now() + timedelta(days=30)).date().isoformat())
    assert (await client.get(PROBE, headers=api_key_headers(body["key"]))).status_code == 200
    [mail] = [e for e in await emails_to(db_session, user.email) if e.template == "api_key_created"]
    assert mail.secret_ciphertext


async def test_key_format_checksum_and_entropy() -> None:
    keys = {api_keys.generate_key() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        _, random_part, checksum = key.rsplit("_", 2)
        assert key.startswith("pe_live_")
        assert len(random_part) == 33
        assert random_part.isalnum()
        assert len(checksum) == 6
        assert api_keys.has_valid_checksum(key)
        expected = zlib.crc32(key.rsplit("_", 1)[0].encode())
        assert api_keys._base62(expected, 6) == checksum
    key = next(iter(keys))
    flipped = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert not api_keys.has_valid_checksum(flipped)
    assert not api_keys.has_valid_checksum(key.replace("pe_live_", "pe_test_"))
    assert not api_keys.has_valid_checksum("pe_live_short_abcdef")


async def test_a_key_with_a_bad_checksum_never_reaches_the_database(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, query_counter: Any
) -> None:
    user, _ = await _developer(db_session, settings)
    _, raw = await create_api_key(db_session, settings, user)
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    query_counter.active = True
    response = await client.get(PROBE, headers={"X-API-Key": tampered})
    query_counter.active = False
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"
    assert query_counter.count == 0, query_counter.statements
    # A well-formed key nobody issued is looked up and refused the same way.
    assert (await client.get(PROBE, headers={"X-API-Key": api_keys.generate_key()})).json()[
        "code"
    ] == "invalid_api_key"


async def test_keys_of_demoted_or_deactivated_users_and_expired_keys_are_refused(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, clock: ManualClock
) -> None:
    demoted, _ = await _developer(db_session, settings)
    _, demoted_key = await create_api_key(db_session, settings, demoted)
    demoted.role = Role.LEARNER
    inactive, _ = await _developer(db_session, settings)
    _, inactive_key = await create_api_key(db_session, settings, inactive)
    inactive.is_active = False
    active, _ = await _developer(db_session, settings)
    _, expiring = await create_api_key(
        db_session, settings, active, expires_at=clock.now() + timedelta(hours=1)
    )
    await db_session.flush()
    for raw in (demoted_key, inactive_key):
        response = await client.get(PROBE, headers=api_key_headers(raw))
        assert response.status_code == 401
        assert response.json()["code"] == "api_key_not_allowed"
    assert (await client.get(PROBE, headers=api_key_headers(expiring))).status_code == 200
    clock.advance(3601)
    expired = await client.get(PROBE, headers=api_key_headers(expiring))
    assert expired.status_code == 401
    assert expired.json()["code"] == "api_key_expired"


async def test_last_used_at_is_written_at_most_once_a_minute(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, clock: ManualClock
) -> None:
    user, _ = await _developer(db_session, settings)
    key, raw = await create_api_key(db_session, settings, user)
    table = ApiKey.__table__

    async def last_used() -> Any:
        return (
            await db_session.execute(select(table.c.last_used_at).where(table.c.id == key.id))
        ).scalar_one()

    first_use = clock.now()
    await client.get(PROBE, headers=api_key_headers(raw))
    assert abs((await last_used() - first_use).total_seconds()) < 1
    clock.advance(30)
    await client.get(PROBE, headers=api_key_headers(raw))
    assert abs((await last_used() - first_use).total_seconds()) < 1
    clock.advance(31)
    await client.get(PROBE, headers=api_key_headers(raw))
    assert abs((await last_used() - clock.now()).total_seconds()) < 1


async def test_listing_shows_metadata_never_secrets(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    _, headers = await _developer(db_session, settings)
    created = [
        (await client.post(KEYS, json={"name": f"key {i}"}, headers=headers)).json()
        for i in range(3)
    ]
    await client.delete(f"{KEYS}/{created[0]['id']}", headers=headers)
    response = await client.get(KEYS, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    for item in body["items"]:
        assert set(item) == {
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        }
    assert all(c["key"] not in response.text for c in created)
    revoked = [i for i in body["items"] if i["id"] == created[0]["id"]]
    assert revoked[0]["revoked_at"] is not None


async def test_at_most_ten_active_keys(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    _, headers = await _developer(db_session, settings)
    ids = []
    for i in range(settings.max_api_keys_per_user):
        response = await client.post(KEYS, json={"name": f"k{i}"}, headers=headers)
        assert response.status_code == 201
        ids.append(response.json()["id"])
    over = await client.post(KEYS, json={"name": "one too many"}, headers=headers)
    assert over.status_code == 409
    assert over.json()["code"] == "api_key_limit"
    # Rotation swaps one key for another, so it is allowed at the limit.
    assert (await client.post(f"{KEYS}/{ids[0]}/rotate", headers=headers)).status_code == 201
    await client.delete(f"{KEYS}/{ids[1]}", headers=headers)
    assert (
        await client.post(KEYS, json={"name": "fits again"}, headers=headers)
    ).status_code == 201


async def test_rotate_replaces_the_key_and_keeps_its_name_and_lifetime(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, clock: ManualClock
) -> None:
    user, headers = await _developer(db_session, settings)
    old = (
        await client.post(KEYS, json={"name": "Prod", "expires_in_days": 90}, headers=headers)
    ).json()
    clock.advance(24 * 3600)
    response = await client.post(f"{KEYS}/{old['id']}/rotate", headers=headers)
    assert response.status_code == 201
    new = response.json()
    assert new["id"] != old["id"]
    assert new["key"] != old["key"]
    assert new["name"] == "Prod"
    assert new["expires_at"].startswith((clock.now() + timedelta(days=90)).date().isoformat())
    assert (await client.get(PROBE, headers=api_key_headers(old["key"]))).status_code == 401
    assert (await client.get(PROBE, headers=api_key_headers(new["key"]))).status_code == 200
    again = await client.post(f"{KEYS}/{old['id']}/rotate", headers=headers)
    assert again.status_code == 409
    templates = [e.template for e in await emails_to(db_session, user.email)]
    assert templates.count("api_key_rotated") == 1


async def test_another_users_key_is_not_found(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    owner, _ = await _developer(db_session, settings)
    key, raw = await create_api_key(db_session, settings, owner)
    _, intruder = await _developer(db_session, settings)
    for method, path in (("DELETE", f"{KEYS}/{key.id}"), ("POST", f"{KEYS}/{key.id}/rotate")):
        response = await client.request(method, path, headers=intruder)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
    assert (await client.get(PROBE, headers=api_key_headers(raw))).status_code == 200


async def test_revoking_twice_is_harmless_and_emails_once(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    user, headers = await _developer(db_session, settings)
    created = (await client.post(KEYS, json={"name": "tmp"}, headers=headers)).json()
    assert (await client.delete(f"{KEYS}/{created['id']}", headers=headers)).status_code == 204
    assert (await client.delete(f"{KEYS}/{created['id']}", headers=headers)).status_code == 204
    templates = [e.template for e in await emails_to(db_session, user.email)]
    assert templates.count("api_key_revoked") == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "x" * 101},
        {"name": "k", "expires_in_days": 0},
        {"name": "k", "expires_at": "2020-01-01T00:00:00Z"},
        {"name": "k", "expires_at": "2099-01-01T00:00:00"},
        {"name": "k", "expires_at": "2099-01-01T00:00:00Z", "expires_in_days": 5},
        {"name": "k", "user_id": str(uuid.uuid4())},
    ],
)
async def test_create_key_validation(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings, body: dict[str, Any]
) -> None:
    _, headers = await _developer(db_session, settings)
    response = await client.post(KEYS, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM


async def test_who_may_manage_keys(
    client: httpx2.AsyncClient, db_session: AsyncSession, settings: Settings
) -> None:
    learner = await create_user(db_session, settings)
    response = await client.post(KEYS, json={"name": "k"}, headers=auth_headers(settings, learner))
    assert response.status_code == 403
    assert response.json()["code"] == "developer_required"
    assert (await client.get(KEYS)).status_code == 401
    dev, _ = await _developer(db_session, settings)
    _, raw = await create_api_key(db_session, settings, dev)
    by_key = await client.post(KEYS, json={"name": "k"}, headers=api_key_headers(raw))
    assert by_key.status_code == 403
    assert by_key.json()["code"] == "jwt_required"
    admin = await create_user(db_session, settings, role=Role.ADMIN)
    as_admin = await client.post(KEYS, json={"name": "k"}, headers=auth_headers(settings, admin))
    assert as_admin.status_code == 201
