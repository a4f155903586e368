"""Each creator's queue items in send order, kept sorted so that a list reads only the page it needs."""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator

from .models import QueueItem

Key = tuple[float, int]
LAST_ID = 2**63


def key(item: QueueItem) -> Key:
    """Where an item sorts: by the time it starts sending; saved items (never sent) after everything."""
    return (math.inf if item.saved else item.starts_at), item.id


def _bound(before: float | Key) -> Key:
    """A key to stop short of: ``before`` itself, or the first key of the instant ``before``."""
    return before if isinstance(before, tuple) else (before, -1)


class Timeline:
    """Sorted ``(starts_at, id)`` keys per creator; the queue updates it on every change it makes."""

    def __init__(self) -> None:
        self._keys: dict[int, list[Key]] = {}

    def add(self, item: QueueItem) -> None:
        """Index an item (call after it is stored or changed)."""
        insort(self._keys.setdefault(item.creator_id, []), key(item))

    def remove(self, item: QueueItem) -> None:
        """Forget an item (call before it changes or goes, while its key is still the indexed one)."""
        keys = self._keys.get(item.creator_id, [])
        index = bisect_left(keys, key(item))
        if index < len(keys) and keys[index] == key(item):
            del keys[index]

    def rebuild(self, items: Iterable[QueueItem]) -> None:
        """Index a whole new set of items."""
        self._keys = {}
        for item in items:
            self._keys.setdefault(item.creator_id, []).append(key(item))
        for keys in self._keys.values():
            keys.sort()

    def backwards(self, creator_id: int, before: float | Key, since: float = -math.inf) -> Iterator[int]:
        """Ids of items starting at or after ``since`` and before ``before`` (an instant, or a key to stop
        short of), latest first."""
        keys = self._keys.get(creator_id, [])
        bound = _bound(before)
        for index in range(bisect_left(keys, bound) - 1, -1, -1):
            if keys[index][0] < since:
                return
            yield keys[index][1]

    def count(self, creator_id: int, since: float, before: float | Key) -> int:
        """How many items start at or after ``since`` and before ``before`` (an instant, or a key to stop short
        of)."""
        keys = self._keys.get(creator_id, [])
        bound = _bound(before)
        return max(0, bisect_left(keys, bound) - bisect_left(keys, (since, -1)))

    def forwards(self, creator_id: int, after: float) -> Iterator[int]:
        """Ids of items starting after ``after`` (saved items last), soonest first."""
        keys = self._keys.get(creator_id, [])
        for index in range(bisect_right(keys, (after, LAST_ID)), len(keys)):
            yield keys[index][1]

    def latest(self, creator_id: int, after: float) -> Iterator[int]:
        """``forwards`` backwards: items saved for later (the newest first), then those starting after ``after``,
        the furthest first."""
        keys = self._keys.get(creator_id, [])
        for index in range(len(keys) - 1, bisect_right(keys, (after, LAST_ID)) - 1, -1):
            yield keys[index][1]

    def saved(self, creator_id: int) -> Iterator[int]:
        """Ids of items saved for later, oldest first."""
        keys = self._keys.get(creator_id, [])
        for index in range(bisect_left(keys, (math.inf, -1)), len(keys)):
            yield keys[index][1]

    def first_of_second(self, creator_id: int, second: int, count: int) -> Key:
        """The bound that keeps only the ``count`` earliest items of the whole ``second`` (and all before it)."""
        keys = self._keys.get(creator_id, [])
        low, high = bisect_left(keys, (second, -1)), bisect_left(keys, (second + 1, -1))
        return keys[low + count] if low + count < high else (second + 1, -1)

    def rank_in_second(self, item: QueueItem) -> int:
        """How many items of the same creator start in ``item``'s whole second up to it, itself included."""
        keys = self._keys.get(item.creator_id, [])
        return bisect_left(keys, key(item)) - bisect_left(keys, (int(item.starts_at), -1)) + 1
