"""A session: one isolated world with its own clock, rate limits and request ids."""
from __future__ import annotations

import random
import threading
from typing import Any

from ..domain.clock import Clock
from ..domain.errors import EmulatorError
from ..domain.events import VendorEvents, parse
from ..domain.ratelimits import KeyWindows, TokenBucket
from ..domain.world import World, check
from .faults import FaultBook
from .journal import Journal, JournalLimits


class ClockBackwards(EmulatorError):
    """The clock would move back in a session that has been used: what happened there would un-happen."""

    status = 409
    message = "The clock only moves forward in a session that has been used."


class Session:
    """Everything a caller can change, guarded by one lock so concurrent requests stay consistent.

    Its world is built from the fixtures when a request first needs it, as of the instant the session started:
    a session only asked for its health, clock or faults builds none, and one built late is the one built early.
    """

    def __init__(self, name: str, document: dict[str, Any], seed: int,
                 clock_start: float | None = None, frozen: bool = False,
                 profile: list[dict[str, Any]] | None = None, journal: JournalLimits | None = None) -> None:
        self.name = name
        self.document = document
        self.seed = seed
        self.lock = threading.RLock()
        self.clock = Clock(clock_start, frozen)
        self._world: World | None = None
        self._world_at = self.clock.now()
        self._building = threading.Lock()
        check(document, seed, self._world_at)
        self._ids = random.Random(f"{seed}:requests")
        self.buckets: dict[str, TokenBucket] = {}
        self.windows: dict[str, KeyWindows] = {}
        self.imported = False  # a state document was imported: its times are not the fixtures'
        self.journal = Journal(journal)
        self.faults = FaultBook(seed)
        self.events = VendorEvents()
        for rule in profile or []:
            if "event" in rule:  # a vendor event of the profile's ``events:``, its ``in`` counted from the start
                self.events.add(self.world, *parse(rule["event"], self.clock.now()), self.clock.now())
            else:
                self.faults.add(rule, from_profile=True)

    @property
    def world(self) -> World:
        """The session's world, built from the fixtures on first use."""
        world = self._world
        if world is None:
            with self._building:
                if self._world is None:
                    self._world = World(self.document, self.seed, self._world_at)
                world = self._world
        return world

    @world.setter
    def world(self, world: World) -> None:
        self._world = world

    @property
    def used(self) -> bool:
        """Whether a vendor request authenticated here, or a state was imported: things a clock set back contradicts."""
        return bool(self.buckets or self.windows) or self.imported

    def move_clock(self, frozen: bool | None, moment: float | None, advance: float | None) -> float:
        """Move the clock (as ``Clock.move``); back only while the session is unused, rebuilding its world then.

        An unused session holds only what the fixtures made relative to its start: rebuilt at the earlier instant,
        its history is as if it had started there. In a used one, messages would un-send and rate-limit windows
        would stretch, so a move back is refused (ClockBackwards) and nothing changes.
        """
        with self.lock:
            now = self.clock.now()
            target = self.clock.target(now, moment, advance)  # OutOfRange before anything changes
            if (moment is not None or advance is not None) and target < now:
                if self.used:
                    raise ClockBackwards(
                        "The clock cannot move back in a session that has been used: delivered messages would "
                        "un-send and rate-limit windows would stretch. Reset the session (POST /_emulator/reset), "
                        "then move its clock, or start the emulator with --clock-start; it did not move.")
                self._world, self._world_at = None, target
            return self.clock.move(frozen, target)

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
