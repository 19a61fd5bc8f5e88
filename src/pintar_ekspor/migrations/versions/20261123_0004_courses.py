"""courses and learning

Revision ID: 0004_courses
Revises: 0003_notifications
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0004_courses"
down_revision: str | None = "0003_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
