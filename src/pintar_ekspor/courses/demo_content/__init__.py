"""The demo catalogue: four Indonesian courses on export trade (see `courses.demo`).

Video lessons use YouTube privacy-enhanced embed URLs whose ids are placeholders; an admin
replaces them with the platform's own videos.
"""

from __future__ import annotations

from typing import Any

from pintar_ekspor.courses.demo_content import (
    dasar_ekspor,
    dokumen_ekspor,
    incoterms_pembayaran,
    riset_pasar,
)

DEMO_COURSES: list[dict[str, Any]] = [
    dasar_ekspor.COURSE,
    dokumen_ekspor.COURSE,
    incoterms_pembayaran.COURSE,
    riset_pasar.COURSE,
]
