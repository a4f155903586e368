"""Aggregates over a creator's sent messages: daily chart buckets of sends and of purchase revenue."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InvalidQuery
from .lifecycle import PURCHASE_HALF_LIFE, Lifecycle, progress
from .models import QueueItem

DAY = 86_400.0
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a chart has a point a day: at most a year of them
# Purchases follow a saturating curve; after this long the whole-number count no longer moves.
PURCHASE_HORIZON = math.ceil(40 * PURCHASE_HALF_LIFE / DAY) * DAY


@dataclass(frozen=True, slots=True)
class Series:
    """One time series: a value per UTC day, its total over the window, and the change from the window before."""

    chart: list[tuple[float, float]]
    total: float
    delta: float


@dataclass(frozen=True, slots=True)
class MessageChart:
    """Mass messages sent per day, and what fans paid for them per day."""

    messages: Series
    purchases: Series


def default_window(start: float | None, end: float | None, now: float) -> tuple[float, float]:
    """A chart's window: up to ``end`` (default now), from ``start`` (default ``DEFAULT_DAYS`` before the end);
    InvalidQuery when it spans more than ``MAX_DAYS``, whichever bounds were given (a start alone runs to now)."""
    end = now if end is None else end
    start = end - DEFAULT_DAYS * DAY if start is None else start
    if end - start > MAX_DAYS * DAY:
        message = f"startDate must be within {MAX_DAYS} days of endDate, or of now when endDate is not given"
        raise InvalidQuery({"startDate": [message]})
    return start, end


def day_floor(moment: float) -> float:
    """The start of the UTC day holding ``moment``."""
    return moment - moment % DAY


def sold_between(item: QueueItem, start: float, end: float, lifecycle: Lifecycle) -> int:
    """How many purchases of ``item`` happened in ``[start, end)``."""
    if item.price <= 0 or not item.media_ids or end <= start:
        return 0
    return progress(item, end, lifecycle).purchased - progress(item, start, lifecycle).purchased


def _window(items: Iterable[QueueItem], start: float, end: float, now: float,
            lifecycle: Lifecycle) -> tuple[dict[float, int], dict[float, float]]:
    """Sends and revenue per UTC day inside ``[start, end]``, counting nothing after ``now``."""
    until = min(end, now)
    sends: dict[float, int] = {}
    revenue: dict[float, float] = {}
    for item in items:
        begins = item.starts_at
        if item.saved or begins > until:
            continue
        if begins >= start:
            day = day_floor(begins)
            sends[day] = sends.get(day, 0) + 1
        if item.price <= 0 or not item.media_ids:
            continue
        low, high = max(start, begins), min(until, begins + PURCHASE_HORIZON)
        day = day_floor(low)
        while day < high:
            sold = sold_between(item, max(low, day), min(high, day + DAY), lifecycle)
            if sold:
                revenue[day] = revenue.get(day, 0.0) + sold * item.price
            day += DAY
    return sends, revenue


def _delta(total: float, before: float) -> float:
    """Percentage change from the previous window (100 when it had nothing and this one has something)."""
    if before == 0:
        return 0.0 if total == 0 else 100.0
    return round((total - before) / before * 100, 2)


def message_chart(items: list[QueueItem], start: float, end: float, now: float,
                  lifecycle: Lifecycle) -> MessageChart:
    """Daily sends and revenue from ``start`` to ``end``, with totals and the change from the window before."""
    sends, revenue = _window(items, start, end, now, lifecycle)
    before_sends, before_revenue = _window(items, start - (end - start), start, now, lifecycle)
    days = []
    day = day_floor(start)
    while day <= end:
        days.append(day)
        day += DAY
    sent_total, revenue_total = sum(sends.values()), round(sum(revenue.values()), 2)
    return MessageChart(
        Series([(day, sends.get(day, 0)) for day in days], sent_total,
               _delta(sent_total, sum(before_sends.values()))),
        Series([(day, round(revenue.get(day, 0.0), 2)) for day in days], revenue_total,
               _delta(revenue_total, round(sum(before_revenue.values()), 2))),
    )
