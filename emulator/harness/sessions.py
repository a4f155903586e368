"""The sessions of one emulator: the default world plus up to ``limit`` named ones (X-Emulator-Session).

A session is never lost silently. Past the limit the least recently used named session is evicted (``evict``)
or the new one refused (``refuse``); an evicted name is remembered, so its next vendor request is told so
instead of meeting a fresh world, until an admin call on that name creates it again.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..domain.errors import EmulatorError
from .session import Session

DEFAULT = "default"
HEADER = "X-Emulator-Session"
PREFIX = "/s/"  # a session named by its base URL: /s/{session} in front of any route
MAX_NAME = 128
# Visible ASCII, no spaces: what every server carries unchanged, and one word in the access log's text line.
NAME = re.compile(rf"[\x21-\x7e]{{1,{MAX_NAME}}}")
NAME_RULE = f"1 to {MAX_NAME} visible ASCII characters (letters, digits, punctuation; no spaces)"
ON_FULL = ("evict", "refuse")
LOBBY = "(no session)"  # not a valid name: no request can address it
REMEMBERED = 10_000  # evicted names kept to say so (about 1.3 MB at most); the oldest are forgotten first
log = logging.getLogger(__name__)


class SessionsFull(EmulatorError):
    """``--on-full refuse``: every named session is taken, and this request would create another."""

    status = 503
    ofauth_type = "UNKNOWN_ERROR"
    message = "Every session is taken."


class SessionEvicted(EmulatorError):
    """The request's session was evicted to make room for another; its state is gone."""

    status = 503
    ofauth_type = "UNKNOWN_ERROR"
    message = "This session was evicted."


class Sessions:
    """The default session and up to ``limit`` named ones; ``on_full`` says what a new one past it does."""

    def __init__(self, factory: Callable[..., Session], limit: int = 64, on_full: str = "evict") -> None:
        self.factory = factory
        self.limit = limit
        self.on_full = on_full
        self.evicted = 0  # named sessions evicted since start, as health reports them
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._gone: OrderedDict[str, None] = OrderedDict()
        self._sessions[DEFAULT] = factory(DEFAULT)
        self._lobby: Session | None = None

    @property
    def lobby(self) -> Session:
        """The stand-in that answers requests on names not held which may not create them; never listed."""
        with self._lock:
            if self._lobby is None:
                self._lobby = self.factory(LOBBY)
            return self._lobby

    def find(self, name: str) -> Session | None:
        """The named session if it exists (marking it used); None if it does not."""
        with self._lock:
            session = self._sessions.get(name)
            if session is not None:
                self._sessions.move_to_end(name)
            return session

    def was_evicted(self, name: str) -> bool:
        """Whether ``name`` was evicted and not created again since."""
        with self._lock:
            return name in self._gone

    def get(self, name: str) -> Session:
        """Return the named session, creating it from the fixtures if it is new (SessionsFull if refused)."""
        return self.find(name) or self.add(name, self.factory(name))

    def add(self, name: str, session: Session) -> Session:
        """Keep a session built for ``name`` (unless another request kept one first); make room for it."""
        with self._lock:
            kept = self._sessions.get(name)
            if kept is not None:
                return kept
            self._keep(name, session)
            return session

    def reset(self, name: str, **options: Any) -> Session:
        """Rebuild the named session from the fixtures (``seed``, ``with_profile`` as the factory takes)."""
        session = self.factory(name, **options)
        with self._lock:
            self._keep(name, session)
        return session

    def _keep(self, name: str, session: Session) -> None:
        """Hold ``session`` under ``name`` as the most recently used, making room first for a new named one (call
        with the lock held)."""
        if name not in self._sessions and name != DEFAULT and self.named() >= self.limit:
            self._make_room(name)
        self._sessions[name] = session
        self._sessions.move_to_end(name)
        self._gone.pop(name, None)

    def names(self) -> list[str]:
        """The live sessions, least recently used first."""
        with self._lock:
            return list(self._sessions)

    def any_fault_rules(self) -> bool:
        """Whether any session holds a fault rule (one may delay the request it matches)."""
        with self._lock:
            return any(session.faults.rules for session in self._sessions.values())

    def named(self) -> int:
        """How many named (not default) sessions are held."""
        return len(self._sessions) - (DEFAULT in self._sessions)

    def _make_room(self, name: str) -> None:
        if self.on_full == "refuse":
            raise SessionsFull(f"All {self.limit} sessions are taken (--max-sessions {self.limit}, --on-full "
                               f"refuse), so session {name!r} was not created. Reset or reuse one, or raise the "
                               "limit.")
        oldest = next(kept for kept in self._sessions if kept != DEFAULT)
        del self._sessions[oldest]
        self.evicted += 1
        self._gone[oldest] = None
        if len(self._gone) > REMEMBERED:
            self._gone.popitem(last=False)
        log.warning("session %r evicted to make room for %r (--max-sessions %d)", oldest, name, self.limit)
