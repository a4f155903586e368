"""OnlyFansAPI's routes, under ``/api/{account}``: mass messaging and its engagement figures, on one blueprint."""
from __future__ import annotations

from . import engagement, mass_messaging, media, queue, uploads
from .blueprint import bp

__all__ = ["bp", "engagement", "mass_messaging", "media", "queue", "uploads"]
