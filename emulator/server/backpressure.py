"""Hand a long answer to granian no faster than its client reads it, and cut off a client that stops reading.

granian's ``send_bytes`` queues without limit, so an answer handed over whole sits in memory until the client
reads it, however long that takes. Here each piece waits until the kernel has sent most of the one before
(the socket's unsent bytes, ``SIOCOUTQ``, fall under a piece), for at most the write timeout.
"""
from __future__ import annotations

import asyncio
import contextlib
import fcntl
import socket
import struct
import termios
import time

from .drop import find_connection, known_connection

UNSENT = getattr(termios, "TIOCOUTQ", None)  # SIOCOUTQ on Linux; elsewhere no measure, so no waiting


class SlowReader(Exception):
    """The client took nothing for the whole write timeout."""


class Outbox:
    """The server's side of one connection, to see how much of what it was handed the kernel still holds."""

    def __init__(self, connection: socket.socket | None) -> None:
        """The outbox of the server's socket ``connection`` (None: nothing to watch)."""
        self.connection = connection

    @classmethod
    async def open(cls, client: str) -> Outbox:
        """The outbox of ``client``'s connection: found by the descriptor its last answer used, as a rule, else
        by listing this process's sockets on a thread (never on the loop)."""
        if UNSENT is None:  # no measure of what is unsent here: nothing to watch
            return cls(None)
        connection = known_connection(client)
        return cls(connection if connection is not None else await asyncio.to_thread(find_connection, client))

    def unsent(self) -> int:
        """Bytes written to the socket that the client has not acknowledged yet (0 when unknown)."""
        if self.connection is None:
            return 0
        try:
            return int(struct.unpack("i", fcntl.ioctl(self.connection.fileno(), UNSENT, b"\0\0\0\0"))[0])
        except OSError:
            return 0

    async def wait_below(self, limit: int, timeout: float) -> None:
        """Wait until fewer than ``limit`` bytes are unsent; SlowReader when that takes over ``timeout`` s."""
        deadline = time.monotonic() + timeout
        pause = 0.001
        while self.unsent() >= limit:
            if time.monotonic() >= deadline:
                raise SlowReader()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.05)

    def close(self) -> None:
        """Let go of the copy of the socket (granian's stays open)."""
        if self.connection is not None:
            with contextlib.suppress(OSError):
                self.connection.close()
