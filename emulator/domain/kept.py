"""A bounded memo: the last entries kept, the oldest dropped first."""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any


def keep(kept: dict[Any, Any], key: Hashable, value: Any, limit: int) -> None:
    """Store ``value`` under ``key``, first dropping the oldest entries while ``limit`` are held (another request
    may have dropped one first)."""
    while len(kept) >= limit:
        kept.pop(next(iter(kept), None), None)
    kept[key] = value
