"""Cut sorted results into pages the vendors' ways: by offset, by marker, or by a date cursor."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

T = TypeVar("T")
TIE_SCALE = 1_000_000  # the tie-breaker is written as microseconds: more than a session's 200,000 messages


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


def by_date(found: Iterable[T], limit: int, second: Callable[[T], int], rank: Callable[[T], int]) -> Page[T]:
    """At most ``limit`` items sorted newest first, and a date cursor to the rest.

    The next page is asked for with an inclusive ``endDate`` of a second, so a page ends between two seconds
    when it can (items sharing the last second move to the next page): a client that pages by the items' own
    dates never repeats or skips one. Only a second holding more than ``limit`` items is split; the cursor then
    also carries a tie-breaker, as microseconds: ``.000041`` means "only the 41 earliest items of that second"
    (``rank`` counts them, ``split_cursor`` reads it back). So a page never exceeds its limit however many items
    share an instant, and items added to that second later (a frozen clock) sort after the cursor.
    """
    items = list(islice(iter(found), limit + 1))
    if len(items) <= limit:
        return Page(items, False, None)
    cut = limit
    while cut > 0 and second(items[cut]) == second(items[cut - 1]):
        cut -= 1
    if cut > 0:
        return Page(items[:cut], True, second(items[cut]))
    following = items[limit]  # one second fills the page and more: split it
    return Page(items[:limit], True, second(following) + rank(following) / TIE_SCALE)


def split_cursor(end: float) -> tuple[int, int]:
    """An ``endDate`` as its whole second and the tie-breaker it carries (0: the whole second)."""
    whole = math.floor(end)
    return whole, round((end - whole) * TIE_SCALE)
