"""What a log line may say about the request it belongs to, and the JSON form of a log line.

The context of the request (or of the job) being handled lives in a context variable: the
request id, the person's id (never a name or an e-mail), the method and the route's name (never
the path with its query string). `ContextFilter` copies it onto every log record, so a line
logged anywhere below a view or a job carries it; `JsonFormatter` writes one JSON object per
line. An exception is written as its class and its stack (file, line, function): never its
message, which can carry an address, a name or a form's value.

    >>> safe_request_id("abc-123.X_y")
    'abc-123.X_y'
    >>> safe_request_id("a b") is None, safe_request_id("x" * 65) is None
    (True, True)
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import traceback
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

FIELDS = ("request_id", "person", "method", "route", "job")
# Extra fields a log call may give (`logger.info(..., extra={"status": 200})`) that the JSON
# line keeps; any other extra is dropped (it could be a request, a form or a person).
EXTRA_FIELDS = ("status", "duration_ms", "outcome", "attempts", "job_id")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "partnernet_log_context", default=None
)


def safe_request_id(value: str | None) -> str | None:
    """The value when it is a harmless token (at most 64 of A-Z a-z 0-9 . _ -), else None."""
    if value and REQUEST_ID.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> dict[str, Any]:
    return dict(_context.get() or {})


def current_request_id() -> str | None:
    return (_context.get() or {}).get("request_id")


def bind(**fields: Any) -> None:
    """Add fields to the context of the request or job being handled."""
    values = {**(_context.get() or {}), **{k: v for k, v in fields.items() if k in FIELDS}}
    _context.set(values)


@contextlib.contextmanager
def context(**fields: Any) -> Iterator[None]:
    """A fresh context for one request or one job; the one before comes back afterwards."""
    token = _context.set({k: v for k, v in fields.items() if k in FIELDS and v is not None})
    try:
        yield
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Puts the request's (or job's) context on each record; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        values = _context.get() or {}
        for name in FIELDS:
            if not hasattr(record, name):
                setattr(record, name, values.get(name))
        return True


def stack_of(error: BaseException | None, tb: TracebackType | None = None) -> list[str]:
    """The frames of an exception as `file:line in function`, without any message or value."""
    tb = tb if tb is not None else getattr(error, "__traceback__", None)
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]


def _message(record: logging.LogRecord) -> str:
    message = record.getMessage()
    request = getattr(record, "request", None)
    path = getattr(request, "path", None)
    if isinstance(path, str) and path:
        # Django's own lines ("Not Found: /path") name the path, which may hold a secret key
        # (a one-time link, a calendar address): the route's name stands in for it.
        route = getattr(record, "route", None) or "unmatched"
        message = message.replace(path, route)
    return message


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
        }
        for name in FIELDS + EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line["exception"] = type(error).__name__
            line["stack"] = stack_of(error, record.exc_info[2])
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The demo's and a developer's readable lines: level, logger, the request id when there is
    one, the message, and a full traceback (with its message: this form is for development;
    production writes JSON)."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        prefix = f"[{request_id}] " if request_id else ""
        text = f"{record.levelname} {record.name}: {prefix}{_message(record)}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def adopt_handlers(logger: logging.Logger, *, json_lines: bool) -> None:
    """Give the handlers another program set up (Celery's worker) our context and our form."""
    for handler in logger.handlers:
        if not any(isinstance(f, ContextFilter) for f in handler.filters):
            handler.addFilter(ContextFilter())
        if json_lines:
            handler.setFormatter(JsonFormatter())
