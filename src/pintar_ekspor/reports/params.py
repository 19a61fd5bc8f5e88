"""Report parameters: the date range, time buckets and course filter every report takes."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pintar_ekspor.core.errors import ValidationFailedError

DEFAULT_DAYS = 90
MAX_BUCKETS = 400
# Dates a report accepts: far enough from `date.min`/`date.max` that no default range, bucket
# or end-of-day computation can leave the calendar (`0001-01-01` was a 500).
EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(9998, 12, 31)


class Granularity(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def bucket_start(day: date, granularity: Granularity) -> date:
    """The first day of the bucket holding `day` (weeks start on Monday, ISO 8601)."""
    if granularity == Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity == Granularity.MONTH:
        return day.replace(day=1)
    return day


def next_bucket(start: date, granularity: Granularity) -> date:
    if granularity == Granularity.DAY:
        return start + timedelta(days=1)
    if granularity == Granularity.WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class ReportParams:
    """What one report covers: [date_from, date_to] (UTC days, inclusive)."""

    date_from: date
    date_to: date
    granularity: Granularity = Granularity.DAY
    course_id: uuid.UUID | None = None

    @classmethod
    def build(
        cls,
        *,
        today: date,
        date_from: date | None,
        date_to: date | None,
        granularity: Granularity = Granularity.DAY,
        course_id: uuid.UUID | None = None,
    ) -> ReportParams:
        """Fill the defaults (the last 90 days up to today) and check the range."""
        for name, value in (("from", date_from), ("to", date_to)):
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                raise ValidationFailedError(
                    f"'{name}' ({value}) is outside the dates reports cover "
                    f"({EARLIEST_DATE} to {LATEST_DATE}).",
                    code="date_out_of_range",
                )
        end = date_to or today
        start = date_from or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise ValidationFailedError(
                f"'from' ({start}) is after 'to' ({end}).", code="invalid_date_range"
            )
        params = cls(start, end, granularity, course_id)
        if len(params.buckets()) > MAX_BUCKETS:
            raise ValidationFailedError(
                f"The range {start}..{end} has more than {MAX_BUCKETS} {granularity.value} "
                "buckets; choose a shorter range or a coarser granularity.",
                code="date_range_too_large",
            )
        return params

    @property
    def start(self) -> datetime:
        """The first instant of the range (UTC)."""
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the range (exclusive, UTC)."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC)

    def buckets(self) -> list[str]:
        """ISO dates of every bucket's first day, from the one holding `date_from`."""
        result: list[str] = []
        current = bucket_start(self.date_from, self.granularity)
        while current <= self.date_to and len(result) <= MAX_BUCKETS:
            result.append(current.isoformat())
            current = next_bucket(current, self.granularity)
        return result

    def cache_key(self) -> str:
        return f"{self.date_from}:{self.date_to}:{self.granularity.value}:{self.course_id or '-'}"
