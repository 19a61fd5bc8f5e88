"""draft revisions of published courses

Revision ID: 0011_draft_revisions
Revises: 0010_reports
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_draft_revisions"
down_revision: str | None = "0010_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch:
        batch.add_column(sa.Column("draft_of_id", sa.Uuid(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_courses_draft_of_id"), ["draft_of_id"])
        batch.create_foreign_key(
            batch.f("fk_courses_draft_of_id_courses"),
            "courses",
            ["draft_of_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("sections") as batch:
        batch.add_column(sa.Column("origin_id", sa.Uuid(), nullable=True))
    with op.batch_alter_table("lessons") as batch:
        batch.add_column(sa.Column("origin_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lessons") as batch:
        batch.drop_column("origin_id")
    with op.batch_alter_table("sections") as batch:
        batch.drop_column("origin_id")
    with op.batch_alter_table("courses") as batch:
        batch.drop_constraint(batch.f("fk_courses_draft_of_id_courses"), type_="foreignkey")
        batch.drop_constraint(batch.f("uq_courses_draft_of_id"), type_="unique")
        batch.drop_column("draft_of_id")
