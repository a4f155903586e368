"""A local emulator of the OFAuth and OnlyFansAPI mass-messaging APIs."""
from .app import create_app

__all__ = ["create_app"]
