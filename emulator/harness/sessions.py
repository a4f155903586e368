"""The sessions of one emulator: the default world plus isolated ones named by X-Emulator-Session."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .session import Session

DEFAULT = "default"
HEADER = "X-Emulator-Session"
MAX_NAME = 128


class Sessions:
    """Named sessions created on first use; the least recently used are dropped past ``limit``."""

    def __init__(self, factory: Callable[..., Session], limit: int = 64) -> None:
        self.factory = factory
        self.limit = limit
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self.get(DEFAULT)

    def get(self, name: str) -> Session:
        """Return the named session, creating it from the fixtures if it is new."""
        with self._lock:
            session = self._sessions.get(name)
            if session is None:
                session = self._sessions[name] = self.factory(name)
                self._evict()
            self._sessions.move_to_end(name)
            return session

    def reset(self, name: str, **options: Any) -> Session:
        """Rebuild the named session from the fixtures (``seed``, ``with_profile`` as the factory takes)."""
        session = self.factory(name, **options)
        with self._lock:
            self._sessions[name] = session
            self._sessions.move_to_end(name)
        return session

    def names(self) -> list[str]:
        """The live sessions, least recently used first."""
        with self._lock:
            return list(self._sessions)

    def _evict(self) -> None:
        while len(self._sessions) > self.limit:
            oldest = next(name for name in self._sessions if name != DEFAULT)
            del self._sessions[oldest]
