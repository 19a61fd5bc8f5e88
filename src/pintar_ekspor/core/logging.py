"""Structured logging: JSON in production, readable console output in development.

Log lines are rendered and written by one background thread (a `QueueListener`), never on
the event loop: rendering a traceback, or a slow stderr, must not stall every other request.
The caller only builds the event dict and puts the record on a queue. Tracebacks are plain
text without local variables (rich's default renders every frame's locals, megabytes for one
SQLAlchemy error) and are cut at `MAX_TRACEBACK_CHARS`.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
import sys
import traceback
from datetime import UTC, datetime
from typing import IO, Any, TextIO, cast

import orjson
import structlog
from structlog.typing import EventDict, ExcInfo, WrappedLogger

MAX_TRACEBACK_CHARS = 16_000

ACCESS_LOGGER = "pintar_ekspor.access"


class _DeferredQueueHandler(logging.handlers.QueueHandler):
    """Enqueue the record untouched: the stdlib version formats it (traceback included) on
    the caller's thread, which is exactly what must not happen on the event loop."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


class _Listener:
    """The one background writer of this process; reconfiguring swaps its handler."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        self.listener: logging.handlers.QueueListener | None = None
        self._atexit = False

    def use(self, handler: logging.Handler) -> None:
        if self.listener is None:
            self.listener = logging.handlers.QueueListener(self.queue, handler)
            self.listener.start()
            if not self._atexit:
                atexit.register(self.stop)
                self._atexit = True
        else:
            self.listener.handlers = (handler,)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()  # drains the queue first: nothing logged is lost
            self.listener = None

    def flush(self) -> None:
        """Block until everything logged so far is written (tests, shutdown)."""
        if self.listener is not None:
            handlers = self.listener.handlers
            self.listener.stop()
            self.listener = None
            self.use(handlers[0])

    def write_synchronously(self) -> None:
        """Drain the queue, then let the root logger write on the caller's thread."""
        if self.listener is not None:
            handlers = self.listener.handlers
            self.listener.stop()
            self.listener = None
            logging.getLogger().handlers[:] = list(handlers)


_LISTENER = _Listener()


def write_logs_synchronously() -> None:
    """The process is stopping: write what is queued and every later line at once.

    uvicorn re-raises SIGTERM after its shutdown, and the default action ends the process
    without running `atexit`: lines still on the queue then (uvicorn's "Application shutdown
    complete", a worker's last words) would be lost.
    """
    _LISTENER.write_synchronously()


def flush_logs() -> None:
    """Wait until every queued log line is written."""
    _LISTENER.flush()


def bounded_traceback(exc_info: ExcInfo) -> str:
    """A plain traceback (no locals), cut to `MAX_TRACEBACK_CHARS`."""
    text = "".join(traceback.format_exception(*exc_info))
    if len(text) > MAX_TRACEBACK_CHARS:
        half = MAX_TRACEBACK_CHARS // 2
        cut = len(text) - 2 * half
        text = f"{text[:half]}\n... [{cut} characters cut] ...\n{text[-half:]}"
    return text


def _console_traceback(sio: IO[str], exc_info: ExcInfo) -> None:
    sio.write("\n" + bounded_traceback(exc_info))


def _format_exc_info(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    exc_info = event_dict.pop("exc_info", None)
    if exc_info:
        if exc_info is True:
            exc_info = sys.exc_info()
        elif isinstance(exc_info, BaseException):
            exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
        if exc_info[0] is not None:
            event_dict["exception"] = bounded_traceback(exc_info)
    return event_dict


def _capture_exc_info(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    # `log.exception()` asks for sys.exc_info(), which only exists on the calling thread:
    # capture the triple now, render it later on the writer thread.
    if event_dict.get("exc_info") is True:
        event_dict["exc_info"] = sys.exc_info()
    return event_dict


def configure_logging(
    *, level: str = "INFO", json_logs: bool = False, stream: IO[str] | None = None
) -> None:
    """Route structlog and the standard library (uvicorn, sqlalchemy) through one pipeline."""
    out = stream or sys.stderr
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        _capture_exc_info,
    ]
    renderer: Any
    render_chain: list[Any] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if json_logs:
        render_chain.append(_format_exc_info)
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(
            colors=out.isatty(), exception_formatter=_console_traceback
        )
    render_chain.append(renderer)

    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared, processors=render_chain
    )
    writer: logging.StreamHandler[TextIO] = logging.StreamHandler(cast(TextIO, out))
    writer.setFormatter(formatter)
    _LISTENER.use(writer)
    root = logging.getLogger()
    root.handlers[:] = [_DeferredQueueHandler(_LISTENER.queue)]
    root.setLevel(level.upper())
    # uvicorn's access log duplicates our request log line.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Access lines are small and fixed: written straight to the stream (core.middleware).
    access_log.configure(json_logs=json_logs, handler=writer)


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
