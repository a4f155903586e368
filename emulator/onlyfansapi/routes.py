"""OnlyFansAPI's routes, under ``/api``: mass messaging and its engagement figures, the key's accounts, user
lists and fans, on one blueprint."""
from __future__ import annotations

from . import (
    accounts,
    engagement,
    fans,
    mass_messaging,
    media,
    queue,
    uploads,
    user_lists,
)
from .blueprint import bp

__all__ = ["accounts", "bp", "engagement", "fans", "mass_messaging", "media", "queue", "uploads", "user_lists"]
