"""Aggregates over a creator's sent messages: daily chart buckets of sends and of purchase revenue.

A chart reads only its own days: sends are counted on the queue's timeline by bisection, and revenue adds up the
days the queue's ``sales`` keeps; only a window's partial first and last days look at their messages again.
Its whole days are worked out once and kept (``whole_days``) until the queue changes, so a chart asked again the
same day works out only its partial days.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import InvalidQuery
from .lifecycle import Lifecycle
from .models import Creator
from .queue import MassMessageQueue
from .sales import DAY, day_starts
from .timeline import LAST_ID, key
from .whole_days import EMPTY, Place, WholeDays

DEFAULT_DAYS = 30
MAX_DAYS = 366  # a chart has a point a day: at most a year of them


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


def _whole_span(days: list[float], start: float, until: float) -> tuple[int, int]:
    """Where the whole days of ``days`` (``day_starts(start, until)``) begin and end: only the first day can begin
    before ``start`` and only the last can end after ``until``; the rest lie whole inside the window."""
    low = 1 if days and days[0] < start else 0
    high = len(days) - 1 if days and days[-1] + DAY > until else len(days)
    return low, max(low, high)


def whole_days(queue: MassMessageQueue, creator: Creator, days: list[float], lifecycle: Lifecycle) -> WholeDays:
    """The sends and revenue of ``days``, consecutive whole days that have ended, kept by the queue until it
    changes (see ``whole_days``)."""
    if not days:
        return EMPTY
    memo, place = queue.whole_days, (creator.id, days[0], len(days), lifecycle)
    run = memo.recall(place)
    if run is None:
        token = memo.token
        sales = queue.daily_sales(creator, days, lifecycle)
        sold = sorted((key(found.sellers[0]), -day, day, found.revenue)
                      for day, found in sales.items() if found.sellers)
        sends = tuple(queue.timeline.count(creator.id, day, (day + DAY, -1)) for day in days)
        run = WholeDays(days[0], sends, tuple(sold))
        memo.keep(place, run, token)
    return run


def _sends(queue: MassMessageQueue, creator: Creator, days: list[float], start: float, until: float,
           whole: WholeDays) -> list[int]:
    """Messages that began sending on each of ``days``, counting only those in ``[start, until]``; the days of
    ``whole`` are read from it."""
    last, kept = (until, LAST_ID), whole.sends
    low = round((whole.first - days[0]) / DAY) if kept else 0  # both lists begin on the day holding ``start``
    high = low + len(kept)
    counted = [queue.timeline.count(creator.id, max(start, day), min((day + DAY, -1), last))
               for day in days[:low]]
    counted.extend(kept)
    counted.extend(queue.timeline.count(creator.id, max(start, day), min((day + DAY, -1), last))
                   for day in days[high:])
    return counted


def revenue_by_day(queue: MassMessageQueue, creator: Creator, start: float, until: float,
                   lifecycle: Lifecycle) -> dict[float, float]:
    """Revenue per UTC day inside ``[start, until)``, in the order the days first sold, newest seller first: the
    order the window's total adds them up in."""
    return _revenue(queue, creator, start, until, lifecycle)[0]


def _revenue(queue: MassMessageQueue, creator: Creator, start: float, until: float,
             lifecycle: Lifecycle) -> tuple[dict[float, float], WholeDays]:
    """``revenue_by_day`` and the window's whole days, read from the queue's memo: only the partial first and
    last days are worked out on each call."""
    days = day_starts(start, until)
    low, high = _whole_span(days, start, until)
    whole = whole_days(queue, creator, days[low:high], lifecycle)
    partial: list[Place] = []
    edges = days[:low] + days[high:]
    if edges:
        for day, sales in queue.daily_sales(creator, edges, lifecycle).items():
            revenue, seller = sales.between(max(start, day), min(until, day + DAY), lifecycle)
            if seller is not None:
                partial.append((key(seller), -day, day, revenue))
    return whole.revenue(partial), whole


def _delta(total: float, before: float) -> float:
    """Percentage change from the previous window (100 when it had nothing and this one has something)."""
    if before == 0:
        return 0.0 if total == 0 else 100.0
    return round((total - before) / before * 100, 2)


def message_chart(queue: MassMessageQueue, creator: Creator, start: float, end: float, now: float,
                  lifecycle: Lifecycle) -> MessageChart:
    """The creator's daily sends and revenue from ``start`` to ``end``, counting nothing after ``now``, with
    totals and the change from the window before."""
    until, before = min(end, now), start - (end - start)
    revenue, whole = _revenue(queue, creator, start, until, lifecycle)
    before_revenue = revenue_by_day(queue, creator, before, min(start, now), lifecycle)
    days = day_starts(start, math.nextafter(end, math.inf))  # the day holding ``end`` included
    sends = _sends(queue, creator, days, start, until, whole)
    sent_total, revenue_total = sum(sends), round(sum(revenue.values()), 2)
    before_sent = queue.timeline.count(creator.id, before, (min(start, now), LAST_ID))
    return MessageChart(
        Series(list(zip(days, sends)), sent_total, _delta(sent_total, before_sent)),
        Series([(day, round(revenue.get(day, 0.0), 2)) for day in days], revenue_total,
               _delta(revenue_total, round(sum(before_revenue.values()), 2))),
    )
