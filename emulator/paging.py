"""Cut sorted results into pages the vendors' ways: by offset, by marker, or by a date cursor."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: its items, whether more follow, and where the next page starts (None on the last)."""

    items: list[T]
    has_more: bool
    next: int | float | None


def by_offset(found: Sequence[T], offset: int, limit: int) -> Page[T]:
    """Items ``offset`` to ``offset + limit``; the next page starts where this one ends."""
    items = list(found[offset:offset + limit])
    has_more = offset + len(items) < len(found)
    return Page(items, has_more, offset + len(items) if has_more else None)


def by_date(found: Sequence[T], limit: int, second: Callable[[T], int]) -> Page[T]:
    """A page of items sorted newest first, cut only between whole seconds.

    The next page is asked for with an inclusive ``endDate`` of a second, so a page never ends partway through a
    second: items sharing the last second move to the next page, and only a second holding more than ``limit``
    items makes a page longer than ``limit``. Paging therefore never repeats or skips an item, and always ends.
    """
    if len(found) <= limit:
        return Page(list(found), False, None)
    cut = limit
    while cut > 0 and second(found[cut]) == second(found[cut - 1]):
        cut -= 1
    if cut == 0:
        cut = limit
        while cut < len(found) and second(found[cut]) == second(found[cut - 1]):
            cut += 1
    if cut >= len(found):
        return Page(list(found), False, None)
    return Page(list(found[:cut]), True, second(found[cut]))
