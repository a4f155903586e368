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

from flask import Request, request

from ..domain.clock import format_instant
from ..domain.errors import EmulatorError
from ..http.context import current_session
from ..http.streams import STREAMED
from ..http.web import body_bytes, request_globals, this_request
from .faults import DROP, HANDLED

NOTE = "emulator.journal"
log = logging.getLogger(__name__)


def is_vendor_path(path: str) -> bool:
    """Whether ``path`` is a vendor's (journaled), not the emulator's own."""
    return not path.startswith(("/_emulator", "/openapi"))


def _rate_limit_state(found: Any, now: float) -> dict[str, Any] | None:
    state = found.get("bucket_state")
    if state is not None:
        return {"limit": state.limit, "remaining": state.remaining, "reset": state.reset_at}
    windows = found.get("key_windows")
    if windows is not None:
        return dict(windows.report(now))
    return None


def _header_name(key: str) -> str | None:
    """The header a WSGI environ key carries, named as Werkzeug names it; None for other keys."""
    if key.startswith("HTTP_"):
        return None if key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH") else key[5:].replace("_", "-").title()
    return key.replace("_", "-").title() if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else None


@functools.lru_cache(maxsize=64)  # a client's requests carry the same header names, in the same order
def _header_keys(keys: tuple[str, ...]) -> tuple[tuple[str, str, bool], ...]:
    """The environ keys among ``keys`` that carry headers: each with its header's name, and whether it is listed
    when empty (an ``HTTP_`` header is; an empty ``CONTENT_TYPE`` or ``CONTENT_LENGTH`` is the server's, not
    the client's)."""
    return tuple((key, name, key.startswith("HTTP_")) for key in keys if (name := _header_name(key)) is not None)


def request_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The request's headers in the environ's order, as ``request.headers.items()`` lists them (without its
    generators: this runs for every request)."""
    return [(name, value) for key, name, always in _header_keys(tuple(environ))
            if (value := environ[key]) or always]


def _request_body(req: Request) -> tuple[bytes | None, int]:
    """The body as read within the body limit, and its size; None when it was too large to read."""
    environ = req.environ
    if "HTTP_TRANSFER_ENCODING" not in environ and (environ.get("CONTENT_LENGTH") in (None, "", "0")
                                                    or not req.content_length):
        return b"", 0  # nothing was sent: skip Werkzeug's stream machinery
    if STREAMED in environ:  # a file upload: counted as it streamed by, never kept
        return None, environ[STREAMED]
    try:
        raw = body_bytes()
    except EmulatorError:
        return None, req.content_length or 0
    return raw, len(raw)


def _note() -> None:
    """Leave the request's side of its journal entry in the WSGI environ for the recorder: the journal, and the
    leading arguments of its ``record``."""
    found = request_globals()
    epoch = found.get("journal_epoch")  # set for vendor requests only
    if epoch is None:
        return
    req = this_request()
    path = req.path
    rule = found.get("fault")
    environ = req.environ
    body, body_size = _request_body(req)
    session = current_session()
    environ[NOTE] = (session.journal, (
        format_instant(epoch), round(epoch, 3), "onlyfansapi" if path == "/api" or path.startswith("/api/") else
        "ofauth", req.method, path, req.query_string.decode("latin-1"), request_headers(environ), body, body_size,
        (req.mimetype or None) if "CONTENT_TYPE" in environ else None, rule.id if rule else None,
        _rate_limit_state(found, session.clock.now()), environ.get("HTTP_X_STAINLESS_RETRY_COUNT"),
        found.get("request_id")))


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
        body = b"".join(result)  # vendor responses are small and already whole in memory (one piece: no copy)
    finally:
        if hasattr(result, "close"):
            result.close()
    journal, asked = noted
    dropped = bool(environ.get(DROP))
    status = 0 if dropped else sent[0]
    mimetype = (sent[1] or "").split(";")[0].strip() or None
    journal.record(*asked, status, dropped, environ.get(HANDLED, status), None if dropped else body, mimetype,
                   0 if dropped else len(body), round((time.perf_counter() - started) * 1000, 3))
    return [body]
