"""What each queue item last rendered as, per response shape, within a byte budget; the queue forgets an item
whenever it changes, so a list redraws only what did."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

BUDGET = 1024 * 1024  # bytes of rendered JSON a session keeps: a few hundred messages in each list's shape
LARGEST = BUDGET // 16  # a rendering bigger than this (a very long text) is drawn again each time instead
OVERHEAD = 512  # bytes each kept rendering costs beyond its JSON (its tuple, the shape's entry, the item's dict)

Kept = tuple[Hashable, Any, int]  # the state it was rendered in, the rendering, its size in bytes


class RenderMemo:
    """Renderings by item id and shape, each valid only in the state it was made in; least recently used items
    go first once the kept renderings pass ``budget`` bytes.

    A state is a progress, or an instant (a float) from which on the item's progress no longer changes.
    Requests of one session may run at once, so a rendering is kept only when nothing was forgotten while it
    was being made (``token`` before, ``keep`` after): the queue forgets an item before and after changing it.
    """

    def __init__(self, budget: int = BUDGET, largest: int = LARGEST) -> None:
        self.budget = budget
        self.largest = largest
        self.used = 0
        self.token = 0  # moves on every forget: a rendering begun before it may be stale
        self._items: OrderedDict[int, dict[Hashable, Kept]] = OrderedDict()
        self._lock = threading.Lock()

    def recall(self, item_id: int, shape: Hashable) -> Kept | None:
        """The item's last rendering in ``shape`` with the state it was made in and its size, if kept (the item has
        not changed since)."""
        shapes = self._items.get(item_id)
        if shapes is None:
            return None
        try:
            self._items.move_to_end(item_id)
        except KeyError:  # forgotten meanwhile, by another request
            return None
        return shapes.get(shape)

    def keep(self, item_id: int, shape: Hashable, state: Hashable, rendering: Any, size: int, token: int) -> None:
        """Keep a rendering made in ``state`` since ``token`` was read; dropped if the item changed meanwhile."""
        if size > self.largest:
            return
        size += OVERHEAD
        with self._lock:
            if token != self.token:
                return
            shapes = self._items.setdefault(item_id, {})
            self._items.move_to_end(item_id)
            replaced = shapes.get(shape)
            self.used += size - (replaced[2] if replaced is not None else 0)
            shapes[shape] = (state, rendering, size)
            while self.used > self.budget:
                _, dropped = self._items.popitem(last=False)
                self.used -= sum(kept[2] for kept in dropped.values())

    def forget(self, item_id: int) -> None:
        """Drop an item's renderings: call before and after it changes."""
        with self._lock:
            self.token += 1
            dropped = self._items.pop(item_id, None)
            if dropped is not None:
                self.used -= sum(kept[2] for kept in dropped.values())

    def clear(self) -> None:
        """Drop every rendering (the queue's items were replaced)."""
        with self._lock:
            self.token += 1
            self._items.clear()
            self.used = 0

    def __len__(self) -> int:
        """How many items have renderings kept."""
        return len(self._items)
