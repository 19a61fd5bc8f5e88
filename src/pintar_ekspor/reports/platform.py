"""Platform figures for admins: users, activity, enrolments, completions, API calls per key."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from pintar_ekspor.accounts.models import ApiKey, ApiKeyUsage, User
from pintar_ekspor.learning.models import Enrollment
from pintar_ekspor.reports.activity import (
    active_total_statement,
    activity_statement,
    dialect_of,
)
from pintar_ekspor.reports.params import ReportParams
from pintar_ekspor.reports.sql import bucket, rate

METRICS = ("new_users", "active_users", "enrolments", "completions", "api_calls", "api_errors")
TOTAL = "total"


def _in(column: Any, params: ReportParams) -> list[Any]:
    return [column >= params.start, column < params.end]


def _series_statement(params: ReportParams, dialect: str) -> Any:
    """Every time series of the report in one statement: rows of (metric, period, value)."""

    def per(column: Any) -> Any:
        return bucket(column, params.granularity, dialect)

    course = params.course_id
    active = activity_statement(params, dialect).subquery("activity")
    enrol_filter = [Enrollment.course_id == course] if course else []
    errors = ApiKeyUsage.client_errors + ApiKeyUsage.server_errors
    parts = [
        _grouped("new_users", per(User.created_at), func.count(), _in(User.created_at, params)),
        select(
            literal("active_users").label("metric"),
            active.c.period,
            active.c.active_learners.label("v"),
        ),
        _grouped(
            "enrolments",
            per(Enrollment.enrolled_at),
            func.count(),
            [*_in(Enrollment.enrolled_at, params), *enrol_filter],
        ),
        _grouped(
            "completions",
            per(Enrollment.completed_at),
            func.count(),
            [*_in(Enrollment.completed_at, params), *enrol_filter],
        ),
        _grouped(
            "api_calls",
            per(ApiKeyUsage.hour),
            func.sum(ApiKeyUsage.requests),
            _in(ApiKeyUsage.hour, params),
        ),
        _grouped(
            "api_errors", per(ApiKeyUsage.hour), func.sum(errors), _in(ApiKeyUsage.hour, params)
        ),
        # Totals that cannot be summed from the buckets (distinct people).
        select(
            literal("active_users").label("metric"),
            literal(TOTAL).label("period"),
            active_total_statement(params).scalar_subquery().label("v"),
        ),
        _total("users", func.count(User.id), [User.created_at < params.end]),
    ]
    return union_all(*parts)


def _grouped(metric: str, period: Any, value: Any, where: list[Any]) -> Any:
    return (
        select(literal(metric).label("metric"), period.label("period"), value.label("v"))
        .where(*where)
        .group_by(period)
    )


def _total(metric: str, value: Any, where: list[Any]) -> Any:
    return select(
        literal(metric).label("metric"), literal(TOTAL).label("period"), value.label("v")
    ).where(*where)


async def platform(session: AsyncSession, params: ReportParams) -> dict[str, Any]:
    """Users by role, new and active users, enrolments, completions, API calls and errors."""
    roles = await session.execute(
        select(
            User.role,
            func.count().label("users"),
            func.sum(case((User.is_active, 1), else_=0)).label("active_accounts"),
        )
        .group_by(User.role)
        .order_by(User.role)
    )
    values: dict[str, dict[str, int]] = defaultdict(dict)
    for row in await session.execute(_series_statement(params, dialect_of(session))):
        values[row.metric][row.period] = int(row.v or 0)
    series = []
    for period in params.buckets():
        point: dict[str, Any] = {"period": period}
        point.update({m: values[m].get(period, 0) for m in METRICS})
        point["error_rate"] = rate(point["api_errors"], point["api_calls"])
        series.append(point)
    totals: dict[str, Any] = {m: sum(p[m] for p in series) for m in METRICS}
    totals["active_users"] = values["active_users"].get(TOTAL, 0)
    totals["users"] = values["users"].get(TOTAL, 0)
    totals["error_rate"] = rate(totals["api_errors"], totals["api_calls"])
    return {
        "users_by_role": [
            {"role": r.role.value, "users": r.users, "active_accounts": int(r.active_accounts or 0)}
            for r in roles
        ],
        "totals": totals,
        "series": series,
        "items": await _keys(session, params),
    }


async def _keys(session: AsyncSession, params: ReportParams) -> list[dict[str, Any]]:
    requests = func.sum(ApiKeyUsage.requests)
    stmt = (
        select(
            ApiKey.id,
            ApiKey.name,
            ApiKey.prefix,
            ApiKey.last_used_at,
            User.email,
            requests.label("requests"),
            func.sum(ApiKeyUsage.client_errors).label("client_errors"),
            func.sum(ApiKeyUsage.server_errors).label("server_errors"),
        )
        .join(ApiKeyUsage, ApiKeyUsage.api_key_id == ApiKey.id)
        .join(User, User.id == ApiKey.user_id)
        .where(*_in(ApiKeyUsage.hour, params))
        .group_by(ApiKey.id, ApiKey.name, ApiKey.prefix, ApiKey.last_used_at, User.email)
        .order_by(requests.desc(), ApiKey.id)
    )
    rows = []
    for row in await session.execute(stmt):
        total, client, server = int(row.requests), int(row.client_errors), int(row.server_errors)
        rows.append(
            {
                "api_key_id": row.id,
                "name": row.name,
                "prefix": row.prefix,
                "owner_email": row.email,
                "requests": total,
                "client_errors": client,
                "server_errors": server,
                "error_rate": rate(client + server, total),
                "last_used_at": row.last_used_at,
            }
        )
    return rows
