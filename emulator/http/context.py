"""The request's place in the harness: the app's session registry, and the session a request belongs to."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, request

from ..domain.errors import BadRequest
from ..harness.session import Session
from ..harness.sessions import DEFAULT, HEADER, MAX_NAME, Sessions


def current_session() -> Session:
    """The session of the request being handled (X-Emulator-Session, else the default)."""
    if "session" not in g:
        name = request.headers.get(HEADER, "").strip() or DEFAULT
        if len(name) > MAX_NAME:  # refused, not cut: two long names must never share a session
            raise BadRequest(f"{HEADER} is at most {MAX_NAME} characters long.")
        g.session = registry().get(name)
    return g.session


def registry() -> Sessions:
    """The app's session registry."""
    sessions: Any = current_app.extensions["emulator.sessions"]
    return sessions
