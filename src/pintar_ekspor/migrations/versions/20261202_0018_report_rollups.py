"""Report roll-ups per learner and bucket, per lesson and day, per lesson and learner

Revision ID: 0018_report_rollups
Revises: 0016_report_indexes
Create Date: 2026-12-02

`learning_daily_activity` (0016) has one row per learner, course and day: with learners who
come back now and then, almost one row per event, and the reports still counted distinct
learners over all of them. Four trigger-kept roll-ups of `learning_events`:

- `learning_period_activity`: one row per learner and day, ISO week or month (all courses),
  and `learning_period_totals`, one row per day, week or month: its number of learners (rows
  of the former) and verb counts, kept by triggers on `learning_period_activity` (an upsert's
  update fires the update trigger, so a learner's second event in a week adds no learner).
- `learning_lesson_daily`: views and completions per lesson and day (no learners).
- `learning_lesson_learners`: per lesson and learner, the number of views and completions and
  the first and last of each; a delete recomputes the first and last from the remaining events
  (through the new index on `learning_events(lesson_id, user_id, course_id, verb,
  occurred_at)`, which replaces the plain `lesson_id` index).

Each is filled once from the existing events here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_report_rollups"
down_revision: str | None = "0016_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIODS = "learning_period_activity"
TOTALS = "learning_period_totals"
LESSON_DAYS = "learning_lesson_daily"
PAIRS = "learning_lesson_learners"
TRIGGER = "trg_learning_events_report_rollups"
TOTALS_TRIGGER = "trg_learning_period_activity_totals"
VERBS = {
    "enrolments": "enrolled",
    "lessons_viewed": "lesson_viewed",
    "lessons_completed": "lesson_completed",
    "quiz_attempts": "quiz_attempted",
    "course_completions": "course_completed",
}
VIEWED, COMPLETED = "lesson_viewed", "lesson_completed"
PERIOD_COLUMNS = "granularity, period_start, user_id, events, " + ", ".join(VERBS)


def _is(row: str, verb: str, dialect: str) -> str:
    """1 when the event `row` has `verb`, else 0 (an integer on both databases)."""
    test = f"{row}.verb = '{verb}'"
    return f"({test})::int" if dialect == "postgresql" else f"({test})"


def _periods(at: str, dialect: str) -> dict[str, str]:
    """SQL for the UTC day, its ISO week's Monday and its month's first day of `at`."""
    if dialect == "postgresql":
        day = f"({at} AT TIME ZONE 'UTC')::date"
        return {
            "day": day,
            "week": f"date_trunc('week', {day})::date",
            "month": f"date_trunc('month', {day})::date",
        }
    return {
        "day": f"date({at})",
        "week": f"date({at}, 'weekday 0', '-6 days')",
        "month": f"strftime('%Y-%m-01', {at})",
    }


def _when(row: str, verb: str) -> str:
    """`row.occurred_at` when the event has `verb`, else NULL."""
    return f"CASE WHEN {row}.verb = '{verb}' THEN {row}.occurred_at END"


def _earlier(column: str) -> str:
    """The earlier of the stored and the new value (NULL counts as no value)."""
    new = f"excluded.{column}"
    return f"CASE WHEN {PAIRS}.{column} IS NULL OR {new} < {PAIRS}.{column} THEN {new} ELSE {PAIRS}.{column} END"


def _later(column: str) -> str:
    new = f"excluded.{column}"
    return f"CASE WHEN {PAIRS}.{column} IS NULL OR {new} > {PAIRS}.{column} THEN {new} ELSE {PAIRS}.{column} END"


def _is_lesson_event(row: str) -> str:
    return f"{row}.lesson_id IS NOT NULL AND {row}.verb IN ('{VIEWED}', '{COMPLETED}')"


def _on_insert(dialect: str) -> list[str]:
    """Statements run for each inserted event `NEW` (the lesson ones guarded by `_is_lesson_event`)."""
    at = _periods("NEW.occurred_at", dialect)
    counts = ", ".join(_is("NEW", verb, dialect) for verb in VERBS.values())
    updates = ", ".join(f"{c} = {PERIODS}.{c} + excluded.{c}" for c in VERBS)
    periods = [
        f"INSERT INTO {PERIODS} ({PERIOD_COLUMNS}) "  # noqa: S608 (code-owned constants only)
        f"VALUES ('{name}', {at[name]}, NEW.user_id, 1, {counts}) "
        f"ON CONFLICT (granularity, period_start, user_id) DO UPDATE SET "
        f"events = {PERIODS}.events + 1, {updates};"
        for name in ("day", "week", "month")
    ]
    viewed, completed = _is("NEW", VIEWED, dialect), _is("NEW", COMPLETED, dialect)
    lesson_day = (
        f"INSERT INTO {LESSON_DAYS} (day, lesson_id, course_id, views, completions) "
        f"SELECT {at['day']}, NEW.lesson_id, NEW.course_id, {viewed}, {completed} "
        f"WHERE {_is_lesson_event('NEW')} "
        f"ON CONFLICT (lesson_id, day, course_id) DO UPDATE SET "
        f"views = {LESSON_DAYS}.views + excluded.views, "
        f"completions = {LESSON_DAYS}.completions + excluded.completions;"
    )
    # An upsert from a SELECT needs its WHERE on SQLite (parsing ambiguity); it has one.
    pair = (
        f"INSERT INTO {PAIRS} (lesson_id, user_id, course_id, views, first_viewed_at, "
        "last_viewed_at, completions, first_completed_at, last_completed_at) "
        f"SELECT NEW.lesson_id, NEW.user_id, NEW.course_id, {viewed}, {_when('NEW', VIEWED)}, "
        f"{_when('NEW', VIEWED)}, {completed}, {_when('NEW', COMPLETED)}, "
        f"{_when('NEW', COMPLETED)} WHERE {_is_lesson_event('NEW')} "
        f"ON CONFLICT (lesson_id, user_id, course_id) DO UPDATE SET "
        f"views = {PAIRS}.views + excluded.views, "
        f"first_viewed_at = {_earlier('first_viewed_at')}, "
        f"last_viewed_at = {_later('last_viewed_at')}, "
        f"completions = {PAIRS}.completions + excluded.completions, "
        f"first_completed_at = {_earlier('first_completed_at')}, "
        f"last_completed_at = {_later('last_completed_at')};"
    )
    return [*periods, lesson_day, pair]


def _on_delete(dialect: str) -> list[str]:
    """Statements run for each deleted event `OLD` (after the delete: the events table no
    longer holds it, so the first and last are recomputed from what remains)."""
    at = _periods("OLD.occurred_at", dialect)
    statements = []
    for name in ("day", "week", "month"):
        key = f"granularity = '{name}' AND period_start = {at[name]} AND user_id = OLD.user_id"
        updates = ", ".join(f"{c} = {c} - {_is('OLD', v, dialect)}" for c, v in VERBS.items())
        statements += [
            f"UPDATE {PERIODS} SET events = events - 1, {updates} WHERE {key};",  # noqa: S608
            f"DELETE FROM {PERIODS} WHERE {key} AND events <= 0;",  # noqa: S608
        ]
    viewed, completed = _is("OLD", VIEWED, dialect), _is("OLD", COMPLETED, dialect)
    guard = _is_lesson_event("OLD")
    day_key = (
        f"day = {at['day']} AND lesson_id = OLD.lesson_id AND course_id = OLD.course_id AND {guard}"
    )
    statements += [
        f"UPDATE {LESSON_DAYS} SET views = views - {viewed}, "  # noqa: S608
        f"completions = completions - {completed} WHERE {day_key};",
        f"DELETE FROM {LESSON_DAYS} WHERE {day_key} AND views <= 0 AND completions <= 0;",  # noqa: S608
    ]
    pair_key = "lesson_id = OLD.lesson_id AND user_id = OLD.user_id AND course_id = OLD.course_id"

    def remaining(agg: str, verb: str) -> str:
        return (
            f"(SELECT {agg}(e.occurred_at) FROM learning_events AS e "  # noqa: S608
            f"WHERE e.lesson_id = OLD.lesson_id AND e.user_id = OLD.user_id "
            f"AND e.course_id = OLD.course_id AND e.verb = '{verb}')"
        )

    statements += [
        f"UPDATE {PAIRS} SET views = views - {viewed}, "  # noqa: S608
        f"completions = completions - {completed}, "
        f"first_viewed_at = {remaining('min', VIEWED)}, "
        f"last_viewed_at = {remaining('max', VIEWED)}, "
        f"first_completed_at = {remaining('min', COMPLETED)}, "
        f"last_completed_at = {remaining('max', COMPLETED)} "
        f"WHERE {pair_key} AND {guard};",
        f"DELETE FROM {PAIRS} WHERE {pair_key} AND {guard} "  # noqa: S608
        "AND views <= 0 AND completions <= 0;",
    ]
    return statements


def _totals() -> dict[str, list[str]]:
    """Statements per operation on a `learning_period_activity` row (NEW / OLD)."""
    counts = ("events", *VERBS)
    key = "granularity = {row}.granularity AND period_start = {row}.period_start"
    names = ", ".join(counts)
    insert = (
        f"INSERT INTO {TOTALS} (granularity, period_start, learners, {names}) "  # noqa: S608
        f"VALUES (NEW.granularity, NEW.period_start, 1, {', '.join('NEW.' + c for c in counts)}) "
        "ON CONFLICT (granularity, period_start) DO UPDATE SET "
        f"learners = {TOTALS}.learners + 1, "
        + ", ".join(f"{c} = {TOTALS}.{c} + excluded.{c}" for c in counts)
        + ";"
    )
    update = (
        f"UPDATE {TOTALS} SET "  # noqa: S608
        + ", ".join(f"{c} = {c} + NEW.{c} - OLD.{c}" for c in counts)
        + f" WHERE {key.format(row='NEW')};"
    )
    delete = [
        f"UPDATE {TOTALS} SET learners = learners - 1, "  # noqa: S608
        + ", ".join(f"{c} = {c} - OLD.{c}" for c in counts)
        + f" WHERE {key.format(row='OLD')};",
        f"DELETE FROM {TOTALS} WHERE {key.format(row='OLD')} AND learners <= 0;",  # noqa: S608
    ]
    return {"INSERT": [insert], "UPDATE": [update], "DELETE": delete}


def _backfill(dialect: str) -> list[str]:
    sums = ", ".join(f"sum({_is('e', verb, dialect)})" for verb in VERBS.values())
    periods = []
    for name, expr in _periods("e.occurred_at", dialect).items():
        periods.append(
            f"INSERT INTO {PERIODS} ({PERIOD_COLUMNS}) "  # noqa: S608
            f"SELECT '{name}', {expr}, e.user_id, count(*), {sums} "
            f"FROM learning_events AS e GROUP BY {expr}, e.user_id"
        )
    day = _periods("e.occurred_at", dialect)["day"]
    viewed, completed = _is("e", VIEWED, dialect), _is("e", COMPLETED, dialect)
    lesson_days = (
        f"INSERT INTO {LESSON_DAYS} (day, lesson_id, course_id, views, completions) "  # noqa: S608
        f"SELECT {day}, e.lesson_id, e.course_id, sum({viewed}), sum({completed}) "
        f"FROM learning_events AS e WHERE {_is_lesson_event('e')} "
        f"GROUP BY {day}, e.lesson_id, e.course_id"
    )
    pairs = (
        f"INSERT INTO {PAIRS} (lesson_id, user_id, course_id, views, first_viewed_at, "  # noqa: S608
        "last_viewed_at, completions, first_completed_at, last_completed_at) "
        f"SELECT e.lesson_id, e.user_id, e.course_id, sum({viewed}), "
        f"min({_when('e', VIEWED)}), max({_when('e', VIEWED)}), sum({completed}), "
        f"min({_when('e', COMPLETED)}), max({_when('e', COMPLETED)}) "
        f"FROM learning_events AS e WHERE {_is_lesson_event('e')} "
        "GROUP BY e.lesson_id, e.user_id, e.course_id"
    )
    counts = ", ".join(("events", *VERBS))
    totals = (
        f"INSERT INTO {TOTALS} (granularity, period_start, learners, {counts}) "  # noqa: S608
        f"SELECT granularity, period_start, count(*), "
        + ", ".join(f"sum({c})" for c in ("events", *VERBS))
        + f" FROM {PERIODS} GROUP BY granularity, period_start"
    )
    return [*periods, totals, lesson_days, pairs]


def _counts() -> list[sa.Column[int]]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in ("events", *VERBS)]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        PERIODS,
        sa.Column("granularity", sa.String(length=5), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        *_counts(),
        _fk(PERIODS, "user_id", "users"),
        sa.PrimaryKeyConstraint(
            "granularity", "period_start", "user_id", name=op.f(f"pk_{PERIODS}")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(f"ix_{PERIODS}_user_id", PERIODS, ["user_id"], unique=False)
    op.create_table(
        TOTALS,
        sa.Column("granularity", sa.String(length=5), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        *_counts(),
        sa.PrimaryKeyConstraint("granularity", "period_start", name=op.f(f"pk_{TOTALS}")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        LESSON_DAYS,
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lesson_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("completions", sa.Integer(), nullable=False),
        _fk(LESSON_DAYS, "course_id", "courses"),
        _fk(LESSON_DAYS, "lesson_id", "lessons"),
        sa.PrimaryKeyConstraint("lesson_id", "day", "course_id", name=op.f(f"pk_{LESSON_DAYS}")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        f"ix_{LESSON_DAYS}_course_id_day", LESSON_DAYS, ["course_id", "day"], unique=False
    )
    op.create_table(
        PAIRS,
        sa.Column("lesson_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("first_viewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_viewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completions", sa.Integer(), nullable=False),
        sa.Column("first_completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_completed_at", sa.DateTime(timezone=True), nullable=True),
        _fk(PAIRS, "course_id", "courses"),
        _fk(PAIRS, "lesson_id", "lessons"),
        _fk(PAIRS, "user_id", "users"),
        sa.PrimaryKeyConstraint("lesson_id", "user_id", "course_id", name=op.f(f"pk_{PAIRS}")),
        sqlite_with_rowid=False,
    )
    op.create_index(f"ix_{PAIRS}_course_id", PAIRS, ["course_id"], unique=False)
    op.create_index(f"ix_{PAIRS}_user_id", PAIRS, ["user_id"], unique=False)
    for column in ("last_viewed_at", "last_completed_at"):
        op.create_index(f"ix_{PAIRS}_{column}", PAIRS, [column], unique=False)
    op.create_index(
        "ix_learning_events_lesson_id_user_id",
        "learning_events",
        ["lesson_id", "user_id", "course_id", "verb", "occurred_at"],
        unique=False,
    )
    op.drop_index("ix_learning_events_lesson_id", table_name="learning_events")
    for statement in _backfill(dialect):
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "  IF TG_OP = 'INSERT' THEN\n    "
            + "\n    ".join(_on_insert(dialect))
            + "\n  ELSE\n    "
            + "\n    ".join(_on_delete(dialect))
            + "\n  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE ON learning_events "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
        )
        totals = _totals()
        op.execute(
            f"CREATE FUNCTION {TOTALS_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  IF TG_OP = 'INSERT' THEN {' '.join(totals['INSERT'])}\n"
            f"  ELSIF TG_OP = 'UPDATE' THEN {' '.join(totals['UPDATE'])}\n"
            f"  ELSE {' '.join(totals['DELETE'])}\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TOTALS_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {PERIODS} "
            f"FOR EACH ROW EXECUTE FUNCTION {TOTALS_TRIGGER}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TRIGGER}_insert AFTER INSERT ON learning_events "
            f"BEGIN {' '.join(_on_insert(dialect))} END"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER}_delete AFTER DELETE ON learning_events "
            f"BEGIN {' '.join(_on_delete(dialect))} END"
        )
        for operation, statements in _totals().items():
            op.execute(
                f"CREATE TRIGGER {TOTALS_TRIGGER}_{operation.lower()} AFTER {operation} "
                f"ON {PERIODS} BEGIN {' '.join(statements)} END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON learning_events")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        op.execute(f"DROP TRIGGER IF EXISTS {TOTALS_TRIGGER} ON {PERIODS}")
        op.execute(f"DROP FUNCTION IF EXISTS {TOTALS_TRIGGER}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_insert")
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_delete")
        for operation in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TOTALS_TRIGGER}_{operation}")
    op.create_index("ix_learning_events_lesson_id", "learning_events", ["lesson_id"])
    op.drop_index("ix_learning_events_lesson_id_user_id", table_name="learning_events")
    for column in ("last_viewed_at", "last_completed_at"):
        op.drop_index(f"ix_{PAIRS}_{column}", table_name=PAIRS)
    op.drop_index(f"ix_{PAIRS}_user_id", table_name=PAIRS)
    op.drop_index(f"ix_{PAIRS}_course_id", table_name=PAIRS)
    op.drop_table(PAIRS)
    op.drop_index(f"ix_{LESSON_DAYS}_course_id_day", table_name=LESSON_DAYS)
    op.drop_table(LESSON_DAYS)
    op.drop_table(TOTALS)
    op.drop_index(f"ix_{PERIODS}_user_id", table_name=PERIODS)
    op.drop_table(PERIODS)
