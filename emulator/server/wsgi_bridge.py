"""Run the WSGI app for the connections' requests: on the event loop when the request cannot wait, else on a
worker thread, and stream a long answer no faster than its client reads it.

A request that may wait (an injected delay, a body still arriving, an admin call, or any request while a worker
is busy, since a worker may hold the lock it needs) goes to a small pool, where a delayed request lends its
thread's place (see ``workers``); any other runs on the loop at once, which saves two thread hand-offs (the app
holds the GIL either way). A ``drop`` fault ends the connection with no answer at all.
"""
from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..pipeline.faults import DROP
from .backpressure import Outbox, SlowReader
from .connection import Request
from .framing import environ_key, target
from .refusals import refusal
from .workers import Workers

if TYPE_CHECKING:
    from .connection import Connection

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
BATCH = 256 * 1024  # a longer response goes out in batches of this size, pulled from the app on a worker
SMALL = 16 * 1024  # a shorter answer is written whole; a longer one in PIECEs, each with a write timeout
PIECE = 64 * 1024
SERVER = ("Server", "emulator")
JSON = ("Content-Type", "application/json")
HEALTH = "/_emulator/health"  # answered even over the unsent budget: tiny, and what a supervisor polls
log = logging.getLogger(__name__)


class Answer:
    """What a WSGI call produced: status, headers, the first body bytes, and the rest still to pull."""

    def __init__(self, status: int, headers: list[tuple[str, str]], first: bytes, rest: Iterator[bytes] | None,
                 result: Iterable[bytes]) -> None:
        self.status, self.headers, self.first, self.rest, self.result = status, headers, first, rest, result
        self.long = rest is not None or len(first) > SMALL  # goes out in pieces, counted as unread until taken

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


