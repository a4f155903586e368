"""The emulator's HTTP server: granian (Rust, HTTP/1.1) embedded in this process, the app on a worker pool.

Embedded, not granian's usual worker processes: the sessions live in this process, so SIGTERM can save
``--state-file`` from them, ``--port 0`` can report the port it got, and start-up spawns nothing.
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels
from granian.server.embed import Server as Granian

from ..pipeline.stages import quick_check
from .rsgi_wsgi import Bridge, WSGIApp
from .workers import Workers


@dataclass(frozen=True)
class Limits:
    """What one client can hold: sized so that slow or idle clients never lock the others out."""

    threads: int = 8  # threads running the app; a delayed request lends its place (see workers.Workers)
    max_connections: int = 4096  # connections served at once; beyond it, new ones wait in the backlog
    backlog: int = 1024  # connections the kernel queues before they are accepted
    header_timeout: float = 10.0  # seconds a client has to send a request's headers (an idle keep-alive too)
    write_timeout: float = 10.0  # seconds a client may leave a piece of its answer unread before it is cut off
    unsent_bytes: int = 64 * 1024 * 1024  # answers produced and not yet read, all clients together; past it, 503


class Port:
    """The port to listen on, held (bound, not listening) until granian listens on it too.

    granian binds its own socket with SO_REUSEPORT; holding the port first makes ``--port 0`` report the real
    port, and a port another process holds fails here, with a clear error, instead of being shared.
    """

    def __init__(self, host: str, port: int) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.bind((host, port))  # without SO_REUSEPORT: fails while anyone else listens there
            self.port = self.socket.getsockname()[1]
            self.socket.close()
            self.socket = socket.socket(family, socket.SOCK_STREAM)
            if hasattr(socket, "SO_REUSEPORT"):  # Windows has none: there the port is only probed, not held
                self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                self.socket.bind((host, self.port))
        except OSError:
            self.socket.close()
            raise

    def release(self) -> None:
        """Stop holding the port (granian's socket keeps it)."""
        self.socket.close()


class EmbeddedServer:
    """One granian server on an event loop: run it in the main thread (``serve``) or a background one."""

    def __init__(self, app: WSGIApp, host: str = "127.0.0.1", port: int = 0, limits: Limits = Limits(),
                 body_limit: int = 64 * 1024 * 1024, quick: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """``quick(environ)``: whether a request cannot wait, so it may run on the event loop; by default the
        emulator's own check (``pipeline.stages.quick_check``), and for any other app, never."""
        self.host = host
        self.limits = limits
        self._port = Port(host, port)
        self.port = self._port.port
        self.workers = Workers(limits.threads)
        self._granian = Granian(
            Bridge(app, self.workers, body_limit, limits.write_timeout, limits.unsent_bytes,
                   quick or quick_check(app)), address=host, port=self.port, interface=Interfaces.RSGI,
            http=HTTPModes.http1, websockets=False, backlog=limits.backlog, backpressure=limits.max_connections,
            http1_settings=HTTP1Settings(header_read_timeout=int(limits.header_timeout * 1000)),
            log_enabled=True, log_level=LogLevels.error)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://host:port``, with the real port."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def serve(self, ready: Callable[[], None] = lambda: None) -> None:
        """Listen, call ``ready`` once connections are accepted, and serve until ``stop``."""
        self._loop = asyncio.get_running_loop()
        task = asyncio.create_task(self._granian.serve())
        try:
            await self._until_listening(task)
            self._port.release()
            ready()
            await task
        finally:
            self._port.release()
            self.workers.close()

    async def _until_listening(self, task: asyncio.Task[None], limit: float = 20) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if task.done():
                task.result()  # granian failed to start: raise its error
                raise OSError(errno.EADDRINUSE, "the server stopped before it listened")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection(self.host, self.port)
                writer.close()
                return
            await asyncio.sleep(0.005)
        raise TimeoutError(f"granian did not listen on {self.base_url} within {limit} s")

    def stop(self) -> None:
        """Stop serving (from any thread); ``serve`` returns once granian has closed its connections."""
        self.workers.stop_waiting()
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just stopped
                self._loop.call_soon_threadsafe(self._granian.stop)

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
    except ImportError:
        asyncio.run(main)
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
