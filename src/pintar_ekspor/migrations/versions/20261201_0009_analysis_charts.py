"""Chart series of an analysis stored apart from its result (sent only when asked for).

Revision ID: 0009_analysis_charts
Revises: 0014_account_tokens
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_analysis_charts"
down_revision: str | None = "0014_account_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy of the table on SQLite).
    op.add_column("analyses", sa.Column("charts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("charts")
