"""Who sees what: admins (signed in) see everything; API clients see aggregates only.

In the aggregate view no report carries a name, e-mail or user id, and every figure about a
group of fewer than `MIN_GROUP` learners is withheld: the value becomes `null`, the row says
`"suppressed": true` and names the withheld fields, so a small group never reads as 0.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MIN_GROUP = 5


class Audience(enum.StrEnum):
    FULL = "full"  # an admin signed in with a JWT
    AGGREGATE = "aggregate"  # developers, and anyone calling with an API key


@dataclass(frozen=True)
class Rule:
    """How to protect one kind of row.

    `counts`: counts of learners (or of their acts) withheld when between 1 and MIN_GROUP - 1.
    `derived`: figure -> the learner counts it is computed from (a rate: its numerator and
    denominator); withheld when any of them is a group of 1 to MIN_GROUP - 1 learners (a rate
    over 3 learners says as much as their answers, and 3 of 20 completing reveals the 3).
    """

    counts: tuple[str, ...] = ()
    derived: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)


def protect(row: dict[str, Any], rule: Rule, audience: Audience) -> dict[str, Any]:
    """Apply `rule` to `row` in place (aggregate audience only) and mark what was withheld."""
    withheld: list[str] = []
    if audience == Audience.AGGREGATE:
        original = dict(row)
        for name in rule.counts:
            value = original.get(name)
            if value is not None and 0 < value < MIN_GROUP:
                row[name] = None
                withheld.append(name)
        for name, bases in rule.derived.items():
            groups = [original.get(b) or 0 for b in ((bases,) if isinstance(bases, str) else bases)]
            if any(0 < g < MIN_GROUP for g in groups) and name not in withheld:
                row[name] = None
                withheld.append(name)
    row["suppressed"] = bool(withheld)
    row["suppressed_fields"] = withheld
    return row


def protect_all(
    rows: Iterable[dict[str, Any]], rule: Rule, audience: Audience
) -> list[dict[str, Any]]:
    return [protect(row, rule, audience) for row in rows]
