"""Purchase revenue per UTC day, per creator: each day is built once, from only the messages that can sell on
it, and edited in place as messages are added, changed or removed, so a chart reads its days, not the history."""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .lifecycle import PURCHASE_HALF_LIFE, Lifecycle, purchased
from .models import QueueItem
from .timeline import key

DAY = 86_400.0
# Purchases follow a saturating curve; after this long the whole-number count no longer moves.
PURCHASE_HORIZON = math.ceil(40 * PURCHASE_HALF_LIFE / DAY) * DAY

Started = Callable[[float, float], Iterator[QueueItem]]


def day_floor(moment: float) -> float:
    """The start of the UTC day holding ``moment``."""
    return moment - moment % DAY


def day_starts(start: float, stop: float) -> list[float]:
    """The starts of the UTC days from the one holding ``start`` on, each before ``stop``."""
    days = []
    day = day_floor(start)
    while day < stop:
        days.append(day)
        day += DAY
    return days


def selling_days(item: QueueItem) -> list[float]:
    """The UTC days on which ``item`` can sell: from the day it starts sending to the end of its horizon."""
    return [] if item.saved else day_starts(item.starts_at, item.starts_at + PURCHASE_HORIZON)


@dataclass(frozen=True, slots=True)
class DaySales:
    """One UTC day's purchase revenue, and the messages that sold on it, newest first (a chart adds them up in
    that order, and a part of the day can only hold purchases of these), each with its purchase count when the
    day opened for it (the day's start, or its send time) and when it closed (the day's end, or its horizon's)."""

    day: float
    revenue: float = 0.0
    sellers: tuple[QueueItem, ...] = ()
    opening: tuple[int, ...] = ()
    closing: tuple[int, ...] = ()

    def between(self, low: float, high: float, lifecycle: Lifecycle) -> tuple[float, QueueItem | None]:
        """The revenue of ``[low, high)``, a part of the day, added up newest seller first, and its newest seller
        (None when nothing sold in it)."""
        revenue, newest = 0.0, None
        for item, opening, closing in zip(self.sellers, self.opening, self.closing):
            begins = item.starts_at
            first, last = max(low, begins), min(high, begins + PURCHASE_HORIZON)
            if last <= first:
                continue
            before = opening if first == max(self.day, begins) else purchased(item, first, lifecycle)
            after = closing if last == min(self.day + DAY, begins + PURCHASE_HORIZON) else purchased(
                item, last, lifecycle)
            if after != before:
                revenue += (after - before) * item.price
                newest = newest or item
        return revenue, newest

    def without(self, item: QueueItem) -> DaySales:
        """The day without ``item``'s sales."""
        rows = [row for row in zip(self.sellers, self.opening, self.closing) if row[0] is not item]
        return _summed(self.day, *zip(*rows)) if rows else DaySales(self.day)

    def with_seller(self, item: QueueItem, opening: int, closing: int) -> DaySales:
        """The day with ``item``'s sales, in its place among the sellers (newest first)."""
        rows = list(zip(self.sellers, self.opening, self.closing))
        place = key(item)
        index = next((number for number, row in enumerate(rows) if key(row[0]) < place), len(rows))
        rows.insert(index, (item, opening, closing))
        return _summed(self.day, *zip(*rows))


