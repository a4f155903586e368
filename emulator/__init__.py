"""A local emulator of the OFAuth and OnlyFansAPI mass-messaging APIs."""
# The version comes first: setup.cfg reads it statically, and modules imported below read it at import time.
__version__ = "0.2.0"

from .app import create_app  # noqa: E402

__all__ = ["__version__", "create_app"]
