"""Cut sorted results into pages the vendors' ways: by offset, by marker, or by a date cursor."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: its items, whether more follow, and where the next page starts (None on the last)."""

    items: list[T]
    has_more: bool
    next: int | float | None


def by_offset(found: Iterable[T], offset: int, limit: int) -> Page[T]:
    """Items ``offset`` to ``offset + limit``; the next page starts where this one ends."""
    window = list(islice(found, offset, offset + limit + 1))
    has_more = len(window) > limit
    return Page(window[:limit], has_more, offset + limit if has_more else None)


def by_date(found: Iterable[T], limit: int, second: Callable[[T], int]) -> Page[T]:
    """A page of items sorted newest first, cut only between whole seconds.

    The next page is asked for with an inclusive ``endDate`` of a second, so a page never ends partway through a
    second: items sharing the last second move to the next page, and only a second holding more than ``limit``
    items makes a page longer than ``limit``. Paging therefore never repeats or skips an item, and always ends.
    """
    rest = iter(found)
    items = list(islice(rest, limit + 1))
    if len(items) <= limit:
        return Page(items, False, None)
    cut = limit
    while cut > 0 and second(items[cut]) == second(items[cut - 1]):
        cut -= 1
    if cut > 0:
        return Page(items[:cut], True, second(items[cut]))
    for item in rest:  # one second fills the page: it goes whole, however long
        if second(item) != second(items[0]):
            return Page(items, True, second(item))
        items.append(item)
    return Page(items, False, None)
