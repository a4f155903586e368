"""The request's place in the harness: the app's session registry, and the session a request belongs to.

A request names its session by the ``X-Emulator-Session`` header or by a path prefix, ``/s/{session}``, in front
of any route; ``strip_prefix`` takes it off before routing, so a client that only takes a base URL is
isolated too.

Which session a request may create: an admin call creates the one it names; a vendor request creates it only
when its credentials pass (``ADMITS``, a check the app installs); any other request on a name not held is
answered from a stand-in session that keeps nothing, so unauthenticated traffic never evicts a real session.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, Response, g, request

from ..domain.errors import BadRequest
from ..harness.session import Session
from ..harness.sessions import (
    DEFAULT,
    HEADER,
    NAME,
    NAME_RULE,
    PREFIX,
    SessionEvicted,
    Sessions,
)
from .web import environ_key, read_ahead, request_globals, this_app, this_request

ADMITS = "emulator.admits"  # app.extensions key: () -> bool, whether a vendor request may create its session
EVICTED_HEADER = "X-Emulator-Session-Evicted"
HEADER_KEY = environ_key(HEADER)


def session_name() -> str:
    """The request's session name: the /s/{session} prefix or X-Emulator-Session (trimmed of spaces and tabs),
    which must agree when both are given; else the default. A name outside the rule is a 400."""
    environ = this_request().environ
    in_header = environ.get(HEADER_KEY, "").strip(" \t")
    in_path = environ.get(PATH_SESSION, "")
    if in_header and in_path and in_header != in_path:  # one request, one session: never guess which
        raise BadRequest(f"{HEADER} names session {in_header!r:.40} but the path names {in_path!r:.40}; "
                         "send one, or the same in both.")
    name = in_path or in_header or DEFAULT
    if name != DEFAULT and not NAME.fullmatch(name):  # refused, never cut or mapped: two names must never share one
        raise BadRequest(f"A session name (the {HEADER} header or the /s/ path prefix) must be {NAME_RULE}.")
    return name

PATH_SESSION = "emulator.session"  # the WSGI environ key holding the session named by the path


def strip_prefix(environ: dict[str, Any]) -> None:
    """Take a ``/s/{session}`` prefix off the path: the name noted, the prefix moved to ``SCRIPT_NAME`` (so URLs
    the app builds from its root keep it)."""
    path = environ.get("PATH_INFO", "")
    if path.startswith(PREFIX):
        name, slash, rest = path[len(PREFIX):].partition("/")
        if name:
            environ[PATH_SESSION] = name
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX + name
            environ["PATH_INFO"] = slash + rest or "/"


def current_session() -> Session:
    """The session of the request being handled (by path prefix or X-Emulator-Session, else the default)."""
    found = request_globals()  # it runs several times a request
    session: Session | None = found.get("session")  # get: a miss raises no AttributeError
    if session is None:
        session = found.session = _find_or_create(session_name())
    return session


def _find_or_create(name: str) -> Session:
    sessions = registry()
    session = sessions.find(name)
    if session is not None:
        return session
    evicted = sessions.was_evicted(name)
    if request.path.startswith("/_emulator/"):
        g.session_evicted = evicted and name
        return sessions.get(name)
    if evicted:
        g.session_evicted = name
        raise SessionEvicted(f"Session {name!r} was evicted to make room for another (--max-sessions "
                             f"{sessions.limit}); its state is gone. Reset it (POST /_emulator/reset with this "
                             "X-Emulator-Session) to start it again, or raise --max-sessions.")
    admits: Callable[[], bool] = this_app().extensions.get(ADMITS, lambda: True)
    return sessions.get(name) if admits() else sessions.lobby


def registry() -> Sessions:
    """The app's session registry."""
    sessions: Any = this_app().extensions["emulator.sessions"]
    return sessions


def install(app: Flask, admits: Callable[[], bool]) -> None:
    """Let vendor requests create sessions when ``admits()``."""
    app.extensions[ADMITS] = admits


def mark_evicted(response: Response) -> None:
    """Say on the answer when the session it named was evicted."""
    evicted = request_globals().get("session_evicted")
    if evicted:
        response.headers[EVICTED_HEADER] = evicted


@contextlib.contextmanager
def locked_session() -> Iterator[Session]:
    """The request's session with its lock held, for a route; a body still arriving is read first
    (``web.read_ahead``), so a client sending it slowly holds no lock meanwhile."""
    session = current_session()
    read_ahead()
    with session.lock:
        yield session
