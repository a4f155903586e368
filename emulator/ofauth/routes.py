"""OFAuth's routes, served at the root: mass messages and their analytics, user lists, subscribers, user
profiles and the account, on one blueprint."""
from __future__ import annotations

from . import (
    account,
    analytics,
    lists,
    mass_messages,
    profiles,
    subscribers,
    uploads,
    vault,
)
from .blueprint import bp

__all__ = ["account", "analytics", "bp", "lists", "mass_messages", "profiles", "subscribers", "uploads", "vault"]
