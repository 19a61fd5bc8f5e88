"""notifications (email outbox)

Revision ID: 0003_notifications
Revises: 0002_accounts
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0003_notifications"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
