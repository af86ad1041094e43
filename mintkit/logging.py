"""Logs a person can act on: request context on every line, JSON in production, no secrets.

- ``RequestContextFilter`` copies the current request's id, path, method and (once the
  request has looked the user up) user id onto every record, from a context variable the
  request-id middleware (``mintkit.middleware``) sets.
- ``RedactingFilter`` masks what must never reach a log: Stripe keys (``sk_``, ``rk_``, ``pk_``,
  ``whsec_``), bearer tokens, passwords and secrets in ``key=value`` form, Studio hand-off
  tokens (JWTs), e-mail confirmation and password-reset keys in URLs, card numbers (Luhn-valid
  runs of 13–19 digits) and e-mail addresses (first letter and domain kept). It runs on the
  handler, so records from every logger pass through it, exception text included.
- ``JsonFormatter`` writes one JSON object per line (production: stdout, for Heroku's log
  drains); ``ConsoleFormatter`` keeps development readable with the request id in brackets.
- ``sentry_init`` turns on Sentry error reports when ``SENTRY_DSN`` is set.

No third-party logging package: the standard library's ``logging`` and ``json`` are enough.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.functional import empty


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    path: str
    method: str
    request: Any = None  # the HttpRequest, read for its user only once it is loaded


request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "mintkit_request_context", default=None
)


def request_id_get() -> str | None:
    """The current request's id (for passing on to a background task), or None."""
    context = request_context.get()
    return context.request_id if context else None


def _loaded_user_id(request) -> int | None:
    """The user's id if this request has already looked its user up; never queries for it."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject until first used
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


# Fields a record may carry; JsonFormatter writes the ones that are set.
CONTEXT_FIELDS = ("request_id", "user_id", "path", "method", "status", "duration_ms")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = request_context.get()
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):
                value = (
                    getattr(context, name, None)
                    if name in ("request_id", "path", "method")
                    else None
                )
                setattr(record, name, value)
        if record.user_id is None and context is not None and context.request is not None:
            record.user_id = _loaded_user_id(context.request)
        return True


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else match.group(0)


def _mask_email(match: re.Match) -> str:
    return f"{match.group(1)[0]}***(at){match.group(2)}"


_REDACTIONS: list[tuple[re.Pattern, Any]] = [
    # Studio hand-off tokens and any other JWT.
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), "[token]"),
    # Stripe keys and webhook secrets: keep the kind and mode, drop the rest.
    (
        re.compile(
            r"\b((?:sk|rk|pk)_(?:test|live)|(?:sk|rk|pk)(?!_(?:test|live)_)|whsec)_"
            r"(?!\[redacted\])[A-Za-z0-9_]+"
        ),
        r"\1_[redacted]",
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[^\s\"',;]+"), r"\1 [redacted]"),
    # password=…, "secret": "…", api_key: …, token=… (query strings, JSON, reprs).
    (
        re.compile(
            r"(?i)([\"']?\b\w*(?:password|passwd|secret|api_?key|token|authorization|signature)"
            r"\w*[\"']?\s*[:=]\s*[\"']?)(?!(?i:bearer|basic)\s|\[redacted\])[^\s\"',&;}]+"
        ),
        r"\1[redacted]",
    ),
    # allauth's one-time keys travel in the path.
    (re.compile(r"(/password/reset/key/)[^/\s]+"), r"\1[redacted]"),
    (re.compile(r"(/confirm-email/)[^/\s]+"), r"\1[redacted]"),
    # Credentials inside URLs (redis://:pw@host, postgres://user:pw@host).
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]*@"), r"\1[redacted](at)"),
    (
        re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"),
        _mask_email,
    ),
    (re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"), _mask_card),
]


def redact(text: str) -> str:
    """``text`` with secrets, card numbers and e-mail addresses masked."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    # Whatever "@" is left is not an address the patterns knew; no full address gets through.
    return text.replace("@", "(at)")


class RedactingFilter(logging.Filter):
    """Replaces a record's message (and exception text) with its redacted form."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            record.exc_info = None  # formatters use exc_text, already redacted
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request's context."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        return json.dumps(entry, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """Development: ``12:00:01 INFO billing.webhooks [request id] message``."""

    def __init__(self):
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s", "%H:%M:%S"
        )

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_id = request_id or "-"
        try:
            return super().format(record)
        finally:
            record.request_id = request_id  # other handlers see the record unchanged


# ---------------------------------------------------------------------------------------------
# Sentry
# ---------------------------------------------------------------------------------------------


def release_get(*candidates: str | None) -> str | None:
    """The deployed git SHA: the first candidate given (the settings pass Heroku's
    SOURCE_VERSION and HEROKU_SLUG_COMMIT), else the checkout's HEAD, else None."""
    for candidate in candidates:
        if candidate:
            return candidate
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, read-only, 2 s timeout
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=2,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _before_send(event, hint):
    return _scrub(event)


def _before_breadcrumb(crumb, hint):
    return _scrub(crumb)


def sentry_init(*, dsn: str, release: str | None, environment: str, **options) -> None:
    """Error reports to Sentry. PII is off (no user e-mails, IPs, cookies or request bodies),
    and every event and breadcrumb goes through the same redaction as the logs.
    DjangoIntegration is explicit; CeleryIntegration (and the logging one) are enabled by
    sentry-sdk itself whenever ``celery`` is importable."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=_before_send,
        before_breadcrumb=_before_breadcrumb,
        traces_sample_rate=0.0,
        **options,
    )
