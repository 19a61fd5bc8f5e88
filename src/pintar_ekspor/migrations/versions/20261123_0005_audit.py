"""audit log

Revision ID: 0005_audit
Revises: 0004_courses
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0005_audit"
down_revision: str | None = "0004_courses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
