"""analytics (datasets, analyses, jobs)

Revision ID: 0006_analytics
Revises: 0005_audit
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0006_analytics"
down_revision: str | None = "0005_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
