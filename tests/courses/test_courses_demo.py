"""`seed-demo`: four real Indonesian courses, idempotent, learnable end to end."""

from __future__ import annotations

import re
from typing import Any

import httpx2
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses.demo_content import DEMO_COURSES
from pintar_ekspor.courses.media import DEMO_DIR
from pintar_ekspor.courses.models import Course, CourseTag, Lesson, Section
from pintar_ekspor.seed import seed_demo

API = "/api/v1"


async def _counts(session: AsyncSession) -> tuple[int, ...]:
    result = []
    for model in (Course, Section, Lesson, CourseTag):
        result.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return tuple(result)


async def test_seed_demo_twice_changes_nothing(
    db_session: AsyncSession, settings: Settings
) -> None:
    first = await seed_demo(db_session, settings, admin_password="Admin-Password-123!")
    assert sum("created" in line for line in first.lines) == 4
    counts = await _counts(db_session)
    assert counts[0] == 4
    snapshot = {c.slug: c.updated_at for c in (await db_session.scalars(select(Course))).all()}

    second = await seed_demo(db_session, settings, admin_password="Admin-Password-123!")
    assert sum("already exists" in line for line in second.lines) == 5  # admin + 4 courses
    assert await _counts(db_session) == counts
    db_session.expire_all()
    assert {
        c.slug: c.updated_at for c in (await db_session.scalars(select(Course))).all()
    } == snapshot


def test_demo_courses_have_the_promised_shape() -> None:
    assert len(DEMO_COURSES) >= 4
    for spec in DEMO_COURSES:
        assert spec["language"] == "id"
        assert 2 <= len(spec["sections"]) <= 4, spec["slug"]
        lessons: list[dict[str, Any]] = [
            lesson for s in spec["sections"] for lesson in s["lessons"]
        ]
        texts = [lesson for lesson in lessons if lesson["kind"] == "text"]
        videos = [lesson for lesson in lessons if lesson["kind"] == "video"]
        quizzes = [lesson for lesson in lessons if lesson["kind"] == "quiz"]
        assert len(texts) >= 3, spec["slug"]
        assert videos, spec["slug"]
        assert quizzes, spec["slug"]
        for text in texts:
            body = text["body_md"]
            assert len(body) > 1200, text["title"]  # several paragraphs of substance
            assert body.count("\n\n") >= 5
            assert re.search(r"^(- |\d+\. |\| )", body, re.MULTILINE), text["title"]  # lists/tables
        for video in videos:
            # A real video shipped with the platform (no placeholder ids), with its transcript.
            name = video["video_url"].removeprefix("/media/")
            assert (DEMO_DIR / name).read_bytes().startswith(b"\x1a\x45\xdf\xa3"), name
            assert "## Transkrip video" in video["body_md"]
        for quiz in quizzes:
            questions = quiz["questions"]
            assert 4 <= len(questions) <= 6
            assert {q["kind"] for q in questions} == {"single", "multiple"}
            assert all(len(q["explanation"]) > 40 for q in questions)
            assert quiz["pass_mark"] == 70
            assert quiz["max_attempts"] == 3


def _all_text(spec: dict[str, Any]) -> str:
    parts = [spec["description_md"]]
    for section in spec["sections"]:
        for lesson in section["lessons"]:
            parts.append(lesson.get("body_md", ""))
            for q in lesson.get("questions", []):
                parts += [q["prompt"], q["explanation"], *(o["text"] for o in q["options"])]
    return "\n".join(parts)


def test_demo_facts() -> None:
    """Spot checks of the facts the content must get right."""
    by_slug = {spec["slug"]: _all_text(spec) for spec in DEMO_COURSES}
    incoterms = by_slug["incoterms-2020-dan-pembayaran-internasional"]
    for term in ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"):
        assert re.search(rf"\| {term} \|", incoterms), term
    assert "11 istilah" in incoterms
    assert "UCP 600" in incoterms
    assert "URC 522" in incoterms
    assert "ICC (A)" in incoterms
    assert "ICC (C)" in incoterms
    assert "110%" in incoterms
    documents = by_slug["dokumen-ekspor-invoice-packing-list-bl-ska-peb"]
    assert "CEISA" in documents
    assert "e-SKA" in documents
    assert "NPE" in documents
    research = by_slug["riset-pasar-dan-membaca-data-perdagangan"]
    assert "BTKI 2022" in research
    assert "8 digit" in research
    assert "AHTN" in research
    assert "12,2%" in research  # (1.90 / 1.20) ** (1 / 4) - 1
    assert round(((1.90 / 1.20) ** 0.25 - 1) * 100, 1) == 12.2
    basics = by_slug["dasar-dasar-ekspor-dan-alur-prosesnya"]
    assert "OSS" in basics
    assert "INSW" in basics
    assert "USD 4,60/kg FOB" in basics
    assert round((60_000 + 2_500 + 600 + 900) * 1.15 / 16_000, 2) == 4.60


async def test_demo_courses_are_learnable(
    client: httpx2.AsyncClient,
    db_session: AsyncSession,
    settings: Settings,
    learner_headers: dict[str, str],
) -> None:
    await seed_demo(db_session, settings, admin_password="Admin-Password-123!")
    catalogue = (await client.get(f"{API}/courses", params={"q": "incoterms"})).json()
    assert [c["slug"] for c in catalogue["items"]] == [
        "incoterms-2020-dan-pembayaran-internasional"
    ]
    assert (await client.get(f"{API}/courses", params={"tag": "hs code"})).json()["total"] == 1

    spec = DEMO_COURSES[0]
    course = (await client.get(f"{API}/courses/{spec['slug']}")).json()
    assert course["lesson_count"] == sum(len(s["lessons"]) for s in spec["sections"])
    r = await client.post(f"{API}/courses/{course['id']}/enroll", headers=learner_headers)
    assert r.status_code == 201
    quiz_spec = next(
        lesson for s in spec["sections"] for lesson in s["lessons"] if lesson["kind"] == "quiz"
    )
    quiz_id = next(
        lesson["id"]
        for s in course["sections"]
        for lesson in s["lessons"]
        if lesson["kind"] == "quiz"
    )
    answers = [
        {"question_id": q["id"], "option_ids": [o["id"] for o in q["options"] if o.get("correct")]}
        for q in quiz_spec["questions"]
    ]
    r = await client.post(
        f"{API}/lessons/{quiz_id}/attempts", json={"answers": answers}, headers=learner_headers
    )
    assert r.status_code == 201
    assert r.json()["score"] == 100
    assert r.json()["passed"] is True
