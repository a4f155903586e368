"""``wsgi.input`` for a long or chunked request body: the event loop feeds it as the bytes arrive, the app's
worker thread reads it, and the connection stops reading while it holds more than ``HELD``."""
from __future__ import annotations

import io
import threading
from collections import deque
from typing import Any, Protocol

HELD = 256 * 1024  # bytes received and not yet read by the app, past which the connection stops reading


class Reader(Protocol):
    """The connection the stream belongs to."""

    loop: Any

    def resume_body(self) -> None:
        """Read on: the app has taken most of what was held."""


class BodyStream(io.RawIOBase):
    """The body as it arrives. A read waits for the next bytes at most ``timeout`` seconds; then, as when the
    client goes away, the body ends short (the app answers it as the truncated body it is)."""

    def __init__(self, connection: Reader, timeout: float) -> None:
        self._connection = connection
        self._timeout = timeout
        self._chunks: deque[bytes] = deque()
        self._held = 0
        self._ended = False
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

    def end(self) -> None:
        """No more bytes will come: the body is whole, or the client has gone."""
        with self._arrived:
            self._ended = True
            self._arrived.notify()

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from what has arrived, waiting for more when nothing has; 0 at the end."""
        with self._arrived:
            if not self._chunks and not self._ended:
                self._arrived.wait_for(lambda: self._chunks or self._ended, self._timeout)
            if not self._chunks:
                self._ended = True
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
