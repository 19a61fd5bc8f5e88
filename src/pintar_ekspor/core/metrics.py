"""Prometheus metrics: one registry per app so tests can build many apps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram


@dataclass
class Metrics:
    """Every metric the platform exports at /metrics."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.http_requests = Counter(
            "http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.http_latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=r,
        )
        self.rate_limited = Counter(
            "rate_limit_rejections_total", "Requests refused by a rate limit", ["limit"], registry=r
        )
        self.rate_limit_errors = Counter(
            "rate_limit_backend_errors_total",
            "Rate limit checks that failed open because the backend was unreachable",
            registry=r,
        )
        self.emails = Counter(
            "emails_total", "Outbox email delivery outcomes", ["outcome"], registry=r
        )
        self.analyses = Counter(
            "analytics_analyses_total", "Analyses run", ["kind", "status"], registry=r
        )
        self.analysis_seconds = Histogram(
            "analytics_analysis_duration_seconds",
            "Analysis wall time",
            ["kind"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
            registry=r,
        )
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one HTTP request and its latency (labelled children cached per route)."""
        key = (method, route, status)
        children = self._request_children.get(key)
        if children is None:
            labels = (method, route, str(status))
            children = (
                self.http_requests.labels(*labels),
                self.http_latency.labels(*labels),
            )
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)
