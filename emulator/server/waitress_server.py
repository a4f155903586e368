"""``serve --server waitress``: the pure-Python server, with the same limits, delays and interface as the
default one (``loop_server``).

Kept for platforms where httptools has no wheel and for those who want a thread per request: it needs no
compiled code. It is slower, and it has no write timeout: a client that never reads holds a thread's answer.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from waitress.server import create_server

from ..pipeline import pauses
from . import waitress_errors
from .loop_server import Limits


class WaitressPool:
    """waitress's worker threads, which grow by one while a request waits out an injected delay."""

    def __init__(self, dispatcher: Any, size: int) -> None:
        self.dispatcher = dispatcher
        self.size = size
        self.stopping = False
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def lend(self) -> Iterator[None]:
        """One more thread while the caller waits; back to the size after."""
        with self._lock:
            self.size += 1
            self.dispatcher.set_thread_count(self.size)
        try:
            yield
        finally:
            with self._lock:
                self.size -= 1
                self.dispatcher.set_thread_count(self.size)


class WaitressServer:
    """A waitress server with the interface of ``loop_server.EmbeddedServer``, run in the calling thread."""

    def __init__(self, app: Any, host: str, port: int, limits: Limits, body_limit: int) -> None:
        self._server = waitress_errors.install(create_server(
            app, host=host, port=port, threads=limits.threads, ident="emulator", clear_untrusted_proxy_headers=True,
            connection_limit=limits.max_connections, backlog=limits.backlog,
            channel_timeout=max(1, round(limits.header_timeout)), max_request_body_size=body_limit))
        self.pool = WaitressPool(self._server.task_dispatcher, limits.threads)
        self.port = self._server.effective_port
        host = str(self._server.effective_host)
        self.base_url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def serve(self, ready: Callable[[], None] = lambda: None) -> None:
        """Call ``ready`` (the socket listens already) and serve until ``stop``."""
        pauses.set_fallback(self.pool)
        ready()
        try:
            self._server.run()
        finally:
            pauses.set_fallback(None)

    def stop(self) -> None:
        """End injected delays and close the listening socket; ``serve`` returns."""
        self.pool.stopping = True
        pauses.rules_changed()
        self._server.close()
        self._server.task_dispatcher.shutdown(timeout=5)
