"""Completion certificates: issued once on completion, publicly verifiable, tamper-evident,
downloadable as a PDF, revocable by an admin, kept after withdrawal; and the e-mail."""

from __future__ import annotations

import re

import httpx2
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from course_builders import add_course, lesson_ids, text_lesson
from factories import assert_problem
from pintar_ekspor.accounts.models import User
from pintar_ekspor.learning.models import Certificate
from pintar_ekspor.notifications.models import EmailOutbox

API = "/api/v1"
CODE = re.compile(r"^PE-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


async def _complete_course(
    client: httpx2.AsyncClient, db_session: AsyncSession, headers: dict[str, str]
) -> tuple[str, str]:
    course = await add_course(
        db_session,
        "Sertifikat Ekspor",
        sections=[{"title": "Dasar", "lessons": [text_lesson("Satu"), text_lesson("Dua")]}],
    )
    assert (await client.post(f"{API}/courses/{course.id}/enroll", headers=headers)).is_success
    for lesson_id in lesson_ids(course):
        r = await client.post(f"{API}/lessons/{lesson_id}/complete", headers=headers)
        assert r.status_code == 200, r.text
    mine = (await client.get(f"{API}/users/me/certificates", headers=headers)).json()
    assert len(mine) == 1
    return str(course.id), mine[0]["code"]


async def test_completion_issues_one_verifiable_certificate_and_an_email(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    course_id, code = await _complete_course(client, db_session, learner_headers)
    assert CODE.match(code)

    # Public: no credentials needed, no e-mail or user id in the answer.
    r = await client.get(f"{API}/certificates/{code}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "valid"
    assert body["learner_name"] == learner.full_name
    assert body["course_title"] == "Sertifikat Ekspor"
    assert body["course_id"] == course_id
    assert body["lessons_completed"] == 2
    assert len(body["evidence_hash"]) == 64
    assert body["verify_url"].endswith(f"/certificates/{code}")
    assert learner.email not in r.text
    assert str(learner.id) not in r.text
    # A code typed in lower case with spaces still matches.
    spaced = code.lower().replace("-", " - ")
    assert (await client.get(f"{API}/certificates/{spaced}")).json()["code"] == code

    # Completing again (idempotent lesson completion) does not issue a second one.
    rows = (await db_session.scalars(select(Certificate))).all()
    assert len(rows) == 1

    emails = (
        await db_session.scalars(
            select(EmailOutbox).where(EmailOutbox.template == "course_completed")
        )
    ).all()
    assert [e.to_address for e in emails] == [learner.email]
    assert emails[0].context["certificate_code"] == code


async def test_pdf_names_the_learner_and_the_course(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner: User,
    learner_headers: dict[str, str],
) -> None:
    _, code = await _complete_course(client, db_session, learner_headers)
    r = await client.get(f"{API}/certificates/{code}/pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    # Title and subject metadata carry the names in clear text.
    assert b"Sertifikat Ekspor" in r.content
    english = await client.get(f"{API}/certificates/{code}/pdf", params={"lang": "en"})
    assert english.status_code == 200
    assert b"Certificate of Completion" in english.content
    assert_problem(await client.get(f"{API}/certificates/{code}/pdf", params={"lang": "fr"}), 422)


async def test_a_tampered_record_no_longer_verifies(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
) -> None:
    _, code = await _complete_course(client, db_session, learner_headers)
    await db_session.execute(
        update(Certificate).where(Certificate.code == code).values(learner_name="Orang Lain")
    )
    db_session.expire_all()
    body = (await client.get(f"{API}/certificates/{code}")).json()
    assert body["status"] == "tampered"
    assert body["learner_name"] == "Orang Lain"


async def test_admin_revokes_and_withdrawal_keeps_the_certificate(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    learner_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    course_id, code = await _complete_course(client, db_session, learner_headers)

    # Withdrawing from a completed course keeps the certificate valid.
    await client.delete(f"{API}/courses/{course_id}/enroll", headers=learner_headers)
    assert (await client.get(f"{API}/certificates/{code}")).json()["status"] == "valid"

    reason = {"reason": "Diterbitkan karena kesalahan data."}
    assert_problem(
        await client.post(
            f"{API}/admin/certificates/{code}/revoke", json=reason, headers=learner_headers
        ),
        403,
    )
    assert_problem(await client.post(f"{API}/admin/certificates/{code}/revoke", json=reason), 401)
    r = await client.post(
        f"{API}/admin/certificates/{code}/revoke", json=reason, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked"
    public = (await client.get(f"{API}/certificates/{code}")).json()
    assert (public["status"], public["revoked_reason"]) == ("revoked", reason["reason"])
    assert_problem(
        await client.post(
            f"{API}/admin/certificates/{code}/revoke", json=reason, headers=admin_headers
        ),
        409,
        code="certificate_revoked",
    )


async def test_unknown_and_malformed_codes_are_problems(client: httpx2.AsyncClient) -> None:
    assert_problem(
        await client.get(f"{API}/certificates/PE-AAAA-BBBB-CCCC"), 404, code="certificate_not_found"
    )
    assert_problem(await client.get(f"{API}/certificates/%3Cscript%3E"), 422)
