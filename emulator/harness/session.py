"""A session: one isolated world with its own clock, rate limits and request ids."""
from __future__ import annotations

import random
import threading
from typing import Any

from ..domain.clock import Clock
from ..domain.events import VendorEvents, parse
from ..domain.ratelimits import KeyWindows, TokenBucket
from ..domain.world import World
from .faults import FaultBook
from .journal import Journal, JournalLimits


class Session:
    """Everything a caller can change, guarded by one lock so concurrent requests stay consistent."""

    def __init__(self, name: str, document: dict[str, Any], seed: int,
                 clock_start: float | None = None, frozen: bool = False,
                 profile: list[dict[str, Any]] | None = None, journal: JournalLimits | None = None) -> None:
        self.name = name
        self.document = document
        self.seed = seed
        self.lock = threading.RLock()
        self.clock = Clock(clock_start, frozen)
        self.world = World(document, seed, self.clock.now())
        self._ids = random.Random(f"{seed}:requests")
        self.buckets: dict[str, TokenBucket] = {}
        self.windows: dict[str, KeyWindows] = {}
        self.journal = Journal(journal)
        self.faults = FaultBook(seed)
        self.events = VendorEvents()
        for rule in profile or []:
            if "event" in rule:  # a vendor event of the profile's ``events:``, its ``in`` counted from the start
                self.events.add(self.world, *parse(rule["event"], self.clock.now()), self.clock.now())
            else:
                self.faults.add(rule, from_profile=True)

    def request_id(self) -> str:
        """Return the next request id, drawn from the session's seeded generator."""
        with self.lock:
            return f"req_{self._ids.getrandbits(96):024x}"

    def bucket(self, connection_id: str, burst: int, per_minute: int) -> TokenBucket:
        """The OFAuth token bucket of a connection, created full on first use."""
        if connection_id not in self.buckets:
            self.buckets[connection_id] = TokenBucket(burst, per_minute, self.clock.now())
        return self.buckets[connection_id]

    def key_windows(self, key: str, per_minute: int, per_day: int | None) -> KeyWindows:
        """The OnlyFansAPI minute and day windows of a key."""
        if key not in self.windows:
            self.windows[key] = KeyWindows(per_minute, per_day)
        return self.windows[key]
