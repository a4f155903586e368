"""The emulator's HTTP server: HTTP/1.1 parsed by httptools on an asyncio event loop (uvloop's where installed),
in this process, the WSGI app on the loop or a worker pool (see ``wsgi_bridge``).

In this process, not in worker processes: the sessions live here, so SIGTERM can save ``--state-file`` from them,
``--port 0`` can report the port it got, and start-up spawns nothing. The server accepts connections itself, so
past ``max_connections`` it stops accepting and new ones wait in the kernel's backlog, as the limit promises.
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from ..pipeline.stages import quick_check
from .connection import Connection
from .wsgi_bridge import Bridge, WSGIApp
from .workers import Workers

STOP_GRACE = 3.0  # seconds the answers under way get to finish once the server is told to stop
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one client can hold: sized so that slow or idle clients never lock the others out."""

    threads: int = 8  # threads running the app; a delayed request lends its place (see workers.Workers)
    max_connections: int = 4096  # connections served at once; beyond it, new ones wait in the backlog
    backlog: int = 1024  # connections the kernel queues before they are accepted
    header_timeout: float = 10.0  # seconds a client has to send a request's headers (an idle keep-alive too)
    header_bytes: int = 32 * 1024  # of a request's line and headers; over it, 431
    write_timeout: float = 10.0  # seconds a client may leave a piece of its answer unread before it is cut off
    unsent_bytes: int = 64 * 1024 * 1024  # answers produced and not yet read, all clients together; past it, 503


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (OSError when it is taken), not yet listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # POSIX: rebind past TIME_WAIT
        listener.bind((host, port))
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener


class EmbeddedServer:
    """The server on an event loop: run it in the main thread (``serve``) or a background one."""

    def __init__(self, app: WSGIApp, host: str = "127.0.0.1", port: int = 0, limits: Limits = Limits(),
                 body_limit: int = 64 * 1024 * 1024, quick: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """``quick(environ)``: whether a request cannot wait, so it may run on the event loop; by default the
        emulator's own check (``pipeline.stages.quick_check``), and for any other app, never."""
        self.host = host
        self.limits = limits
        self.body_limit = body_limit  # no route reads more: a longer declared body is refused unread
        self.listener = listening_socket(host, port)
        self.port = self.listener.getsockname()[1]
        self.workers = Workers(limits.threads)
        self.bridge = Bridge(app, self.workers, host, self.port, limits.write_timeout, limits.unsent_bytes,
                             quick or quick_check(app))
        self.connections: set[Connection] = set()
        self.accepted = 0  # connections accepted and not yet closed (some may not have started yet)
        self.accepting = False
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port``, with the real port."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def serve(self, ready: Callable[[], None] = lambda: None) -> None:
        """Listen, call ``ready`` once connections are accepted, and serve until ``stop``."""
        self.loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        try:
            self.listener.listen(self.limits.backlog)
            self._accept_again()
            ready()
            await self._stopping.wait()
        finally:
            await self._close()

    async def _close(self) -> None:
        """Stop accepting, close idle connections, give the answers under way ``STOP_GRACE`` s, end the pool."""
        self._pause_accepting()
        self.listener.close()
        for connection in list(self.connections):
            connection.shutdown()
        deadline = time.monotonic() + STOP_GRACE
        while self.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for connection in list(self.connections):
            connection.abort()
        self.workers.close()

    def _accept_again(self) -> None:
        if not self.accepting and self.listener.fileno() >= 0:
            self.accepting = True
            self.loop.add_reader(self.listener.fileno(), self._accept)

    def _accept(self) -> None:
        """Accept what is waiting, up to ``max_connections`` open; past it, leave the rest in the backlog."""
        while self.accepted < self.limits.max_connections:
            try:
                client, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                if error.errno == errno.ECONNABORTED:
                    continue
                # Out of descriptors or memory: pause accepting a moment rather than spin on the error.
                log.warning("cannot accept a connection: %s; retrying in 0.1 s", error.strerror or error)
                self._pause_accepting()
                self.loop.call_later(0.1, self._accept_again)
                return
            self.accepted += 1
            client.setblocking(False)
            with contextlib.suppress(OSError):
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.loop.create_task(self._start(client))
        self._pause_accepting()

    def _pause_accepting(self) -> None:
        if self.accepting:
            self.accepting = False
            self.loop.remove_reader(self.listener.fileno())

    async def _start(self, client: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(lambda: Connection(self), client)
        except OSError:
            client.close()
            self.closed(None)

    def opened(self, connection: Connection) -> None:
        """A connection started (its transport is made)."""
        self.connections.add(connection)

    def closed(self, connection: Connection | None) -> None:
        """A connection ended: accept again if the limit had stopped it."""
        if connection is not None:
            self.connections.discard(connection)
        self.accepted -= 1
        if not self.accepting and self._stopping is not None and not self._stopping.is_set():
            self._accept_again()

    def stop(self) -> None:
        """Stop serving (from any thread); ``serve`` returns once the connections are closed."""
        self.workers.stop_waiting()
        if self.loop is not None and not self.loop.is_closed() and self._stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just stopped
                self.loop.call_soon_threadsafe(self._stopping.set)

    def start_in_thread(self) -> None:
        """Serve from a daemon thread with its own event loop; return once connections are accepted."""
        listening = threading.Event()
        failures: list[BaseException] = []

        def run() -> None:
            try:
                run_loop(self.serve(listening.set))
            except BaseException as error:  # noqa: BLE001  (reported to the starting thread)
                failures.append(error)
                listening.set()

        self._thread = threading.Thread(target=run, name="emulator-server", daemon=True)
        self._thread.start()
        listening.wait()
        if failures:
            raise failures[0]

    def join(self, timeout: float | None = None) -> None:
        """Wait for a server started with ``start_in_thread`` to stop."""
        if self._thread is not None:
            self._thread.join(timeout)


def run_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` to the end on a new event loop: uvloop's where it is installed (Linux and macOS: a cheaper
    loop, measured at about 60 µs less CPU per request), else asyncio's own."""
    try:
        import uvloop
    except ImportError:  # asyncio's selector loop: the one that can watch the listening socket everywhere
        with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
            runner.run(main)
        return
    uvloop.run(main)


def allow_descriptors(connections: int) -> None:
    """Raise the soft limit on open files so ``connections`` sockets fit (as far as the hard limit allows)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256  # room for the listening socket, log files, the state file
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))
