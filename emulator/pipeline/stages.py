"""Every request's stages around its route, in one place and in order: one WSGI middleware, one hook before the
route and one after it (each a single call, where separate wrappers and hooks cost a call and a lookup apiece).

Outside Flask (``Pipeline``): take off a ``/s/{session}`` prefix; call the app; record the journal entry with
what was really sent; end the connection when a rule drops it.
Before the route (``before``): note the arrival on the session's clock; give a vendor request its id; refuse
OPTIONS; apply a fault rule that fires before the route.
After it (``after``): note the journal entry; apply a fault rule that fires after the route; say when the session
was evicted.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response

from ..http import web
from ..http.context import current_session, mark_evicted, strip_prefix
from . import faults, journal

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Pipeline:
    """The WSGI middleware around the Flask app: session prefix, journal recording and dropped connections."""

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Serve one request."""
        strip_prefix(environ)
        started = time.perf_counter()
        sent: list[Any] = [0, None]

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[0] = int(status[:3])
            sent[1] = next((value for name, value in headers if name == "Content-Type"), None)
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if journal.NOTE in environ:
            result = journal.record(environ, sent, result, started)
        if environ.get(faults.DROP):
            faults.drop_connection(environ, result)
        return result


def before() -> Response | None:
    """Everything before the route; a response ends the request there."""
    req = web.this_request()
    if journal.is_vendor_path(req.path):
        # A session name the registry refuses raises here: answered in the vendor's shape, and not journaled.
        session, found = current_session(), web.request_globals()
        found.journal_epoch = session.clock.now()  # when, on the session's clock, the request arrived
        found.request_id = session.request_id()
    web.refuse_options(req)
    return faults.before()


def after(response: Response) -> Response:
    """Everything after the route (and after an error handler's answer)."""
    journal.note()
    response = faults.after(response)
    mark_evicted(response)
    return response


def quick_check(app: Any) -> Callable[[dict[str, Any]], bool] | None:
    """For a server: whether a request to the emulator ``app`` cannot wait, so it may run without a thread of
    its own. It cannot when it is a vendor request, names no fault in a header and no session holds a fault rule
    (only a rule delays a request). None when ``app`` is not an emulator app."""
    sessions = getattr(app, "extensions", {}).get("emulator.sessions")
    if sessions is None:
        return None
    def quick(environ: dict[str, Any]) -> bool:
        return ("/_emulator" not in environ.get("PATH_INFO", "") and faults.HEADER_KEY not in environ
                and not sessions.any_fault_rules())

    return quick


def install(app: Flask) -> None:
    """Run the stages around every request of ``app``."""
    app.before_request(before)
    app.after_request(after)
    app.wsgi_app = Pipeline(app.wsgi_app)  # type: ignore[method-assign]
