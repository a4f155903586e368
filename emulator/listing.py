"""Queries over a creator's queue: what is waiting, what went out, what sold, and text search."""
from __future__ import annotations

from collections.abc import Iterable

from .lifecycle import Lifecycle, Progress, progress
from .models import Creator, QueueItem
from .queue import MassMessageQueue

Stated = tuple[QueueItem, Progress]


def newest_first(item: QueueItem) -> tuple[float, int]:
    """Sort key: the most recent send date first, then the highest id."""
    return -item.starts_at, -item.id


def unsent(queue: MassMessageQueue, creator: Creator, now: float) -> list[QueueItem]:
    """Saved and scheduled items: nothing has gone out yet. Soonest first, saved ones last."""
    waiting = [item for item in queue.of_creator(creator) if item.saved or item.starts_at > now]
    return sorted(waiting, key=lambda item: (item.saved, item.starts_at, item.id))


def started(queue: MassMessageQueue, creator: Creator, now: float, start: float | None = None,
            end: float | None = None, text: str | None = None) -> list[QueueItem]:
    """Items that began sending by ``now`` and in ``[start, end]``, newest first; ``text`` filters.

    The bounds are whole seconds, as the vendors' dates are: ``end`` includes everything in its second.
    """
    needle = text.casefold() if text else None
    found = [item for item in queue.of_creator(creator)
             if not item.saved and item.starts_at <= now
             and (start is None or item.starts_at >= start) and (end is None or int(item.starts_at) <= end)
             and (needle is None or needle in item.text.casefold())]
    return sorted(found, key=newest_first)


def with_progress(items: Iterable[QueueItem], now: float, lifecycle: Lifecycle) -> list[Stated]:
    """Pair each item with its progress at ``now``."""
    return [(item, progress(item, now, lifecycle)) for item in items]


def purchased(queue: MassMessageQueue, creator: Creator, now: float, lifecycle: Lifecycle) -> list[Stated]:
    """Sent items that at least one fan has bought, newest first."""
    return [(item, state) for item, state in with_progress(started(queue, creator, now), now, lifecycle)
            if state.purchased > 0]


def current(queue: MassMessageQueue, creator: Creator, now: float, lifecycle: Lifecycle) -> list[Stated]:
    """The live queue: unsent items, items still sending, and sent items that can still be unsent."""
    stated = with_progress(queue.of_creator(creator), now, lifecycle)
    live = [(item, state) for item, state in stated if state.status != "sent" or state.can_unsend]
    return sorted(live, key=lambda pair: newest_first(pair[0]))
