"""Errors waitress answers itself, before the app runs, in the vendors' JSON shapes (``refusals``).

waitress refuses a malformed request line or header, headers over its size limit, a body over
``max_request_body_size`` and an unknown transfer coding while it parses the request, and answers 500 when the
app fails outside Flask. No WSGI app sees those requests, so they are shaped in the server's error task.
"""
from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from .refusals import refusal


class VendorErrorTask(ErrorTask):
    """waitress's error task, answering JSON in the dialect of the requested path."""

    def execute(self) -> None:
        """Write the error as the vendor would (status, JSON body) and close the connection."""
        failure = self.request.error
        payload = refusal(getattr(self.request, "path", None), failure.code, str(failure.body)[:200])
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
