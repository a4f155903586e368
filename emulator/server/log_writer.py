"""Log output that never waits on its reader: lines go through a bounded buffer to one writer thread per stream.

A pipe that nobody reads fills after 64 KiB; a ``write`` to it then blocks. Here only the writer thread blocks:
a request hands its line to the buffer and goes on, and when the buffer is full the line is dropped and counted.
Once the reader drains the pipe, the writer says how many lines were lost, then carries on.
"""
from __future__ import annotations

import contextlib
import errno
import io
import os
import threading
import time
from collections import deque

BUDGET = 64 * 1024  # bytes of unwritten lines held per stream, as much again as a pipe; beyond it, lines drop
GONE = (errno.EPIPE, errno.EBADF)  # write errors no reader can undo
LINGER = 0.01  # seconds a line may wait for others to go out with it


class LogWriter:
    """Write text to a file descriptor from a thread of its own; ``put`` never blocks, it drops when full.

    The thread writes whatever has queued since its last write in one go, at most ``LINGER`` after the first of
    them: a busy server makes one write (and wakes the thread once) per batch of lines, not per line. At most
    ``budget`` bytes wait, and one batch (as large) is being written.
    """

    def __init__(self, fd: int, budget: int = BUDGET, name: str = "emulator-log") -> None:
        self.fd = fd
        self.budget = budget
        self.dropped = 0  # lines lost since start, as health reports them
        self._unreported = 0  # lines lost since the last note about it
        self._held = 0
        self._gone = False  # the reader closed its end (or the descriptor was closed): nothing will be read again
        self._lines: deque[bytes] = deque()
        self._ready = threading.Condition()
        self._idle = threading.Event()
        self._idle.set()
        threading.Thread(target=self._write_forever, name=name, daemon=True).start()

    def put(self, text: str) -> None:
        """Queue ``text`` for writing, or drop and count it when the buffer holds ``budget`` bytes already, or the
        reader is gone for good."""
        data = text.encode("utf-8", "backslashreplace")
        with self._ready:
            if self._gone or self._held + len(data) > self.budget:
                self.dropped += 1
                self._unreported += 1
                return
            self._lines.append(data)
            self._held += len(data)
            if self._idle.is_set():
                self._idle.clear()
            self._ready.notify()

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for everything queued to be written; False if the reader is stuck."""
        return self._idle.wait(timeout)

    def _next(self) -> tuple[bytes, int]:
        """Every line queued so far, as one write, and how many lines it holds; after the first line it waits
        ``LINGER`` for more, so a busy server wakes this thread once per batch, not once per request."""
        with self._ready:
            while not self._lines:
                self._idle.set()
                self._ready.wait()
        time.sleep(LINGER)
        with self._ready:
            lines = len(self._lines)
            data = b"".join(self._lines)
            self._lines.clear()
            self._held = 0
            if self._unreported:
                note = (f"log: {self._unreported} lines dropped while the reader was slow or gone; writing again\n")
                data, self._unreported = note.encode() + data, 0
            return data, lines

    def _write_forever(self) -> None:
        while True:
            data, lines = self._next()  # all the lines queued meanwhile: one write, not one each
            try:
                while data:
                    data = data[os.write(self.fd, data):]
            except OSError as error:  # the reader is gone (EPIPE) or the descriptor closed: the lines are lost
                with self._ready:
                    self.dropped += lines
                    self._unreported += lines
                    self._gone = error.errno in GONE  # then every later line is counted as it comes


class QueuedStream(io.TextIOBase):
    """A text stream for ``sys.stdout``/``sys.stderr`` whose ``write`` hands the text to a LogWriter."""

    def __init__(self, writer: LogWriter) -> None:
        super().__init__()
        self.writer = writer

    def writable(self) -> bool:
        """Always writable: a line that does not fit is dropped, not refused."""
        return True

    def write(self, text: str) -> int:
        """Queue ``text``; never blocks."""
        if text:
            self.writer.put(text)
        return len(text)

    def fileno(self) -> int:
        """The descriptor the writer writes to (for code that asks, such as ``isatty``)."""
        return self.writer.fd

    def isatty(self) -> bool:
        """Whether the descriptor is a terminal."""
        with contextlib.suppress(OSError):
            return os.isatty(self.writer.fd)
        return False


class Output:
    """``serve``'s stdout and stderr, each through its own LogWriter, and what they dropped together."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.stdout = LogWriter(1, budget, "emulator-stdout")
        self.stderr = LogWriter(2, budget, "emulator-stderr")

    def dropped(self) -> int:
        """Lines dropped on stdout and stderr since start."""
        return self.stdout.dropped + self.stderr.dropped

    def drain(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds in all) for both streams to be written out."""
        deadline = time.monotonic() + timeout
        return self.stdout.drain(timeout) and self.stderr.drain(max(0.0, deadline - time.monotonic()))
