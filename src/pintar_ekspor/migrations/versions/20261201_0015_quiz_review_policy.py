"""lessons.review_policy (when a quiz shows its correct answers)

Revision ID: 0015_quiz_review_policy
Revises: 0007_login_throttles
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_quiz_review_policy"
down_revision: str | None = "0007_login_throttles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "lessons",
        sa.Column(
            "review_policy",
            sa.String(length=30),
            nullable=False,
            server_default="after_pass_or_last_attempt",
        ),
    )


def downgrade() -> None:
    op.drop_column("lessons", "review_policy")
