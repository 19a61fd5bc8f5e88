"""Demo data for `pintar-ekspor seed-demo`: an admin and the demo courses. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts import service as accounts_service
from pintar_ekspor.core.config import Settings
from pintar_ekspor.courses import demo as course_demo


@dataclass
class SeedReport:
    admin_created: bool = False
    lines: list[str] = field(default_factory=list)


async def seed_demo(
    session: AsyncSession, settings: Settings, *, admin_password: str
) -> SeedReport:
    """Create what a fresh local platform needs; running it twice changes nothing."""
    report = SeedReport()
    existing = await accounts_service.get_user_by_email(session, settings.admin_email)
    if existing is None:
        await accounts_service.ensure_admin(
            session, settings, email=settings.admin_email, password=admin_password
        )
        report.admin_created = True
    else:
        report.lines.append(f"admin {settings.admin_email} already exists")
    report.lines.extend(await course_demo.seed_demo_courses(session))
    return report
