"""Render chart series the way both vendors do: ``{chart: [{date, count}], total, delta}``."""
from __future__ import annotations

from typing import Any

from ..domain.analytics import Series
from ..domain.clock import format_instant


def series(data: Series, with_total: bool = True, gross: bool = False) -> dict[str, Any]:
    """One series; ``with_total`` adds ``total`` and ``delta``, ``gross`` repeats the total as OFAuth's ``gross``."""
    rendered: dict[str, Any] = {"chart": [{"date": format_instant(day), "count": value} for day, value in data.chart]}
    if with_total:
        rendered.update(total=data.total, delta=data.delta)
        if gross:
            rendered["gross"] = data.total
    return rendered
