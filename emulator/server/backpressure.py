"""Hand a long answer to a connection no faster than its client reads it, and cut off a client that stops.

Each piece waits until most of the one before has left: what the transport still holds plus what the kernel has
not sent (``SIOCOUTQ``) falls under a piece, for at most the write timeout. Counting the kernel's share matters:
a loopback socket takes megabytes before the transport holds a byte.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Protocol

try:
    import fcntl
    import struct
    import termios

    UNSENT: int | None = getattr(termios, "TIOCOUTQ", None)  # SIOCOUTQ on Linux and macOS
except ImportError:  # Windows: no measure of the kernel's share
    UNSENT = None


class SlowReader(Exception):
    """The client took nothing for the whole write timeout."""


class Outgoing(Protocol):
    """The connection an answer goes out on."""

    transport: Any

    def unsent(self) -> int:
        """Bytes the transport still holds."""

    def gone(self) -> bool:
        """Whether the connection is closed or closing."""


class Outbox:
    """How much of what was handed to one connection has not reached its client yet."""

    def __init__(self, connection: Outgoing) -> None:
        self.connection = connection
        self.descriptor = -1
        if UNSENT is not None and connection.transport is not None:
            with contextlib.suppress(AttributeError, OSError):
                self.descriptor = connection.transport.get_extra_info("socket").fileno()

    def unsent(self) -> int:
        """Bytes not yet acknowledged by the client: in the transport, and in the kernel where it says."""
        held = self.connection.unsent()
        if self.descriptor < 0:
            return held
        try:
            return held + int(struct.unpack("i", fcntl.ioctl(self.descriptor, UNSENT, b"\0\0\0\0"))[0])
        except OSError:
            return held

    async def wait_below(self, limit: int, timeout: float) -> None:
        """Wait until fewer than ``limit`` bytes are unsent; SlowReader when that takes over ``timeout`` s,
        ConnectionResetError when the client has gone."""
        deadline = time.monotonic() + timeout
        pause = 0.001
        while True:
            if self.connection.gone():
                raise ConnectionResetError("the client has gone")
            if self.unsent() < limit:
                return
            if time.monotonic() >= deadline:
                raise SlowReader()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)