class Bridge:
    """Between the connections and the WSGI app: builds each request's environ, runs the app, sends the answer.

    An answer longer than ``SMALL`` goes out in pieces, each of which the client must take within
    ``write_timeout`` seconds or be cut off; the bytes produced and not yet taken count against ``unsent_limit``,
    and while they exceed it new requests (but health) are answered 503 at once, so clients that never read
    cannot make the server hold more than that (plus the answers being made).
    """

    def __init__(self, app: WSGIApp, workers: Workers, host: str, port: int, write_timeout: float = 10.0,
                 unsent_limit: int = 64 * 1024 * 1024, quick: Callable[[dict[str, Any]], bool] | None = None) -> None:
        self.app = app
        self.workers = workers
        self.quick = quick  # whether a request cannot wait, so it may run on the loop (None: every one waits)
        self.server_name, self.server_port = host.strip("[]"), str(port)
        self.write_timeout = write_timeout
        self.unsent_limit = unsent_limit
        self.unsent = 0  # bytes of answers produced and not yet taken by their clients
        self._unsent_lock = threading.Lock()

    def request(self, connection: Connection, method: bytes, url: bytes, headers: list[tuple[bytes, bytes]],
                version: str, keep_alive: bool) -> Request:
        """The request with its WSGI environ (without ``wsgi.input``); Refused(400) for a target that is no URL."""
        path, query = target(url)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method.decode("latin-1"), "SCRIPT_NAME": "", "PATH_INFO": path,
            "QUERY_STRING": query, "SERVER_NAME": self.server_name, "SERVER_PORT": self.server_port,
            "REMOTE_ADDR": connection.client[0], "REMOTE_PORT": str(connection.client[1]),
            "SERVER_PROTOCOL": f"HTTP/{version}", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        for name, value in headers:
            key = environ_key(name)
            if key is not None:
                text = value.decode("latin-1")
                environ[key] = f"{environ[key]}, {text}" if key in environ else text
        return Request(environ, keep_alive)

    def answer(self, connection: Connection, request: Request) -> None:
        """Answer ``request`` on ``connection``: now, when it cannot wait, else once a worker has run it."""
        environ = request.environ
        if request.refusal is not None:
            refused = request.refusal
            connection.respond(request, refused.status, [SERVER, JSON], refusal(request.path, refused.status,
                                                                                refused.detail))
            return
        if self.quick is not None and request.stream is None and self.workers.idle() and self.quick(environ):
            try:
                answer = self._answer(environ)
            except BaseException as error:  # noqa: BLE001  (a drop, or a failure outside Flask's handling)
                self._failed(connection, request, error)
                return
            self._send(connection, request, answer)
            return
        self.workers.run(self._answer, environ).add_done_callback(
            lambda done: self._ran(connection, request, done))

    def _ran(self, connection: Connection, request: Request, done: asyncio.Future[Answer]) -> None:
        if done.cancelled():
            connection.abort()
            return
        error = done.exception()
        if error is not None:
            self._failed(connection, request, error)
        else:
            self._send(connection, request, done.result())

    def _failed(self, connection: Connection, request: Request, error: BaseException) -> None:
        if request.environ.get(DROP):
            connection.drop()  # no response at all: the client sees the connection end
        else:
            log.error("%s %s failed outside the app's error handling", request.environ["REQUEST_METHOD"],
                      request.path, exc_info=error)
            connection.respond(request, 500, [SERVER, JSON], refusal(request.path, 500, "the server failed"))
            return
        connection.done(request)

    def _answer(self, environ: dict[str, Any]) -> Answer:
        """Run the app, unless the answers still unread are over the limit: then a 503, at once.

        Checked as the request is taken, not as it arrives, so a burst of requests queued behind the workers
        cannot all build their answers before the first ones count.
        """
        path = environ["PATH_INFO"]
        if self.unsent > self.unsent_limit and path != HEALTH:
            detail = f"{self.unsent} bytes of answers are still unread by their clients; try again in a moment"
            return Answer(503, [SERVER, JSON, ("Retry-After", "1")], refusal(path, 503, detail), None, ())
        answer = call_app(self.app, environ)
        if answer.long:
            self._count(len(answer.first))  # counted as it is made: the next worker's check sees it
        return answer

    def _send(self, connection: Connection, request: Request, answer: Answer) -> None:
        if not answer.long:
            connection.respond(request, answer.status, answer.headers, answer.first)
            return
        asyncio.get_running_loop().create_task(self._stream(connection, request, answer))

    def _count(self, change: int) -> None:
        with self._unsent_lock:  # workers and the event loop both change it
            self.unsent += change

    async def _stream(self, connection: Connection, request: Request, answer: Answer) -> None:
        chunked = connection.start(request, answer.status, answer.headers)
        bodiless = request.environ["REQUEST_METHOD"] == "HEAD"
        outbox = Outbox(connection)
        batch = answer.first
        produced = len(batch)  # counted as unread (the first batch by _answer) until the client has taken it all
        try:
            while batch:
                for start in range(0, 0 if bodiless else len(batch), PIECE):
                    await outbox.wait_below(PIECE, self.write_timeout)  # the client took most of the last piece
                    piece = batch[start:start + PIECE]
                    connection.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                batch = await self.workers.run(answer.more) if answer.rest is not None else b""
                produced += len(batch)
                self._count(len(batch))
            if chunked and not bodiless:
                connection.write(b"0\r\n\r\n")
            await outbox.wait_below(PIECE, self.write_timeout)  # and most of the last one
        except SlowReader:
            log.warning("cut off %s:%s: it read nothing of its answer for %g s", *connection.client,
                        self.write_timeout)
            connection.abort()
        except ConnectionError:
            pass  # the client went away
        except Exception:  # noqa: BLE001  (the app failed mid-body: the answer cannot be finished, only cut)
            log.exception("%s %s failed while its answer was being sent", request.environ["REQUEST_METHOD"],
                          request.path)
            connection.abort()
        finally:
            self._count(-produced)
            if answer.rest is not None:  # the client went away mid-body: still close the app's result
                self.workers.run(answer.close)
            connection.done(request)
