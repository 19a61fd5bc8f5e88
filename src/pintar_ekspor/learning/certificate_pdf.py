"""The PDF of a completion certificate (fpdf2; CPU work: call it from a thread)."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from fpdf import FPDF

from pintar_ekspor.learning.certificates import CertificateStatus, PdfContent

_MONTHS = {
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "en": "January February March April May June July August September October November December",
}
_TEXT = {
    "id": {
        "title": "Sertifikat Penyelesaian",
        "awarded": "diberikan kepada",
        "for": "atas penyelesaian kursus",
        "on": "Selesai pada",
        "code": "Kode verifikasi",
        "verify": "Periksa keaslian sertifikat ini di",
        "hash": "Sidik bukti (SHA-256)",
        "revoked": "SERTIFIKAT INI TELAH DICABUT",
    },
    "en": {
        "title": "Certificate of Completion",
        "awarded": "awarded to",
        "for": "for completing the course",
        "on": "Completed on",
        "code": "Verification code",
        "verify": "Check this certificate at",
        "hash": "Evidence fingerprint (SHA-256)",
        "revoked": "THIS CERTIFICATE HAS BEEN REVOKED",
    },
}
_INK = (20, 33, 61)
_ACCENT = (11, 110, 120)


@lru_cache(maxsize=1)
def _unicode_font() -> Path | None:
    """DejaVu Sans as shipped inside matplotlib (found without importing matplotlib)."""
    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return path if path.is_file() else None


def _date(content: PdfContent) -> str:
    month = _MONTHS[content.locale].split()[content.completed_at.month - 1]
    return f"{content.completed_at.day} {month} {content.completed_at.year}"


def render_pdf(content: PdfContent) -> bytes:
    """A one-page landscape A4 certificate naming the learner and the course."""
    text = _TEXT.get(content.locale, _TEXT["id"])
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"{text['title']}: {content.course_title}")
    pdf.set_author("Pintar Ekspor")
    pdf.set_subject(f"{content.learner_name} - {content.course_title}")
    font = _unicode_font()
    family = "Helvetica"
    if font is not None:
        pdf.add_font("DejaVu", "", str(font))
        family = "DejaVu"
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(
        size: float, value: str, *, color: tuple[int, int, int] = _INK, gap: float = 4
    ) -> None:
        pdf.set_font(family, size=size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, size * 0.5, value, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(30)
    line(14, "PINTAR EKSPOR", color=_ACCENT)
    line(30, text["title"], gap=10)
    line(13, text["awarded"])
    line(26, content.learner_name, gap=8)
    line(13, text["for"])
    line(20, content.course_title, gap=8)
    line(13, f"{text['on']} {_date(content)}", gap=12)
    if content.status is CertificateStatus.REVOKED:
        line(16, text["revoked"], color=(160, 20, 20))
    line(10, f"{text['code']}: {content.code}", gap=2)
    line(10, f"{text['verify']} {content.url}", gap=2)
    line(8, f"{text['hash']}: {content.evidence_hash}", gap=0)
    return bytes(pdf.output())
