"""The chart as it was computed before the sales index (issue 20): every message the window and the one before it
can hold, walked a day at a time. Kept as the reference the indexed chart must match byte for byte."""
from __future__ import annotations

import math
from collections.abc import Iterable

from emulator.domain import listing
from emulator.domain.analytics import MessageChart, Series, default_window
from emulator.domain.lifecycle import Lifecycle, progress
from emulator.domain.models import Creator, QueueItem
from emulator.domain.queue import MassMessageQueue
from emulator.domain.sales import DAY, PURCHASE_HORIZON, day_floor


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


def chart(queue: MassMessageQueue, creator: Creator, start: float | None, end: float | None, now: float,
          lifecycle: Lifecycle) -> MessageChart:
    """``listing.chart`` as it was: the items of both windows and the horizon before them, then the walk."""
    start, end = default_window(start, end, now)
    items = list(listing.started(queue, creator, now, start - (end - start) - PURCHASE_HORIZON, math.ceil(end)))
    return message_chart(items, start, end, now, lifecycle)
