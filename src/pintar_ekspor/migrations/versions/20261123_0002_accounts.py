"""accounts (refresh tokens, API keys)

Revision ID: 0002_accounts
Revises: 0001_users
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0002_accounts"
down_revision: str | None = "0001_users"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
