"""Queries over a creator's queue: what is waiting, what went out, what sold, and text search.

Each yields items lazily from the queue's timeline, so a page reads only as far as it needs.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import chain, islice

from . import paging
from .analytics import MessageChart, default_window, message_chart
from .lifecycle import Lifecycle, Progress, progress
from .models import Creator, QueueItem
from .queue import MassMessageQueue

Stated = tuple[QueueItem, Progress]
LIVE_LIMIT = 1000


def unsent(queue: MassMessageQueue, creator: Creator, now: float) -> Iterator[QueueItem]:
    """Scheduled items, soonest first, then the ones saved for later: nothing has gone out yet."""
    return queue.waiting(creator, now)


def scheduled_between(queue: MassMessageQueue, creator: Creator, now: float, start: float,
                      end: float) -> Iterator[QueueItem]:
    """Unsent items scheduled for ``[start, end]``, soonest first: read from ``start`` on, and no further past
    ``end`` than media still processing has ever held a send back."""
    for item in queue.waiting(creator, max(now, math.nextafter(start, -math.inf))):
        if item.starts_at > end + queue.longest_hold:
            return
        if item.scheduled_at is not None and start <= item.scheduled_at <= end:
            yield item


def saved(queue: MassMessageQueue, creator: Creator) -> Iterator[QueueItem]:
    """Items saved for later, oldest first."""
    return queue.saved(creator)


def _started_by(now: float) -> tuple[float, int]:
    """The timeline bound of the items that have begun sending by ``now`` (one starting at exactly ``now`` has)."""
    return math.nextafter(now, math.inf), -1


def started(queue: MassMessageQueue, creator: Creator, now: float, start: float | None = None,
            end: float | None = None, text: str | None = None) -> Iterator[QueueItem]:
    """Items that began sending by ``now`` and in ``[start, end]``, newest first; ``text`` filters.

    The bounds are whole seconds, as the vendors' dates are: ``end`` includes everything in its second, unless
    it carries a date cursor's tie-breaker (``paging.by_date``): then only that many of its second's earliest.
    """
    before = _started_by(now)
    if end is not None:
        second, earliest = paging.split_cursor(end)
        bound = queue.timeline.first_of_second(creator.id, second, earliest) if earliest else (second + 1, -1)
        before = min(before, bound)
    found = queue.started(creator, before, -math.inf if start is None else start)
    if not text:
        return found
    needle = text.casefold()
    return (item for item in found if needle in item.text.casefold())


def chart(queue: MassMessageQueue, creator: Creator, start: float | None, end: float | None, now: float,
          lifecycle: Lifecycle) -> MessageChart:
    """The creator's daily sends and revenue from ``start`` to ``end`` (defaults: the 30 days up to now)."""
    start, end = default_window(start, end, now)
    return message_chart(queue, creator, start, end, now, lifecycle)


def purchased(queue: MassMessageQueue, creator: Creator, now: float, lifecycle: Lifecycle) -> Iterator[Stated]:
    """Sent items that at least one fan has bought, newest first; only the items for sale are read, so free
    messages, however many, cost nothing here."""
    for item in queue.started_for_sale(creator, _started_by(now)):
        state = progress(item, now, lifecycle)
        if state.purchased > 0:
            yield item, state


def current(queue: MassMessageQueue, creator: Creator, now: float, lifecycle: Lifecycle) -> list[Stated]:
    """The live queue: unsent items, then items that may still be sending or unsent; at most ``LIVE_LIMIT``."""
    waiting = queue.waiting_latest_first(creator, now)
    recent = started(queue, creator, now, start=now - lifecycle.unsend_window)
    stated = ((item, progress(item, now, lifecycle)) for item in chain(waiting, recent))
    return list(islice(((item, state) for item, state in stated if state.status != "sent" or state.can_unsend),
                       LIVE_LIMIT))
