"""The emulator's one clock: real time by default, movable and freezable for tests."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 timestamp (``Z`` allowed) into an aware UTC datetime."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_instant(moment: float) -> str:
    """Render epoch seconds the way OnlyFans does: ``2025-01-01T01:01:01+00:00``."""
    return datetime.fromtimestamp(int(moment), UTC).isoformat()


class Clock:
    """Epoch-seconds clock that follows a time source plus an offset, or stands still when frozen."""

    def __init__(self, start: float | None = None, frozen: bool = False,
                 source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._offset = 0.0 if start is None else start - source()
        self._frozen_at: float | None = None
        if frozen:
            self._frozen_at = self.now()

    def now(self) -> float:
        """Return the current emulated time in epoch seconds."""
        if self._frozen_at is not None:
            return self._frozen_at
        return self._source() + self._offset

    @property
    def frozen(self) -> bool:
        """Whether time stands still until advanced by hand."""
        return self._frozen_at is not None

    def advance(self, seconds: float) -> float:
        """Move time forward (or back, with a negative number) and return the new now."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
            return self.now()

    def set(self, moment: float) -> float:
        """Jump to an absolute time and return it."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = moment
            else:
                self._offset = moment - self._source()
            return self.now()

    def freeze(self, frozen: bool) -> None:
        """Stop time at the current instant, or let it run again from there."""
        with self._lock:
            if frozen and self._frozen_at is None:
                self._frozen_at = self.now()
            elif not frozen and self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None
