"""The request's place in the harness: the app's session registry, and the session a request belongs to.

A request names its session by the ``X-Emulator-Session`` header or by a path prefix, ``/s/{session}``, in front
of any route; ``SessionPrefix`` takes the prefix off before routing, so a client that only takes a base URL is
isolated too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, g, request

from ..domain.errors import BadRequest
from ..harness.session import Session
from ..harness.sessions import DEFAULT, HEADER, MAX_NAME, Sessions

PREFIX = "/s/"
PATH_SESSION = "emulator.session"  # the WSGI environ key holding the session named by the path


class SessionPrefix:
    """WSGI middleware: serve every route under ``/s/{session}`` too, the name noted and the prefix moved to
    ``SCRIPT_NAME`` (so URLs the app builds from its root keep it)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Take a ``/s/{session}`` prefix off the path, then call the app."""
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            name, slash, rest = path[len(PREFIX):].partition("/")
            if name:
                environ[PATH_SESSION] = name
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX + name
                environ["PATH_INFO"] = slash + rest or "/"
        return self.wsgi_app(environ, start_response)


def current_session() -> Session:
    """The session of the request being handled (by path prefix or X-Emulator-Session, else the default)."""
    if "session" not in g:
        in_header = request.headers.get(HEADER, "").strip()
        in_path = request.environ.get(PATH_SESSION, "")
        if in_header and in_path and in_header != in_path:  # one request, one session: never guess which
            raise BadRequest(f"{HEADER} names session {in_header!r:.40} but the path names {in_path!r:.40}; "
                             "send one, or the same in both.")
        name = in_path or in_header or DEFAULT
        if len(name) > MAX_NAME:  # refused, not cut: two long names must never share a session
            raise BadRequest(f"{HEADER} is at most {MAX_NAME} characters long.")
        g.session = registry().get(name)
    return g.session


def registry() -> Sessions:
    """The app's session registry."""
    sessions: Any = current_app.extensions["emulator.sessions"]
    return sessions
