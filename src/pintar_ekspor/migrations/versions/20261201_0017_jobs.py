"""analyses.claim_token (background analyses use the platform job queue)

Revision ID: 0017_jobs
Revises: 0015_quiz_review_policy
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_jobs"
down_revision: str | None = "0015_quiz_review_policy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Only the process holding the current claim may record a job's outcome, as for the
    # e-mail outbox (`email_outbox.claim_token`).
    op.add_column("analyses", sa.Column("claim_token", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("claim_token")
