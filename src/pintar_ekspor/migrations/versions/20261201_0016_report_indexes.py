"""learning_daily_activity: a trigger-kept daily roll-up of learning events for the reports

Revision ID: 0016_report_indexes
Revises: 0017_jobs (main merged 0017_jobs onto 0015 first; one head)
Create Date: 2026-12-01

The reports counted distinct learners per time bucket over every event of the range (100,000
events: about a second per report). They now read one row per learner, course and UTC day.
Triggers on `learning_events` keep the roll-up exact whatever writes the events (the learning
service, a bulk load, a test): an insert adds one to its day's row, a delete (the cascade of a
deleted user or course) takes one away and drops a row that reaches zero. Existing events are
rolled up here once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_report_indexes"
down_revision: str | None = "0017_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "learning_daily_activity"
TRIGGER = "trg_learning_events_daily_activity"
# Column -> the verb it counts (`events` counts every verb, withdrawals included).
VERBS = {
    "enrolments": "enrolled",
    "lessons_viewed": "lesson_viewed",
    "lessons_completed": "lesson_completed",
    "quiz_attempts": "quiz_attempted",
    "course_completions": "course_completed",
}
COLUMNS = "day, user_id, course_id, week_start, month_start, events, " + ", ".join(VERBS)


def _is(row: str, verb: str, dialect: str) -> str:
    """1 when the event `row` has `verb`, else 0 (an integer on both databases)."""
    test = f"{row}.verb = '{verb}'"
    return f"({test})::int" if dialect == "postgresql" else f"({test})"


def _days(at: str, dialect: str) -> tuple[str, str, str]:
    """SQL for the UTC day, its ISO week's Monday and its month's first day of `at`."""
    if dialect == "postgresql":
        day = f"({at} AT TIME ZONE 'UTC')::date"
        return (
            day,
            f"date_trunc('week', {day})::date",
            f"date_trunc('month', {day})::date",
        )
    return (
        f"date({at})",
        f"date({at}, 'weekday 0', '-6 days')",
        f"strftime('%Y-%m-01', {at})",
    )


def _upsert(dialect: str) -> str:
    day, week, month = _days("NEW.occurred_at", dialect)
    counts = ", ".join(_is("NEW", verb, dialect) for verb in VERBS.values())
    updates = ", ".join(f"{c} = {TABLE}.{c} + excluded.{c}" for c in VERBS)
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) "  # noqa: S608 (code-owned constants only)
        f"VALUES ({day}, NEW.user_id, NEW.course_id, {week}, {month}, 1, {counts}) "
        f"ON CONFLICT (day, user_id, course_id) DO UPDATE SET "
        f"events = {TABLE}.events + 1, {updates};"
    )


def _remove(dialect: str) -> str:
    day, _, _ = _days("OLD.occurred_at", dialect)
    key = f"day = {day} AND user_id = OLD.user_id AND course_id = OLD.course_id"
    updates = ", ".join(f"{c} = {c} - {_is('OLD', v, dialect)}" for c, v in VERBS.items())
    return (
        f"UPDATE {TABLE} SET events = events - 1, {updates} WHERE {key}; "  # noqa: S608 (code-owned constants only)
        f"DELETE FROM {TABLE} WHERE {key} AND events <= 0;"
    )


def _backfill(dialect: str) -> str:
    day, week, month = _days("e.occurred_at", dialect)
    sums = ", ".join(f"sum({_is('e', verb, dialect)})" for verb in VERBS.values())
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) "  # noqa: S608 (code-owned constants only)
        f"SELECT {day}, e.user_id, e.course_id, {week}, {month}, count(*), {sums} "
        f"FROM learning_events AS e GROUP BY {day}, e.user_id, e.course_id, {week}, {month}"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    counts = [sa.Column(name, sa.Integer(), nullable=False) for name in ("events", *VERBS)]
    op.create_table(
        TABLE,
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        *counts,
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_learning_daily_activity_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learning_daily_activity_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "day", "user_id", "course_id", name=op.f("pk_learning_daily_activity")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_learning_daily_activity_course_id_day", TABLE, ["course_id", "day"], unique=False
    )
    op.create_index(
        "ix_learning_daily_activity_user_id_day", TABLE, ["user_id", "day"], unique=False
    )
    op.execute(_backfill(dialect))
    # One covering index for what still reads the events (lesson views and completions, the
    # gaps between completions) replaces the (verb, occurred_at) prefix and the range index the
    # activity series used.
    op.create_index(
        "ix_learning_events_verb_occurred_at_user_id",
        "learning_events",
        ["verb", "occurred_at", "user_id", "course_id", "lesson_id"],
        unique=False,
    )
    op.drop_index("ix_learning_events_verb_occurred_at", table_name="learning_events")
    op.drop_index("ix_learning_events_occurred_at_user_id", table_name="learning_events")
    if dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP = 'INSERT' THEN {_upsert(dialect)}\n"
            f"  ELSE {_remove(dialect)}\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE ON learning_events "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON learning_events "
            f"BEGIN {_upsert(dialect)} END"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON learning_events "
            f"BEGIN {_remove(dialect)} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON learning_events")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_insert")
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_delete")
    op.create_index(
        "ix_learning_events_occurred_at_user_id",
        "learning_events",
        ["occurred_at", "user_id", "verb", "course_id", "lesson_id"],
        unique=False,
    )
    op.create_index(
        "ix_learning_events_verb_occurred_at", "learning_events", ["verb", "occurred_at"]
    )
    op.drop_index("ix_learning_events_verb_occurred_at_user_id", table_name="learning_events")
    op.drop_index("ix_learning_daily_activity_user_id_day", table_name=TABLE)
    op.drop_index("ix_learning_daily_activity_course_id_day", table_name=TABLE)
    op.drop_table(TABLE)
