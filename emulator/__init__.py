"""A local emulator of the OFAuth and OnlyFansAPI mass-messaging APIs."""
from __future__ import annotations

from typing import Any

__version__ = "0.2.0"

__all__ = ["__version__", "create_app"]


def __getattr__(name: str) -> Any:
    """Import the app factory on first use: ``import emulator`` (and so the pytest plugin) loads no Flask."""
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module 'emulator' has no attribute {name!r}")
