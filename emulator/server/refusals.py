"""What a server answers itself, before or around the app, in the vendor's JSON shape instead of plain text.

A malformed request, headers over the limit, a body over the limit, an unknown transfer coding, answers left
unread over the budget, or an app failing outside Flask's own error handling: no WSGI app sees these, so
they are shaped here, by the request path when the server got that far, in OFAuth's shape (the root vendor)
when it did not.
"""
from __future__ import annotations

import orjson

from ..domain.errors import BadRequest, EmulatorError, PayloadTooLarge
from ..pipeline.errors import dialect_of

MESSAGES = {400: "Bad request: {detail}.", 413: "Request body is too large: {detail}.",
            431: "Request headers are too large: {detail}.", 501: "Not implemented: {detail}.",
            500: "An unknown error occurred."}


def _error(status: int, detail: str) -> EmulatorError:
    """The emulator's error for a status the server gives."""
    kind = PayloadTooLarge if status == 413 else BadRequest if status < 500 else EmulatorError
    error = kind(MESSAGES.get(status, "{detail}").format(detail=detail.strip().rstrip(".") or "refused"))
    error.status = status
    return error


def _body(path: str | None, error: EmulatorError) -> bytes:
    """The error body the dialect of ``path`` uses (no request id: the request never reached a session)."""
    dialect = dialect_of(path or "/")
    if dialect == "admin":
        return orjson.dumps({"error": error.message, "status": error.status})
    if dialect == "onlyfansapi":
        return orjson.dumps({"message": error.message})
    return orjson.dumps({"error": error.message, "type": error.ofauth_type, "requestId": "req_unknown"})


def refusal(path: str | None, status: int, detail: str) -> bytes:
    """The body of a refusal with ``status``, for a request to ``path``."""
    return _body(path, _error(status, detail))
