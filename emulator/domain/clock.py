"""The emulator's one clock: real time by default, movable and freezable for tests, always renderable."""
from __future__ import annotations

import functools
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

# Every instant the emulator holds lies in this range, so it and anything within a year of it (unsend windows,
# rate-limit resets, sending times) renders as an ISO-8601 date.
EARLIEST = 0.0
LATEST = datetime(9999, 1, 1, tzinfo=UTC).timestamp()
RANGE = "from 1970-01-01T00:00:00Z to 9999-01-01T00:00:00Z"
# ASCII ISO-8601 only: a date, optionally a time with fractions, optionally Z or an offset.
ISO_8601 = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
                      r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?")


class OutOfRange(ValueError):
    """An instant outside what the emulator can hold and render."""


def check_instant(moment: float) -> float:
    """Return ``moment`` if it lies in the clock's range, else raise OutOfRange."""
    if not (isinstance(moment, (int, float)) and math.isfinite(moment) and EARLIEST <= moment < LATEST):
        raise OutOfRange(f"instants run {RANGE}")
    return float(moment)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 timestamp (``Z`` allowed) into an aware UTC datetime within the clock's range."""
    if not isinstance(text, str) or not ISO_8601.fullmatch(text.strip()):
        raise ValueError(f"not an ISO-8601 instant: {text!r:.40}")
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
    except OverflowError as error:
        raise OutOfRange(f"instants run {RANGE}") from error
    check_instant(value.timestamp())
    return value


def format_instant(moment: float) -> str:
    """Render epoch seconds the way OnlyFans does: ``2025-01-01T01:01:01+00:00``."""
    return _formatted(int(moment))


def format_fleeting(moment: float) -> str:
    """``format_instant`` for an instant that moves with the clock (a fan's last visit): it is not kept, since
    each one is new and keeping it would only push out the instants that recur."""
    return _written(int(moment))


@functools.lru_cache(maxsize=8192)  # a list renders three instants per message, the same ones request after request
def _formatted(second: int) -> str:
    return _written(second)


# The time of day in pieces, looked up rather than formatted (a format spec costs more than the rest together).
_MINUTES = [f"T{hour:02d}:{minute:02d}:" for hour in range(24) for minute in range(60)]
_SECONDS = [f"{second:02d}+00:00" for second in range(60)]


def _written(second: int) -> str:
    """``datetime.fromtimestamp(second, UTC).isoformat()`` from looked-up pieces, in a fifth of its time."""
    day, rest = divmod(second, 86_400)
    minute, rest = divmod(rest, 60)
    return f"{_date(day)}{_MINUTES[minute]}{_SECONDS[rest]}"


@functools.lru_cache(maxsize=1024)  # short strings: the days the emulator's instants fall on, a few years of them
def _date(day: int) -> str:
    return datetime.fromtimestamp(day * 86_400, UTC).date().isoformat()


class Clock:
    """Epoch-seconds clock that follows a time source plus an offset, or stands still when frozen.

    Every move is checked before it is made: a move that would leave the range changes nothing.
    """

    def __init__(self, start: float | None = None, frozen: bool = False,
                 source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._offset = 0.0 if start is None else check_instant(start) - source()
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

    @staticmethod
    def target(now: float, moment: float | None = None, advance: float | None = None) -> float:
        """Where a move from ``now`` to ``moment``, then ``advance`` seconds on, lands; OutOfRange if outside."""
        target = now if moment is None else check_instant(moment)
        return target if advance is None else check_instant(target + advance)

    def move(self, frozen: bool | None = None, moment: float | None = None, advance: float | None = None) -> float:
        """Freeze or unfreeze, jump to ``moment``, then advance by seconds, all or nothing; return the new now."""
        with self._lock:
            target = self.target(self.now(), moment, advance)
            stopped = self.frozen if frozen is None else frozen
            if stopped:
                self._frozen_at = target
            else:
                self._frozen_at, self._offset = None, target - self._source()
            return self.now()

    def advance(self, seconds: float) -> float:
        """Move time forward (or back, with a negative number) and return the new now."""
        return self.move(advance=seconds)

    def set(self, moment: float) -> float:
        """Jump to an absolute time and return it."""
        return self.move(moment=moment)

    def freeze(self, frozen: bool) -> None:
        """Stop time at the current instant, or let it run again from there."""
        self.move(frozen=frozen)