class DailySales:
    """Each creator's built days, kept exact as the queue adds, changes or removes messages: it calls ``remove``
    before a message changes or goes and ``add`` once it is stored or changed."""

    def __init__(self) -> None:
        self._days: dict[int, dict[float, DaySales]] = {}
        self._lifecycle: Lifecycle | None = None

    def remove(self, item: QueueItem) -> None:
        """Take ``item`` out of the built days it sold on."""
        days = self._days.get(item.creator_id)
        if not days:
            return
        for day in selling_days(item):
            found = days.get(day)
            if found is not None and any(seller is item for seller in found.sellers):
                days[day] = found.without(item)

    def add(self, item: QueueItem) -> None:
        """Put ``item`` into the built days it sells on."""
        days = self._days.get(item.creator_id)
        if not days or self._lifecycle is None:
            return
        for day, before, after in _daily(item, self._lifecycle):
            found = days.get(day)
            if found is not None:
                days[day] = found.with_seller(item, before, after)

    def clear(self) -> None:
        """Drop every built day."""
        self._days = {}

    def kept(self, creator_id: int) -> int:
        """How many of the creator's days are built and kept."""
        return len(self._days.get(creator_id, {}))

    def days(self, creator_id: int, wanted: list[float], started: Started,
             lifecycle: Lifecycle) -> dict[float, DaySales]:
        """The sales of each day in ``wanted`` (UTC day starts, ascending), building each run of missing days in
        one pass over the messages that can sell on it; ``started(since, before)`` yields those, newest first.

        A day no message could sell on is answered empty and not kept, so windows far from every message leave
        nothing behind."""
        if lifecycle != self._lifecycle:
            self._days, self._lifecycle = {}, lifecycle
        built = self._days.setdefault(creator_id, {})
        for run in _runs([day for day in wanted if day not in built]):
            built.update(_build(run, started(run[0] - PURCHASE_HORIZON, run[-1] + DAY), lifecycle))
        return {day: built.get(day) or DaySales(day) for day in wanted}


def _runs(days: list[float]) -> Iterator[list[float]]:
    """Ascending days cut into runs of consecutive ones."""
    run: list[float] = []
    for day in days:
        if run and day != run[-1] + DAY:
            yield run
            run = []
        run.append(day)
    if run:
        yield run


def _build(run: list[float], items: Iterable[QueueItem], lifecycle: Lifecycle) -> dict[float, DaySales]:
    """The sales of each day of ``run`` that a message of ``items`` (newest first) could sell on."""
    wanted = set(run)
    sellers: dict[float, tuple[list[QueueItem], list[int], list[int]]] = {}
    begins: list[float] = []
    for item in items:
        begins.append(item.starts_at)
        for day, before, after in _daily(item, lifecycle):
            if day in wanted:
                found, opening, closing = sellers.setdefault(day, ([], [], []))
                found.append(item)
                opening.append(before)
                closing.append(after)
    begins.reverse()
    return {day: _summed(day, *sellers[day]) if day in sellers else DaySales(day)
            for day in run if day in sellers or _reached(begins, day)}


def _summed(day: float, sellers: Sequence[QueueItem], opening: Sequence[int], closing: Sequence[int]) -> DaySales:
    """A day's sales from its sellers, newest first, adding each one's revenue in that order."""
    revenue = 0.0
    for item, before, after in zip(sellers, opening, closing):
        revenue += (after - before) * item.price
    return DaySales(day, revenue, tuple(sellers), tuple(opening), tuple(closing))


def _reached(begins: list[float], day: float) -> bool:
    """Whether a message starting at one of ``begins`` (ascending) could sell on ``day``."""
    index = bisect_right(begins, day - PURCHASE_HORIZON)
    return index < len(begins) and begins[index] < day + DAY


def _daily(item: QueueItem, lifecycle: Lifecycle) -> Iterator[tuple[float, int, int]]:
    """``(day, opening, closing)`` purchase counts for each UTC day ``item`` sold on, until its count stops
    moving."""
    if item.saved or not item.for_sale:
        return
    begins = item.starts_at
    last = begins + PURCHASE_HORIZON
    final = purchased(item, last, lifecycle)
    before = 0  # nothing is sent, so nothing bought, the instant sending begins
    for day in selling_days(item):
        if before == final:  # the count never goes down: nothing more to sell
            return
        end = min(last, day + DAY)
        after = final if end == last else purchased(item, end, lifecycle)
        if after != before:
            yield day, before, after
        before = after
