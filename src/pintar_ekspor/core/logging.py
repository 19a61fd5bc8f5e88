"""Structured logging: JSON in production, readable console output in development."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson
import structlog

ACCESS_LOGGER = "pintar_ekspor.access"


def configure_logging(*, level: str = "INFO", json_logs: bool = False) -> None:
    """Route structlog and the standard library (uvicorn, sqlalchemy) through one pipeline."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: Any
    if json_logs:
        shared.append(structlog.processors.format_exc_info)
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())

    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log duplicates our request log line.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    access_log.configure(json_logs=json_logs, handler=handler)


class AccessLog:
    """One line per request, written straight to the log handler's stream.

    The structlog -> logging -> ProcessorFormatter chain costs 50-140 µs per line; an access
    line has fixed fields, so it is rendered here in a few µs in the same two formats (JSON:
    one object per line with `event`, `level`, `logger`, `timestamp`; console: the same
    fields as `key=value`). The level of the `pintar_ekspor.access` logger still decides.
    """

    def __init__(self) -> None:
        self.json = False
        self.handler: logging.StreamHandler[TextIO] | None = None
        self.logger = logging.getLogger(ACCESS_LOGGER)

    def configure(self, *, json_logs: bool, handler: logging.StreamHandler[TextIO]) -> None:
        self.json = json_logs
        self.handler = handler

    def enabled(self) -> bool:
        return self.handler is not None and self.logger.isEnabledFor(logging.INFO)

    def write(self, fields: dict[str, Any]) -> None:
        handler = self.handler
        if handler is None:
            return
        timestamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        if self.json:
            record = {"event": "request", **fields, "level": "info", "logger": ACCESS_LOGGER}
            record["timestamp"] = timestamp
            line = orjson.dumps(record).decode()
        else:
            pairs = " ".join(f"{key}={value}" for key, value in fields.items())
            line = f"{timestamp} [info     ] request {pairs} [{ACCESS_LOGGER}]"
        try:
            handler.acquire()
            try:
                handler.stream.write(line + "\n")
                handler.flush()
            finally:
                handler.release()
        except (OSError, ValueError):  # a closed or broken stream never fails a request
            pass


access_log = AccessLog()
