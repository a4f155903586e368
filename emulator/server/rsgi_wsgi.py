"""Serve a WSGI app over granian's RSGI interface: the event loop does the I/O, and runs the app itself when the
request cannot wait; otherwise a worker thread runs it.

granian's own WSGI mode runs the app on a fixed set of threads that a sleeping request holds; here the loop
accepts and reads every connection. A request that may wait (an injected delay, a body still arriving, an admin
call, or any request while a worker is busy, since a worker may hold the lock it needs) goes to a small pool,
where a delayed request lends its thread's place (see ``workers``); any other runs on the loop at once, which
saves two thread hand-offs (the app holds the GIL either way). A ``drop`` fault shuts the client's socket, so the
client sees no response at all.
"""
from __future__ import annotations

import asyncio
import io
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..harness.sessions import UNREADABLE
from ..pipeline.faults import DROP
from .backpressure import Outbox, SlowReader
from .drop import shut_connection
from .workers import Workers

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
PREREAD = 256 * 1024  # a declared body up to this size is read before the app runs: one hand-off, not many
BATCH = 256 * 1024  # a longer response goes out in batches of this size, pulled from the app on a worker
SMALL = 16 * 1024  # a shorter answer is handed to granian whole; a longer one in PIECEs, each with a write timeout
PIECE = 64 * 1024
SERVER = ("server", "emulator")
HEALTH = "/_emulator/health"  # answered even over the unsent budget: tiny, and what a supervisor polls
log = logging.getLogger(__name__)


class StreamInput(io.RawIOBase):
    """``wsgi.input`` for a long or chunked body: the app's worker thread reads chunks from the loop on demand."""

    def __init__(self, protocol: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._chunks = protocol.__aiter__()
        self._loop = loop
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        """A request body is readable."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from the chunk at hand, fetching the next one when it is used up; 0 at the end."""
        if not self._pending and not self._done:
            self._pending = asyncio.run_coroutine_threadsafe(self._next(), self._loop).result()
            self._done = not self._pending
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    async def _next(self) -> bytes:
        try:
            chunk: bytes = await self._chunks.__anext__()
        except StopAsyncIteration:
            return b""
        return chunk


def environ_of(scope: Any) -> dict[str, Any]:
    """The WSGI environ for an RSGI scope (without ``wsgi.input``)."""
    host, _, port = scope.server.rpartition(":")
    client, _, client_port = scope.client.rpartition(":")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.method, "SCRIPT_NAME": "",
        # WSGI carries the path as the bytes sent, decoded as latin-1; granian hands it over decoded as UTF-8.
        "PATH_INFO": scope.path.encode("utf-8", "surrogateescape").decode("latin-1"),
        "QUERY_STRING": scope.query_string, "SERVER_NAME": host.strip("[]"), "SERVER_PORT": port,
        "REMOTE_ADDR": client.strip("[]"), "REMOTE_PORT": client_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}", "wsgi.version": (1, 0), "wsgi.url_scheme": scope.scheme,
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        "emulator.client": scope.client,
    }
    items = scope.headers.items()
    names = scope.headers.keys()
    if len(names) != len(items):  # granian leaves out values with bytes 0x80-0xFF: say which, so none is taken as absent
        environ[UNREADABLE] = tuple(set(names).difference(name for name, _ in items))
    for name, value in items:
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
        elif name == "content-length":
            environ["CONTENT_LENGTH"] = value
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


async def attach_body(environ: dict[str, Any], protocol: Any) -> None:
    """Give the environ its ``wsgi.input``: read now when short and declared, else streamed as the app reads."""
    length = environ.get("CONTENT_LENGTH", "")
    if "HTTP_TRANSFER_ENCODING" not in environ and (not length or length == "0"):
        environ["wsgi.input"] = io.BytesIO(b"")
    elif length.isdigit() and int(length) <= PREREAD and "HTTP_TRANSFER_ENCODING" not in environ:
        environ["wsgi.input"] = io.BytesIO(await protocol())
    else:
        # The app reads only as far as its limit; granian has already undone any chunked framing.
        environ["wsgi.input"] = io.BufferedReader(StreamInput(protocol, asyncio.get_running_loop()))
        environ["wsgi.input_terminated"] = True


class Answer:
    """What a WSGI call produced: status, headers, the first body bytes, and the rest still to pull."""

    def __init__(self, status: int, headers: list[tuple[str, str]], first: bytes, rest: Iterator[bytes] | None,
                 result: Iterable[bytes]) -> None:
        self.status, self.headers, self.first, self.rest, self.result = status, headers, first, rest, result

    def more(self) -> bytes:
        """The next batch of the body (on a worker thread); empty at the end, when the app's result is closed."""
        if self.rest is None:
            return b""
        batch = _gather(self.rest)
        if batch is None:
            self.rest = None
            self.close()
            return b""
        return batch

    def close(self) -> None:
        """Close the app's result, as WSGI requires once the body is sent."""
        close = getattr(self.result, "close", None)
        if close is not None:
            close()


def _gather(chunks: Iterator[bytes]) -> bytes | None:
    """Up to about BATCH bytes from ``chunks``; None when it is exhausted with nothing gathered."""
    batch: list[bytes] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= BATCH:
            break
    else:
        if not batch:
            return None
    return b"".join(batch)


