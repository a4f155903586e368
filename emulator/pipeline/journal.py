"""Journal every vendor request as its client received it: final status, body or drop, and full duration.

Two halves: the Flask app notes what only it knows (session, fault rule, rate limits, request id) once its
response is built; the middleware around the whole app then records the status line and body actually handed
to the server, or the drop, the status the app handled before an ``after`` fault replaced it, and the time from
arrival to the last byte, injected delays included.
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Request, g, request

from ..domain.clock import format_instant
from ..domain.errors import EmulatorError
from ..http.context import current_session
from ..http.streams import STREAMED
from ..http.web import body_bytes
from .faults import DROP, HANDLED

NOTE = "emulator.journal"
log = logging.getLogger(__name__)


def is_vendor_path(path: str) -> bool:
    """Whether ``path`` is a vendor's (journaled), not the emulator's own."""
    return not path.startswith(("/_emulator", "/openapi"))


def _rate_limit_state(found: Any, now: float) -> dict[str, Any] | None:
    state = getattr(found, "bucket_state", None)
    if state is not None:
        return {"limit": state.limit, "remaining": state.remaining, "reset": state.reset_at}
    windows = getattr(found, "key_windows", None)
    if windows is not None:
        return dict(windows.report(now))
    return None


@functools.lru_cache(maxsize=256)
def _header_name(key: str) -> str | None:
    """The header a WSGI environ key carries, named as Werkzeug names it; None for other keys."""
    if key.startswith("HTTP_"):
        return None if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH") else key[5:].replace("_", "-").title()
    return key.replace("_", "-").title() if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else None


def request_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The request's headers in the environ's order, as ``request.headers.items()`` lists them (without its
    generators: this runs for every request)."""
    return [(name, value) for key, value in environ.items()
            if (name := _header_name(key)) is not None and (value or key.startswith("HTTP_"))]


def _request_body(req: Request) -> tuple[bytes | None, int]:
    """The body as read within the body limit, and its size; None when it was too large to read."""
    if not req.content_length and "HTTP_TRANSFER_ENCODING" not in req.environ:
        return b"", 0  # nothing was sent: skip Werkzeug's stream machinery
    if STREAMED in req.environ:  # a file upload: counted as it streamed by, never kept
        return None, req.environ[STREAMED]
    try:
        raw = body_bytes()
    except EmulatorError:
        return None, req.content_length or 0
    return raw, len(raw)


def _note() -> None:
    """Leave the request's side of its journal entry in the WSGI environ for the recorder."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not twenty
    found = g._get_current_object()  # type: ignore[attr-defined]
    epoch = getattr(found, "journal_epoch", None)  # set for vendor requests only
    if epoch is None:
        return
    path = req.path
    rule = getattr(found, "fault", None)
    body, body_size = _request_body(req)
    environ = req.environ
    session = current_session()
    environ[NOTE] = (session.journal, {
        "time": format_instant(epoch), "epoch": round(epoch, 3),
        "vendor": "onlyfansapi" if path == "/api" or path.startswith("/api/") else "ofauth",
        "method": req.method, "path": path, "query": req.query_string.decode("latin-1"),
        "headers": request_headers(environ), "body": body, "body_size": body_size,
        "body_type": (req.mimetype or None) if "CONTENT_TYPE" in environ else None,
        "fault": rule.id if rule else None, "rate_limit": _rate_limit_state(found, session.clock.now()),
        "retry_count": environ.get("HTTP_X_STAINLESS_RETRY_COUNT"), "request_id": getattr(found, "request_id", None),
    })


def note() -> None:
    """Leave the request's side of its journal entry for ``record``; a failure is logged, never answered."""
    try:
        _note()
    except Exception:  # a journal failure must never turn an answered request into a server error
        log.exception("could not journal %s %s", request.method, request.path)


def record(environ: dict[str, Any], sent: Sequence[Any], result: Iterable[bytes],
           started: float) -> Iterable[bytes]:
    """Complete and store the entry the app noted with what was really sent (``sent``: status and content type
    handed to the server), or the drop; return the body to send."""
    noted = environ.pop(NOTE, None)
    if noted is None:
        return result
    try:
        body = b"".join(result)  # vendor responses are small and already whole in memory
    finally:
        if hasattr(result, "close"):
            result.close()
    journal, fields = noted
    dropped = bool(environ.get(DROP))
    status = 0 if dropped else sent[0]
    mimetype = (sent[1] or "").split(";")[0].strip() or None
    journal.record(**fields, status=status, dropped=dropped, handled_status=environ.get(HANDLED, status),
                   response=None if dropped else body, response_type=mimetype,
                   response_size=0 if dropped else len(body),
                   duration_ms=round((time.perf_counter() - started) * 1000, 3))
    return [body]
