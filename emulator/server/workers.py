"""The threads that run the WSGI app for the async server; a thread waiting out a delay lends its place."""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ..pipeline import pauses

Job = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[Any]", asyncio.AbstractEventLoop]
_names = itertools.count(1)


class Workers:
    """``size`` threads taking jobs in order; while one waits in ``pauses.pause`` a stand-in thread takes its place.

    So an injected delay never lowers how many threads serve everyone else: any number of delayed requests can
    wait (each costs one sleeping thread, about 16 kB) while admin calls and other sessions are answered at once.
    """

    def __init__(self, size: int, name: str = "emulator-worker") -> None:
        self.size = size
        self.name = name
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.threads = 0
        self.pending = 0  # jobs handed out and not yet settled; only the event loop's thread changes it
        self.stopping = False
        for _ in range(size):
            self._start_thread()

    def run(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """Run ``function(*args)`` on a worker; call from the event loop, await the result there."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending += 1
        self._jobs.put((function, args, future, loop))
        return future

    def idle(self) -> bool:
        """Whether no job is running or waiting (so no worker holds a session's lock)."""
        return not self.pending

    def _settle(self, future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
        """On the loop, once the job has run (even when its awaiter has gone)."""
        self.pending -= 1
        if future.cancelled():
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    def stop_waiting(self) -> None:
        """End every injected delay now: the server is shutting down."""
        self.stopping = True
        pauses.rules_changed()

    def close(self) -> None:
        """End every injected delay, let every thread finish the jobs already queued, then stop."""
        self.stop_waiting()
        with self._lock:
            for _ in range(self.threads):
                self._jobs.put(None)

    @contextlib.contextmanager
    def lend(self) -> Iterator[None]:
        """Start a stand-in thread for as long as the calling worker waits; one thread retires afterwards."""
        self._start_thread()
        try:
            yield
        finally:
            self._jobs.put(None)  # whichever thread takes it stops: the pool is back to its size

    def _start_thread(self) -> None:
        with self._lock:
            self.threads += 1
        try:
            threading.Thread(target=self._work, name=f"{self.name}-{next(_names)}", daemon=True).start()
        except RuntimeError:  # no thread to be had: the count stays true
            with self._lock:
                self.threads -= 1
            raise

    def _work(self) -> None:
        pauses.belong_to(self)
        while True:
            job = self._jobs.get()
            if job is None:
                with self._lock:
                    self.threads -= 1
                return
            function, args, future, loop = job
            try:
                result, error = function(*args), None
            except BaseException as failure:  # noqa: BLE001  (handed to the awaiting coroutine, which decides)
                result, error = None, failure
            try:
                loop.call_soon_threadsafe(self._settle, future, result, error)
            except RuntimeError:
                pass  # the loop is closed: the server stopped while this job ran
