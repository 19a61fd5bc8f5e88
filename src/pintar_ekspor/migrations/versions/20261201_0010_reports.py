"""reports: API calls per key and hour; indexes for the learning reports' filters

Revision ID: 0010_reports
Revises: 0009_analysis_charts
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_reports"
down_revision: str | None = "0009_analysis_charts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_key_usage",
        sa.Column("api_key_id", sa.Uuid(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("client_errors", sa.Integer(), nullable=False),
        sa.Column("server_errors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_keys.id"],
            name=op.f("fk_api_key_usage_api_key_id_api_keys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("api_key_id", "hour", name=op.f("pk_api_key_usage")),
    )
    op.create_index("ix_api_key_usage_hour", "api_key_usage", ["hour"], unique=False)
    op.create_index("ix_enrollments_enrolled_at", "enrollments", ["enrolled_at"], unique=False)
    op.create_index("ix_enrollments_completed_at", "enrollments", ["completed_at"], unique=False)
    op.create_index(
        "ix_learning_events_occurred_at_user_id",
        "learning_events",
        ["occurred_at", "user_id", "verb", "course_id", "lesson_id"],
        unique=False,
    )
    op.create_index("ix_users_created_at", "users", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_users_created_at", table_name="users")
    op.drop_index("ix_learning_events_occurred_at_user_id", table_name="learning_events")
    op.drop_index("ix_enrollments_completed_at", table_name="enrollments")
    op.drop_index("ix_enrollments_enrolled_at", table_name="enrollments")
    op.drop_index("ix_api_key_usage_hour", table_name="api_key_usage")
    op.drop_table("api_key_usage")