def call_app(app: WSGIApp, environ: dict[str, Any]) -> Answer:
    """Run the app (on a worker thread) as far as its first batch of body; a short answer is closed at once."""
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        if exc_info and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return _no_write

    result = app(environ, start_response)
    chunks = iter(result)
    first = _gather(chunks)
    status, headers = started  # start_response has run by now: before returning, or at the first chunk
    if first is None or len(first) < BATCH:
        answer = Answer(int(status[:3]), headers, first or b"", None, result)
        answer.close()
        return answer
    return Answer(int(status[:3]), headers, first, chunks, result)


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the emulator's server does not offer WSGI's write(); return the body instead")


def refusal(path: str, status: int, detail: str) -> bytes:
    """The vendor-shaped body of an error the server gives before the app runs (rare: imported when needed)."""
    from .errors import body, server_error

    return body(path, server_error(status, detail))


class Bridge:
    """The RSGI application granian calls: one coroutine per request, the WSGI app on ``workers``.

    An answer longer than ``SMALL`` goes out in pieces, each of which the client must take within
    ``write_timeout`` seconds or be cut off; the bytes produced and not yet taken count against ``unsent_limit``,
    and while they exceed it new requests (but health) are answered 503 at once, so clients that never read
    cannot make the server hold more than that (plus the answers being made).
    """

    def __init__(self, app: WSGIApp, workers: Workers, body_limit: int, write_timeout: float = 10.0,
                 unsent_limit: int = 64 * 1024 * 1024, quick: Callable[[dict[str, Any]], bool] | None = None) -> None:
        self.app = app
        self.workers = workers
        self.quick = quick  # whether a request cannot wait, so it may run on the loop (None: every one waits)
        self.body_limit = body_limit  # no route reads more: a longer declared body is refused unread
        self.write_timeout = write_timeout
        self.unsent_limit = unsent_limit
        self.unsent = 0  # bytes of answers produced and not yet taken by their clients
        self._unsent_lock = threading.Lock()

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        """Answer one HTTP request."""
        if scope.proto != "http":
            return
        environ = environ_of(scope)
        if int(environ.get("CONTENT_LENGTH") or 0) > self.body_limit:  # granian has checked it is a number
            protocol.response_bytes(413, [SERVER, ("content-type", "application/json"), ("connection", "close")],
                                    refusal(scope.path, 413, f"more than {self.body_limit} bytes"))
            return
        await attach_body(environ, protocol)
        try:
            if self.quick is not None and self.workers.idle() and "wsgi.input_terminated" not in environ \
                    and self.quick(environ):
                answer = self._answer(environ, scope.path)
            else:
                answer = await self.workers.run(self._answer, environ, scope.path)
        except BaseException as error:
            if environ.get(DROP):
                shut_connection(scope.client)  # no response at all: the client sees the connection end
                return
            log.error("%s %s failed outside the app's error handling", scope.method, scope.path, exc_info=error)
            protocol.response_bytes(500, [SERVER, ("content-type", "application/json")],
                                    refusal(scope.path, 500, "the server failed"))
            return
        headers = answer.headers if any(name.lower() == "server" for name, _ in answer.headers) \
            else [*answer.headers, SERVER]
        if answer.rest is None and len(answer.first) <= SMALL:
            protocol.response_bytes(answer.status, headers, answer.first)
            return
        await self._stream(protocol, answer, headers, scope.client)

    def _answer(self, environ: dict[str, Any], path: str) -> Answer:
        """Run the app (on a worker), unless the answers still unread are over the limit: then a 503, at once.

        Checked as the worker takes the request, not as it arrives, so a burst of requests queued behind the
        workers cannot all build their answers before the first ones count.
        """
        if self.unsent > self.unsent_limit and path != HEALTH:
            detail = f"{self.unsent} bytes of answers are still unread by their clients; try again in a moment"
            return Answer(503, [SERVER, ("content-type", "application/json"), ("retry-after", "1")],
                          refusal(path, 503, detail), None, ())
        answer = call_app(self.app, environ)
        if answer.rest is not None or len(answer.first) > SMALL:
            self._count(len(answer.first))  # counted as it is made: the next worker's check sees it
        return answer

    def _count(self, change: int) -> None:
        with self._unsent_lock:  # workers and the event loop both change it
            self.unsent += change

    async def _stream(self, protocol: Any, answer: Answer, headers: list[tuple[str, str]], client: str) -> None:
        transport = protocol.response_stream(answer.status, headers)
        outbox = await Outbox.open(client)
        batch = answer.first
        produced = len(batch)  # counted as unread (the first batch by _answer) until the client has taken it all
        try:
            while batch:
                for start in range(0, len(batch), PIECE):
                    await outbox.wait_below(PIECE, self.write_timeout)  # the client took most of the last piece
                    await transport.send_bytes(batch[start:start + PIECE])
                batch = await self.workers.run(answer.more) if answer.rest is not None else b""
                produced += len(batch)
                self._count(len(batch))
            await outbox.wait_below(PIECE, self.write_timeout)  # and most of the last one
        except SlowReader:
            log.warning("cut off %s: it read nothing of its answer for %g s", client, self.write_timeout)
            shut_connection(client)
        finally:
            outbox.close()
            self._count(-produced)
            if answer.rest is not None:  # the client went away mid-body: still close the app's result
                self.workers.run(answer.close)
