"""An injectable clock so time-dependent logic (limits, expiry, backoff) is testable."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Wall-clock time; tests substitute a `ManualClock`."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def time(self) -> float:
        return time.time()


class ManualClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: float | None = None) -> None:
        self._t = time.time() if start is None else start

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._t, UTC)

    def time(self) -> float:
        return self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds
