"""How ``serve`` ends: within a grace period after SIGTERM, whatever the pipes or the requests in flight do."""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

from .log_writer import Output, QueuedStream

GRACE = 5.0  # seconds from SIGTERM to exit at the latest: under Docker's 10 s and Kubernetes' 30 s
DRAIN = 1.0  # seconds the last lines get to reach a reader that is still reading


def capture_output() -> Output:
    """Route this process's ``sys.stdout`` and ``sys.stderr`` through LogWriters that never block."""
    output = Output()
    sys.stdout = QueuedStream(output.stdout)
    sys.stderr = QueuedStream(output.stderr)
    return output


class Shutdown:
    """Run ``finish`` (save the state, say goodbye) once and exit; forced ``GRACE`` seconds after SIGTERM."""

    def __init__(self, output: Output, finish: Callable[[], int]) -> None:
        self.output = output
        self.finish = finish
        self._once = threading.Lock()
        self._armed = False

    def arm(self) -> None:
        """Start the grace period (call from the SIGTERM/SIGINT handler); the first call counts."""
        if not self._armed:
            self._armed = True
            threading.Thread(target=self._force, name="emulator-grace", daemon=True).start()

    def _force(self) -> None:
        threading.Event().wait(GRACE)
        print(f"emulator: still stopping after {GRACE:g} s; exiting now", file=sys.stderr)
        if not self._once.acquire(timeout=GRACE / 2):  # the normal path is stuck inside finish: leave anyway
            self.output.drain(DRAIN)
            os._exit(1)
        self._exit(self.finish())

    def end(self) -> NoReturn:
        """Finish and exit with its code (the normal path, once the server has stopped)."""
        self._once.acquire()
        self._exit(self.finish())

    def _exit(self, code: int) -> NoReturn:
        # Leave without finalizing the interpreter: granian's Rust threads may still touch it on their way out (an
        # abort, now and then; granian issue #693), and a writer thread may be blocked on a pipe nobody reads.
        self.output.drain(DRAIN)
        os._exit(code)
