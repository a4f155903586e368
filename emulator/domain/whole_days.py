"""A chart window's whole UTC days, worked out once and kept until the queue changes: how many messages began
sending on each, what each sold, and each one's newest seller (the order a window's total adds days up in).

A whole day lies inside its window and ends by the window's ``until`` (at the latest, now), so nothing about it
moves with the clock: only a change to the queue can alter it (a create, edit, publish, failure, delete or
import), and the queue forgets every kept run on each. A chart asked again within the same day reads its whole
days here and works out only its partial first and last days.
"""
from __future__ import annotations

import threading
from bisect import insort
from collections.abc import Hashable
from dataclasses import dataclass

from .kept import keep
from .timeline import Key

# Runs kept per queue, the oldest dropped first: a default chart reads two (its window and the one before). A run
# holds at most a year of days (``analytics.MAX_DAYS``), about 50 KB when every day sold: under 0.4 MB a queue.
LIMIT = 8

# How a day sorts in a window's total: by its newest seller, then the earlier day first (ascending; read backwards).
Place = tuple[Key, float, float, float]  # newest seller's key, minus the day, the day, its revenue


@dataclass(frozen=True, slots=True)
class WholeDays:
    """A run of whole UTC days, ascending: sends per day, and the days something sold on, in ``Place`` order."""

    first: float
    sends: tuple[int, ...]
    sold: tuple[Place, ...]

    def revenue(self, partial: list[Place]) -> dict[float, float]:
        """Revenue per day of the run and of ``partial`` (days outside it), in the order a total adds them up:
        the newest seller first, the later day first among equals."""
        places = list(self.sold)
        for place in partial:
            insort(places, place)
        return {day: revenue for _, _, day, revenue in reversed(places)}


EMPTY = WholeDays(0.0, (), ())  # a window with no whole day in it


class WholeDayMemo:
    """Kept runs by ``(creator id, first day, end, lifecycle)``, at most ``LIMIT`` of them.

    Requests of one session may run at once, so a run is kept only when the queue did not change while it was
    being worked out (``token`` before, ``keep`` after), as ``RenderMemo`` does.
    """

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.token = 0  # moves on every change to the queue: a run begun before it may be stale
        self._runs: dict[Hashable, WholeDays] = {}
        self._lock = threading.Lock()

    def recall(self, key: Hashable) -> WholeDays | None:
        """The run kept under ``key``, if the queue has not changed since it was worked out."""
        return self._runs.get(key)

    def keep(self, key: Hashable, run: WholeDays, token: int) -> None:
        """Keep a run worked out since ``token`` was read; dropped if the queue changed meanwhile."""
        with self._lock:
            if token != self.token:
                return
            keep(self._runs, key, run, self.limit)

    def forget(self) -> None:
        """Drop every run: the queue calls this before and after any change to it."""
        with self._lock:
            self.token += 1
            self._runs = {}

    def __len__(self) -> int:
        """How many runs are kept."""
        return len(self._runs)
