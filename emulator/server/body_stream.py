"""``wsgi.input`` for a long or chunked request body: the event loop feeds it as the bytes arrive, the app's
worker thread reads it, and the connection stops reading while it holds more than ``HELD``.

A worker waiting for the next bytes lends its place in the pool (``pauses.lending``), as a delayed request does,
so slow uploads never leave the other requests without a thread.
"""
from __future__ import annotations

import io
import threading
from collections import deque
from typing import Any, Protocol

from werkzeug.exceptions import ClientDisconnected

from ..pipeline import pauses

HELD = 256 * 1024  # bytes received and not yet read by the app, past which the connection stops reading


class Reader(Protocol):
    """The connection the stream belongs to."""

    loop: Any

    def resume_body(self) -> None:
        """Read on: the app has taken most of what was held."""


class BodyStream(io.RawIOBase):
    """The body as it arrives. A read waits for the next bytes at most ``timeout`` seconds; then, as when the
    client goes away or sends what cannot be parsed, the read fails with Werkzeug's ``ClientDisconnected``
    (a 400 in the vendor's shape), so a body cut short is never taken for a whole one."""

    def __init__(self, connection: Reader, timeout: float) -> None:
        self._connection = connection
        self._timeout = timeout
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._ended = False
        self._complete = False  # ended because the body is whole
        self._paused = False  # the connection stopped reading for this stream
        self._arrived = threading.Condition()

    def readable(self) -> bool:
        """A request body is readable."""
        return True

    def feed(self, data: bytes) -> bool:
        """Add bytes that arrived (on the loop); True when the connection should stop reading for now."""
        with self._arrived:
            self._chunks.append(data)
            self._held += len(data)
            self._arrived.notify()
            self._paused = self._paused or self._held > HELD
            return self._paused

    def end(self, complete: bool = True) -> None:
        """No more bytes will come: the body is whole, or (``complete`` false) it never will be."""
        with self._arrived:
            if not self._ended:
                self._ended, self._complete = True, complete
            self._arrived.notify()

    def _wait(self) -> None:
        with self._arrived:
            self._arrived.wait_for(lambda: self._chunks or self._ended, self._timeout)

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from what has arrived, waiting for more when nothing has; 0 at the end."""
        with self._arrived:
            waiting = not self._chunks and not self._ended
        if waiting:  # lend outside the lock: starting the stand-in must not hold up the loop's feed
            try:
                with pauses.lending():
                    self._wait()
            except RuntimeError:  # no thread to lend (the system's limit): wait without one
                self._wait()
        with self._arrived:
            if not self._chunks:
                if not self._complete:
                    self._ended = True
                    raise ClientDisconnected("The request body stopped coming before its end.")
                return 0
            chunk = self._chunks[0]
            size = min(len(buffer), len(chunk))
            buffer[:size] = chunk[:size]
            if size == len(chunk):
                self._chunks.popleft()
            else:
                self._chunks[0] = chunk[size:]
            self._held -= size
            resume = self._paused and self._held <= HELD // 2
            self._paused = self._paused and not resume
        if resume:
            self._connection.loop.call_soon_threadsafe(self._connection.resume_body)
        return size
