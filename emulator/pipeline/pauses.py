"""Injected delays: wait without keeping a server worker from others, and stop waiting when the rule goes."""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol


class Pool(Protocol):
    """A server's threads, seen from one of them."""

    stopping: bool  # the server is shutting down: delays end at once

    def lend(self) -> AbstractContextManager[None]:
        """Keep the pool's size for others while the calling thread waits."""


_local = threading.local()
_changed = threading.Condition()


class _NoPool:
    stopping = False

    @contextlib.contextmanager
    def lend(self) -> Iterator[None]:
        yield


_fallback: Pool = _NoPool()


def belong_to(pool: Pool | None) -> None:
    """Say which pool the current thread serves (call it first thing in a worker thread)."""
    _local.pool = pool


def set_fallback(pool: Pool | None) -> None:
    """The pool of threads that did not say (waitress's, which starts its threads itself)."""
    global _fallback
    _fallback = pool or _NoPool()


def lending() -> AbstractContextManager[None]:
    """While the calling thread waits (for a delay, for a body's bytes), its pool runs a stand-in."""
    return _pool().lend()


def _pool() -> Pool:
    return getattr(_local, "pool", None) or _fallback


def pause(seconds: float, still_wanted: Callable[[], bool] = lambda: True) -> None:
    """Wait ``seconds``, or less if ``still_wanted()`` turns false; the pool runs a stand-in meanwhile."""
    if seconds <= 0:
        return
    deadline = time.monotonic() + seconds
    pool = _pool()
    with pool.lend(), _changed:
        while still_wanted() and not pool.stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            _changed.wait(remaining)


def rules_changed() -> None:
    """Wake every waiting request to check whether the rule that delays it still exists (or the server stops)."""
    with _changed:
        _changed.notify_all()
