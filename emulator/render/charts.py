"""Render chart series the way both vendors do: ``{chart: [{date, count}], total, delta}``."""
from __future__ import annotations

import functools
from typing import Any

import orjson

from ..domain.analytics import Series
from ..domain.clock import format_instant
from ..domain.sales import DAY


@functools.lru_cache(maxsize=16)  # tuples of at most 366 short strings: a few hundred kilobytes at most
def _dates(first: float, count: int) -> tuple[str, ...]:
    """The dates of a chart's ``count`` consecutive days from ``first``, worked out once: a window's days stay
    the same all day, and a chart's series share them."""
    return tuple(format_instant(first + number * DAY) for number in range(count))


def series(data: Series, with_total: bool = True, gross: bool = False) -> dict[str, Any]:
    """One series; ``with_total`` adds ``total`` and ``delta``, ``gross`` repeats the total as OFAuth's ``gross``."""
    chart = data.chart
    dates = _dates(chart[0][0], len(chart)) if chart else ()
    rendered: dict[str, Any] = {"chart": [{"date": date, "count": value}
                                          for date, (_, value) in zip(dates, chart)]}
    if with_total:
        rendered.update(total=data.total, delta=data.delta)
        if gross:
            rendered["gross"] = data.total
    return rendered


def series_json(data: Series, with_total: bool = True, gross: bool = False) -> orjson.Fragment:
    """``series`` written as JSON once, for an answer that shows the same series under two names."""
    return orjson.Fragment(orjson.dumps(series(data, with_total, gross)))
