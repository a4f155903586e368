"""The emulator's Flask: the framework as it is, less the per-request work of features the emulator never uses.

Both are hooks Flask offers for this: ``ensure_sync`` ("override this method to change how the app runs async
views": the emulator has none, so every view, hook and handler is called as it is, without an
``iscoroutinefunction`` check on each), and ``session_interface`` (no secret key, so no cookie session: one shared
null session instead of a new one, and a cookie check, per request).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from flask.sessions import NullSession, SessionInterface


class NoSessions(SessionInterface):
    """Every request gets the same empty, read-only session; nothing is ever saved."""

    null = NullSession()

    def open_session(self, app: Flask, request: Request) -> NullSession:
        """The shared null session (writing to it raises, as Flask's does without a secret key)."""
        return self.null

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Nothing to save."""


class EmulatorFlask(Flask):
    """Flask for an app with no async views and no cookie sessions."""

    session_interface = NoSessions()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Every view and hook of the emulator is a plain function: call it as it is."""
        return func
