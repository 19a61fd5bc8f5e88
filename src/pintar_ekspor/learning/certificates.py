"""Completion certificates: issued when a course is completed, verifiable by a public code.

A certificate snapshots the learner's name, the course title, the completion date and the
evidence (each lesson's completion time, best quiz score and attempts). `evidence_hash` is the
SHA-256 of that snapshot in canonical JSON and `signature` an HMAC of the hash with a key
derived from `DATA_ENCRYPTION_KEY`: a row edited in the database (a name, a date, a score)
no longer verifies, and nobody without the key can forge a matching signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import User
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.db import session_settings
from pintar_ekspor.core.errors import ConflictError, NotFoundError
from pintar_ekspor.courses.models import Course
from pintar_ekspor.learning.models import Certificate, Enrollment, LessonProgress
from pintar_ekspor.notifications import service as email_service

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4  # 12 symbols of 31: about 59 random bits
_KEY_INFO = b"pintar-ekspor/certificates/signature/v1"


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    TAMPERED = "tampered"


def new_code() -> str:
    """`PE-XXXX-XXXX-XXXX` from a cryptographic random source."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "PE-" + "-".join(groups)


def normalise_code(code: str) -> str:
    """Upper case, no spaces: a code copied from a PDF or typed by hand still matches."""
    return "".join(code.split()).upper()


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def canonical_snapshot(cert: Certificate) -> bytes:
    """The signed content of a certificate, in one canonical JSON form."""
    snapshot = {
        "code": cert.code,
        "user_id": str(cert.user_id),
        "course_id": str(cert.course_id),
        "learner_name": cert.learner_name,
        "course_title": cert.course_title,
        "completed_at": _iso(cert.completed_at),
        "evidence": cert.evidence,
    }
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _signing_key(settings: Settings) -> bytes:
    master = settings.data_encryption_key.get_secret_value().encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(master)


def _sign(settings: Settings, digest: str) -> str:
    return hmac.new(_signing_key(settings), digest.encode("ascii"), hashlib.sha256).hexdigest()


def seal(settings: Settings, cert: Certificate) -> None:
    """Compute and store the evidence hash and its signature."""
    cert.evidence_hash = hashlib.sha256(canonical_snapshot(cert)).hexdigest()
    cert.signature = _sign(settings, cert.evidence_hash)


def status_of(settings: Settings, cert: Certificate) -> CertificateStatus:
    """Tampered when the stored content no longer matches its hash or signature."""
    digest = hashlib.sha256(canonical_snapshot(cert)).hexdigest()
    intact = hmac.compare_digest(digest, cert.evidence_hash) and hmac.compare_digest(
        _sign(settings, digest), cert.signature
    )
    if not intact:
        return CertificateStatus.TAMPERED
    return CertificateStatus.REVOKED if cert.revoked_at else CertificateStatus.VALID


async def _evidence(session: AsyncSession, enrollment: Enrollment) -> dict[str, Any]:
    rows = (
        await session.scalars(
            select(LessonProgress)
            .where(
                LessonProgress.user_id == enrollment.user_id,
                LessonProgress.course_id == enrollment.course_id,
                LessonProgress.completed_at.is_not(None),
            )
            .order_by(LessonProgress.completed_at, LessonProgress.lesson_id)
        )
    ).all()
    lessons = []
    for row in rows:
        assert row.completed_at is not None  # filtered above
        lessons.append(
            {
                "lesson_id": str(row.lesson_id),
                "completed_at": _iso(row.completed_at),
                "best_score": row.best_score,
                "attempts": row.attempts,
            }
        )
    return {"lessons": lessons}


def certificate_url(settings: Settings, code: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/certificates/{code}"


async def issue(session: AsyncSession, enrollment: Enrollment, *, now: datetime) -> Certificate:
    """Issue the certificate of a completed enrolment (once, at `now`) and e-mail the learner."""
    existing = await session.scalar(
        select(Certificate).where(Certificate.enrollment_id == enrollment.id)
    )
    if existing is not None:
        return existing
    if enrollment.completed_at is None:
        raise ConflictError("The course is not completed yet.", code="course_not_completed")
    settings = session_settings(session)
    user = await session.get(User, enrollment.user_id)
    course = await session.get(Course, enrollment.course_id)
    if user is None or course is None:  # pragma: no cover - foreign keys forbid it
        raise NotFoundError("The enrolment's learner or course is gone.")
    cert = Certificate(
        id=uuid.uuid4(),
        code=new_code(),
        enrollment_id=enrollment.id,
        user_id=user.id,
        course_id=course.id,
        learner_name=user.full_name or user.email.split("@", 1)[0],
        course_title=course.title,
        completed_at=enrollment.completed_at,
        evidence=await _evidence(session, enrollment),
        issued_at=now,
    )
    seal(settings, cert)
    session.add(cert)
    await email_service.enqueue_email(
        session,
        to=user.email,
        template="course_completed",
        locale=user.locale.value,
        context={
            "full_name": user.full_name,
            "course_title": course.title,
            "completed_at": _iso(enrollment.completed_at),
            "certificate_url": certificate_url(settings, cert.code),
            "certificate_code": cert.code,
        },
        now=now,
    )
    await session.flush()
    return cert


async def get_by_code(session: AsyncSession, code: str) -> Certificate:
    cert = await session.scalar(select(Certificate).where(Certificate.code == normalise_code(code)))
    if cert is None:
        raise NotFoundError("No certificate has this code.", code="certificate_not_found")
    return cert


async def list_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[Certificate]:
    rows = await session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user_id)
        .order_by(Certificate.completed_at.desc())
    )
    return list(rows.all())


async def codes_by_course(session: AsyncSession, user_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """The learner's certificate code per course, in one query (for "my learning")."""
    rows = await session.execute(
        select(Certificate.course_id, Certificate.code).where(Certificate.user_id == user_id)
    )
    return dict(rows.tuples())


async def revoke(session: AsyncSession, code: str, *, reason: str, now: datetime) -> Certificate:
    """Revoke a certificate (its public page then says so); revoking twice is a conflict."""
    cert = await get_by_code(session, code)
    if cert.revoked_at is not None:
        raise ConflictError("The certificate is already revoked.", code="certificate_revoked")
    cert.revoked_at = now
    cert.revoked_reason = reason
    await session.flush()
    return cert


@dataclass(frozen=True)
class PdfContent:
    code: str
    learner_name: str
    course_title: str
    completed_at: datetime
    evidence_hash: str
    url: str
    status: CertificateStatus
    locale: str
