"""Draft revisions: edits to a published course stay hidden from learners until published."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from course_builders import add_course, lesson_ids, text_lesson
from factories import assert_problem, auth_headers, create_user
from pintar_ekspor.accounts.models import Role
from pintar_ekspor.audit.models import AuditLog
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import create_session_factory
from pintar_ekspor.courses.models import Course, Lesson
from pintar_ekspor.learning.models import LessonProgress

API = "/api/v1"
ADMIN = f"{API}/admin/courses"


async def _published(session: AsyncSession) -> Course:
    return await add_course(
        session,
        "Dokumen Ekspor",
        sections=[
            {"title": "Bagian 1", "lessons": [text_lesson("Pengantar"), text_lesson("Invoice")]},
            {"title": "Bagian 2", "lessons": [text_lesson("Packing list")]},
        ],
    )


async def _enrol(client: httpx2.AsyncClient, headers: dict[str, str], course: Course) -> None:
    r = await client.post(f"{API}/courses/{course.id}/enroll", headers=headers)
    assert r.status_code in (200, 201), r.text


async def _learner_view(
    client: httpx2.AsyncClient, headers: dict[str, str], course: Course
) -> dict[str, Any]:
    r = await client.get(f"{API}/courses/{course.slug}", headers=headers)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _titles(course: dict[str, Any]) -> list[list[str]]:
    return [[x["title"] for x in s["lessons"]] for s in course["sections"]]


async def _admin_get(
    client: httpx2.AsyncClient, headers: dict[str, str], course: Course
) -> dict[str, Any]:
    r = await client.get(f"{ADMIN}/{course.id}", headers=headers)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


async def _edit(
    client: httpx2.AsyncClient, headers: dict[str, str], course: Course
) -> dict[str, Any]:
    """Half-finished work on a published course: a new lesson, an edited body, a new title."""
    first, second, _third = lesson_ids(course)
    section = course.sections[0].id
    r = await client.patch(
        f"{ADMIN}/{course.id}/lessons/{first}",
        json={"body_md": "# Pengantar\n\nDRAFT-BODY belum selesai."},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{ADMIN}/{course.id}/sections/{section}/lessons",
        json=text_lesson("Pelajaran baru"),
        headers=headers,
    )
    assert r.status_code == 201, r.text
    r = await client.patch(
        f"{ADMIN}/{course.id}", json={"title": "Dokumen Ekspor (revisi)"}, headers=headers
    )
    assert r.status_code == 200, r.text
    r = await client.delete(f"{ADMIN}/{course.id}/lessons/{second}", headers=headers)
    assert r.status_code == 204, r.text
    return await _admin_get(client, headers, course)


async def test_learners_do_not_see_unpublished_edits(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    course = await _published(db_session)
    await _enrol(client, learner_headers, course)
    first = lesson_ids(course)[0]

    admin_view = await _edit(client, admin_headers, course)
    assert admin_view["has_draft_changes"] is True
    assert admin_view["id"] == str(course.id)
    assert admin_view["status"] == "published"
    assert admin_view["title"] == "Dokumen Ekspor (revisi)"
    assert _titles(admin_view) == [["Pengantar", "Pelajaran baru"], ["Packing list"]]

    learner = await _learner_view(client, learner_headers, course)
    assert learner["title"] == "Dokumen Ekspor"
    assert _titles(learner) == [["Pengantar", "Invoice"], ["Packing list"]]
    r = await client.get(f"{API}/lessons/{first}", headers=learner_headers)
    assert r.status_code == 200
    assert "DRAFT-BODY" not in r.text

    # The catalogue, its search and its counts show the published revision only.
    r = await client.get(f"{API}/courses", params={"q": "revisi"})
    assert r.json()["total"] == 0
    r = await client.get(f"{API}/courses", params={"q": "dokumen"})
    [item] = r.json()["items"]
    assert item["id"] == str(course.id)
    assert item["lesson_count"] == 3

    # The draft itself is a draft course: invisible to learners by id, absent from admin lists.
    draft_id = admin_view["draft_course_id"]
    assert_problem(await client.get(f"{API}/courses/{draft_id}", headers=learner_headers), 404)
    r = await client.get(ADMIN, headers=admin_headers)
    [listed] = [c for c in r.json()["items"] if c["id"] in (str(course.id), draft_id)]
    assert listed["id"] == str(course.id)
    assert listed["has_draft_changes"] is True
    # An admin previews the draft as a learner would see it.
    r = await client.get(f"{API}/courses/{draft_id}", headers=admin_headers)
    assert r.status_code == 200
    assert r.json()["status"] == "draft"


async def test_publishing_changes_makes_them_visible_and_keeps_progress(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    course = await _published(db_session)
    await _enrol(client, learner_headers, course)
    first, second, third = lesson_ids(course)
    r = await client.post(f"{API}/lessons/{first}/complete", headers=learner_headers)
    assert r.status_code == 200, r.text
    await _edit(client, admin_headers, course)

    r = await client.post(f"{ADMIN}/{course.id}/publish-changes", headers=admin_headers)
    assert r.status_code == 200, r.text
    assert r.json()["has_draft_changes"] is False

    learner = await _learner_view(client, learner_headers, course)
    assert learner["title"] == "Dokumen Ekspor (revisi)"
    assert _titles(learner) == [["Pengantar", "Pelajaran baru"], ["Packing list"]]
    # Same lesson ids as before: progress on the edited lesson survives.
    assert next(x["id"] for x in learner["sections"][0]["lessons"]) == str(first)
    assert learner["progress"]["completed_lesson_ids"] == [str(first)]
    r = await client.get(f"{API}/lessons/{first}", headers=learner_headers)
    assert "DRAFT-BODY" in r.text
    assert_problem(await client.get(f"{API}/lessons/{second}", headers=learner_headers), 404)
    assert (await db_session.get(Lesson, third)) is not None
    progress = await db_session.scalar(
        select(func.count()).select_from(LessonProgress).where(LessonProgress.lesson_id == first)
    )
    assert progress == 1
    # The draft rows are gone; one summary event names the publication.
    drafts = await db_session.scalar(
        select(func.count()).select_from(Course).where(Course.draft_of_id == course.id)
    )
    assert drafts == 0
    events = (
        await db_session.scalars(
            select(AuditLog.action).where(AuditLog.record_id == str(course.id))
        )
    ).all()
    assert "COURSE_DRAFT_STARTED" in events
    assert "COURSE_CHANGES_PUBLISHED" in events
    assert_problem(
        await client.post(f"{ADMIN}/{course.id}/publish-changes", headers=admin_headers),
        409,
        "no_draft_changes",
    )


async def test_discarding_changes_restores_the_published_course(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    course = await _published(db_session)
    before = await _admin_get(client, admin_headers, course)
    await _edit(client, admin_headers, course)

    r = await client.post(f"{ADMIN}/{course.id}/discard-changes", headers=admin_headers)
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["has_draft_changes"] is False
    assert after["title"] == before["title"]
    assert after["sections"] == before["sections"]
    assert _titles(await _learner_view(client, learner_headers, course)) == _titles(before)
    assert_problem(
        await client.post(f"{ADMIN}/{course.id}/discard-changes", headers=admin_headers),
        409,
        "no_draft_changes",
    )


async def test_reorder_and_move_across_sections_then_publish(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    admin_headers: dict[str, str],
    learner_headers: dict[str, str],
) -> None:
    course = await _published(db_session)
    first, second, third = lesson_ids(course)
    s1, s2 = (s.id for s in course.sections)
    # Live ids are accepted everywhere: they are translated to the draft's rows.
    r = await client.post(
        f"{ADMIN}/{course.id}/lessons/{third}/move",
        json={"section_id": str(s1), "position": 1},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    r = await client.delete(f"{ADMIN}/{course.id}/sections/{s2}", headers=admin_headers)
    assert r.status_code == 204, r.text
    r = await client.put(
        f"{ADMIN}/{course.id}/sections/{s1}/lessons/order",
        json={"lesson_ids": [str(second), str(third), str(first)]},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    r = await client.patch(
        f"{ADMIN}/{course.id}/sections/{s1}", json={"title": "Semua"}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    assert len((await _learner_view(client, learner_headers, course))["sections"]) == 2

    r = await client.post(f"{ADMIN}/{course.id}/publish-changes", headers=admin_headers)
    assert r.status_code == 200, r.text
    learner = await _learner_view(client, learner_headers, course)
    assert [s["title"] for s in learner["sections"]] == ["Semua"]
    assert [x["id"] for x in learner["sections"][0]["lessons"]] == [
        str(second),
        str(third),
        str(first),
    ]


async def test_draft_courses_are_edited_in_place(
    client: httpx2.AsyncClient, db_session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    course = await _published(db_session)
    r = await client.post(f"{ADMIN}/{course.id}/unpublish", headers=admin_headers)
    assert r.status_code == 200
    r = await client.patch(f"{ADMIN}/{course.id}", json={"title": "Baru"}, headers=admin_headers)
    assert r.json()["has_draft_changes"] is False
    assert r.json()["title"] == "Baru"
    # Publishing with pending changes publishes them too.
    r = await client.post(f"{ADMIN}/{course.id}/publish", headers=admin_headers)
    r = await client.patch(f"{ADMIN}/{course.id}", json={"title": "Lagi"}, headers=admin_headers)
    assert r.json()["has_draft_changes"] is True
    r = await client.post(f"{ADMIN}/{course.id}/unpublish", headers=admin_headers)
    assert r.json()["title"] == "Lagi"
    assert r.json()["has_draft_changes"] is False
    # The slug is an address, not content: it changes on the live course at once.
    await client.post(f"{ADMIN}/{course.id}/publish", headers=admin_headers)
    r = await client.patch(
        f"{ADMIN}/{course.id}", json={"slug": "alamat-baru", "summary": "x"}, headers=admin_headers
    )
    assert r.json()["slug"] == "alamat-baru"
    assert r.json()["has_draft_changes"] is True
    assert (await client.get(f"{API}/courses/alamat-baru")).json()["summary"] != "x"
    # Deleting the course removes the draft with it.
    r = await client.delete(f"{ADMIN}/{course.id}", headers=admin_headers)
    assert r.status_code == 204
    count = await db_session.scalar(select(func.count()).select_from(Course))
    assert count == 0


async def test_concurrent_first_edits_start_one_draft(
    committed_client: httpx2.AsyncClient, engine: AsyncEngine, settings: Settings
) -> None:
    """Admins editing a published course at the same moment: one draft, never a 500."""
    factory = create_session_factory(engine, settings)
    async with factory() as session, session.begin():
        admin = await create_user(session, settings, role=Role.ADMIN)
        course = await _published(session)
    headers = auth_headers(settings, admin)
    first = lesson_ids(course)[0]
    edits = [
        committed_client.patch(
            f"{ADMIN}/{course.id}/lessons/{first}",
            json={"body_md": f"Versi {i}"},
            headers=headers,
        )
        for i in range(4)
    ]
    responses = await asyncio.gather(*edits)
    assert {r.status_code for r in responses} <= {200, 409}, [r.text for r in responses]
    assert any(r.status_code == 200 for r in responses)
    for r in responses:
        if r.status_code == 409:
            assert_problem(r, 409, "draft_conflict")
    async with factory() as session:
        drafts = await session.scalar(
            select(func.count()).select_from(Course).where(Course.draft_of_id == course.id)
        )
    assert drafts == 1
