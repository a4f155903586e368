"""Render chart series the way both vendors do: ``{chart: [{date, count}], total, delta}``."""
from __future__ import annotations

import functools
from typing import Any

from ..domain.analytics import Series
from ..domain.clock import format_instant


@functools.lru_cache(maxsize=16)  # tuples of at most 366 short strings: a few hundred kilobytes at most
def _dates(days: tuple[float, ...]) -> tuple[str, ...]:
    """The dates of a chart's days, worked out once: a window's days stay the same all day, and a chart's series
    share them."""
    return tuple(format_instant(day) for day in days)


def series(data: Series, with_total: bool = True, gross: bool = False) -> dict[str, Any]:
    """One series; ``with_total`` adds ``total`` and ``delta``, ``gross`` repeats the total as OFAuth's ``gross``."""
    days, values = zip(*data.chart) if data.chart else ((), ())
    rendered: dict[str, Any] = {"chart": [{"date": date, "count": value} for date, value in zip(_dates(days), values)]}
    if with_total:
        rendered.update(total=data.total, delta=data.delta)
        if gross:
            rendered["gross"] = data.total
    return rendered
