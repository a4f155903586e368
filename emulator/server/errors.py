"""Errors waitress answers itself, before the app runs, in the vendors' JSON shapes instead of plain text.

waitress refuses a malformed request line or header, headers over its size limit, a body over
``max_request_body_size`` and an unknown transfer coding while it parses the request, and answers 500 when the
app fails outside Flask. No WSGI app sees those requests, so they are shaped here, in the server's error task:
by the request path when waitress got that far, in OFAuth's shape (the root vendor) when it did not.
"""
from __future__ import annotations

from typing import Any

import orjson
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from ..domain.errors import BadRequest, EmulatorError, PayloadTooLarge
from ..pipeline.errors import dialect_of

MESSAGES = {400: "Bad request: {detail}.", 413: "Request body is too large: {detail}.",
            431: "Request headers are too large: {detail}.", 501: "Not implemented: {detail}.",
            500: "An unknown error occurred."}


def server_error(status: int, detail: str) -> EmulatorError:
    """The emulator's error for a status waitress raised."""
    kind = PayloadTooLarge if status == 413 else BadRequest if status < 500 else EmulatorError
    error = kind(MESSAGES.get(status, "{detail}").format(detail=detail.strip().rstrip(".") or "refused"))
    error.status = status
    return error


def body(path: str | None, error: EmulatorError) -> bytes:
    """The error body the dialect of ``path`` uses (no request id: the request never reached a session)."""
    dialect = dialect_of(path or "/")
    if dialect == "admin":
        return orjson.dumps({"error": error.message, "status": error.status})
    if dialect == "onlyfansapi":
        return orjson.dumps({"message": error.message})
    return orjson.dumps({"error": error.message, "type": error.ofauth_type, "requestId": "req_unknown"})


class VendorErrorTask(ErrorTask):
    """waitress's error task, answering JSON in the dialect of the requested path."""

    def execute(self) -> None:
        """Write the error as the vendor would (status, JSON body) and close the connection."""
        failure = self.request.error
        error = server_error(failure.code, str(failure.body)[:200])
        payload = body(getattr(self.request, "path", None), error)
        self.status = f"{failure.code} {failure.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(payload)
        self.write(payload)


class VendorChannel(HTTPChannel):
    """waitress's channel with vendor-shaped error responses."""

    error_task_class = VendorErrorTask


def install(server: Any) -> Any:
    """Make every listening socket of a waitress server answer its own errors in the vendors' shapes."""
    for dispatcher in [server, *getattr(server, "map", {}).values()]:
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = VendorChannel
    return server
