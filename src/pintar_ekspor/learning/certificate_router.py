"""Certificate routes: public verification by code, the PDF, my certificates, admin revocation."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Path, Query, Response

from pintar_ekspor.accounts.dependencies import PersonOrProgram, SignedInAdmin
from pintar_ekspor.core.config import Settings
from pintar_ekspor.core.deps import AppClock, AppSettings, DbSession
from pintar_ekspor.core.errors import problem_responses
from pintar_ekspor.learning import certificates
from pintar_ekspor.learning.models import Certificate
from pintar_ekspor.learning.schemas import CertificateRead, CertificateRevoke

router = APIRouter(tags=["certificates"])

CertificateCode = Annotated[
    str,
    Path(min_length=6, max_length=40, pattern=r"^[A-Za-z0-9 -]+$", examples=["PE-7K3M-Q9XA-2B4C"]),
]


def _read(settings: Settings, cert: Certificate) -> CertificateRead:
    url = certificates.certificate_url(settings, cert.code)
    return CertificateRead(
        code=cert.code,
        status=certificates.status_of(settings, cert).value,
        learner_name=cert.learner_name,
        course_title=cert.course_title,
        course_id=cert.course_id,
        completed_at=cert.completed_at,
        issued_at=cert.issued_at,
        revoked_at=cert.revoked_at,
        revoked_reason=cert.revoked_reason,
        evidence_hash=cert.evidence_hash,
        lessons_completed=len(cert.evidence.get("lessons", [])),
        verify_url=url,
        pdf_url=f"/api/v1/certificates/{cert.code}/pdf",
    )


@router.get(
    "/certificates/{code}",
    operation_id="verifyCertificate",
    response_model=CertificateRead,
    responses=problem_responses(404, 422),
)
async def verify_certificate(
    session: DbSession, settings: AppSettings, code: CertificateCode
) -> CertificateRead:
    """Public: who completed which course and when, and whether the record is intact."""
    return _read(settings, await certificates.get_by_code(session, code))


@router.get(
    "/certificates/{code}/pdf",
    operation_id="downloadCertificatePdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The certificate as a PDF"},
        **problem_responses(404, 422),
    },
)
async def certificate_pdf(
    session: DbSession,
    settings: AppSettings,
    code: CertificateCode,
    lang: Annotated[str, Query(pattern="^(id|en)$")] = "id",
) -> Response:
    """Public: the certificate as a one-page PDF (Indonesian by default, `?lang=en`)."""
    cert = await certificates.get_by_code(session, code)
    content = certificates.PdfContent(
        code=cert.code,
        learner_name=cert.learner_name,
        course_title=cert.course_title,
        completed_at=cert.completed_at,
        evidence_hash=cert.evidence_hash,
        url=certificates.certificate_url(settings, cert.code),
        status=certificates.status_of(settings, cert),
        locale=lang,
    )
    # fpdf2 imports numpy: loaded on the first PDF, so the web process stays light.
    from pintar_ekspor.learning.certificate_pdf import render_pdf

    body = await anyio.to_thread.run_sync(render_pdf, content)
    filename = f"sertifikat-{cert.code}.pdf" if lang == "id" else f"certificate-{cert.code}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get(
    "/users/me/certificates",
    operation_id="listMyCertificates",
    response_model=list[CertificateRead],
    responses=problem_responses(401),
)
async def my_certificates(
    session: DbSession, settings: AppSettings, user: PersonOrProgram
) -> list[CertificateRead]:
    """My certificates, newest first (those of withdrawn enrolments included)."""
    return [_read(settings, c) for c in await certificates.list_for_user(session, user.id)]


@router.post(
    "/admin/certificates/{code}/revoke",
    operation_id="revokeCertificate",
    response_model=CertificateRead,
    tags=["admin"],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def revoke_certificate(
    session: DbSession,
    settings: AppSettings,
    clock: AppClock,
    _admin: SignedInAdmin,
    code: CertificateCode,
    body: CertificateRevoke,
) -> CertificateRead:
    """Revoke a certificate; its public page and PDF then say it is revoked."""
    cert = await certificates.revoke(session, code, reason=body.reason, now=clock.now())
    return _read(settings, cert)
