"""OFAuth's routes, served at the root: mass messages and their analytics, on one blueprint."""
from __future__ import annotations

from . import analytics, mass_messages, uploads, vault
from .blueprint import bp

__all__ = ["bp", "analytics", "mass_messages", "uploads", "vault"]
