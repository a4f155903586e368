"""Rate limits on the emulator's clock: OFAuth's token bucket and OnlyFansAPI's minute and day windows."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import RateLimited

MINUTE = 60.0
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class BucketState:
    """What the X-RateLimit-* headers report after a request."""

    limit: int
    remaining: int
    reset_at: int


class TokenBucket:
    """A bucket of ``burst`` tokens refilled continuously at ``per_minute`` tokens a minute."""

    def __init__(self, burst: int, per_minute: int, now: float) -> None:
        self.burst = burst
        self.rate = per_minute / MINUTE
        self.tokens = float(burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self, now: float) -> BucketState:
        """Spend one token, or raise RateLimited with the seconds until the next one."""
        self._refill(now)
        if self.tokens < 1:
            raise RateLimited(max(1, math.ceil((1 - self.tokens) / self.rate)),
                              "Rate limit exceeded for this connection. Retry after the time in Retry-After.")
        self.tokens -= 1
        return self.peek(now)

    def peek(self, now: float) -> BucketState:
        """Report the bucket without spending from it."""
        self._refill(now)
        full_in = (self.burst - self.tokens) / self.rate
        return BucketState(self.burst, int(self.tokens), math.ceil(now + full_in))


class Window:
    """A fixed window that opens at its first hit and allows ``limit`` hits until it closes."""

    def __init__(self, limit: int, length: float) -> None:
        self.limit = limit
        self.length = length
        self.opened = -math.inf
        self.count = 0

    def _roll(self, now: float) -> None:
        if now >= self.opened + self.length or now < self.opened:  # a clock set back never stretches a window
            self.opened, self.count = now, 0

    def remaining(self, now: float) -> int:
        """Hits left in the current window."""
        if now >= self.opened + self.length or now < self.opened:
            return self.limit
        return self.limit - self.count

    def retry_after(self, now: float) -> int:
        """Seconds until the window closes."""
        return max(1, math.ceil(self.opened + self.length - now))

    def hit(self, now: float) -> None:
        """Count one hit (the caller has checked there is room)."""
        self._roll(now)
        self.count += 1


class KeyWindows:
    """OnlyFansAPI's per-key limits: so many requests a minute, and a day window only where a key still has one.

    The vendor's newer docs announce that daily limits were removed: ``limit_day`` and ``remaining_day`` read
    ``null`` beside a ``notice``. A fixture key with a ``limit_day`` gets the older daily window back.
    """

    NOTICE = "Daily rate limits have been removed. limit_day and remaining_day are kept for compatibility (legacy)."

    def __init__(self, per_minute: int, per_day: int | None) -> None:
        self.minute = Window(per_minute, MINUTE)
        self.day = Window(per_day, DAY) if per_day is not None else None

    def _windows(self) -> tuple[Window, ...]:
        return (self.day, self.minute) if self.day is not None else (self.minute,)

    def hit(self, now: float) -> None:
        """Count a request, or raise RateLimited when a window is spent."""
        windows = self._windows()
        for window in windows:
            if window.remaining(now) <= 0:
                raise RateLimited(window.retry_after(now), "Too Many Attempts.")
        for window in windows:
            window.hit(now)

    def report(self, now: float) -> dict[str, int | str | None]:
        """The ``_rate_limits`` block of ``_meta``."""
        report: dict[str, int | str | None] = {
            "limit_minute": self.minute.limit, "limit_day": None,
            "remaining_minute": self.minute.remaining(now), "remaining_day": None}
        if self.day is None:
            report["notice"] = self.NOTICE
        else:
            report.update(limit_day=self.day.limit, remaining_day=self.day.remaining(now))
        return report
