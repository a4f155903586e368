"""One HTTP/1.1 connection of the emulator's server: httptools parses it, this bounds and times each request,
hands it to the bridge, and writes the answers back in order.

Whatever the client does:
- a request's headers arrive within ``header_timeout`` of the connection being free for them (an idle
  keep-alive included) and stay within ``header_bytes``, or the connection is closed or refused 431;
- a declared body over the limit is refused 413 before a byte of it is read; a short declared one is read
  whole before the app runs; a long or chunked one streams to the app as it reads (``body_stream``);
- pipelined requests are answered one at a time, in order, reading paused while more than one waits, and
  while the client has not taken what it was sent (cut off after ``write_timeout``);
- what the parser refuses gets a 400 in the vendor's shape, and the connection closes after it.
"""
from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import socket
from collections import deque
from typing import TYPE_CHECKING, Any

import httptools

from ..http.web import STREAMING
from .body_stream import BodyStream
from .framing import Refused, head_bytes, target

if TYPE_CHECKING:
    from .loop_server import EmbeddedServer

PREREAD = 256 * 1024  # a declared body up to this size is read whole before the app runs
LINGER = 5.0  # seconds a connection closed mid-request goes on reading (and dropping) what the client still sends
PIPELINED = 64  # requests one connection may have waiting; past it the connection is refused 400 and closed
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
log = logging.getLogger(__name__)


class Stop(Exception):
    """Parsing ends here: the requests queued are answered, then the connection closes."""


class Request:
    """One parsed request: its WSGI environ, how its body arrives, and whether the connection stays open."""

    __slots__ = ("environ", "chunks", "stream", "keep_alive", "refusal", "expects")

    def __init__(self, environ: dict[str, Any], keep_alive: bool) -> None:
        self.environ = environ
        self.keep_alive = keep_alive
        self.chunks: list[bytes] | None = None  # the short declared body, as it arrives
        self.stream: BodyStream | None = None  # the long or chunked body, fed to the app as it reads
        self.refusal: Refused | None = None
        self.expects = False  # the client waits for "100 Continue" before it sends the body

    @property
    def path(self) -> str:
        """PATH_INFO: as much of the path as was read, for a request refused early."""
        path: str = self.environ["PATH_INFO"]
        return path


class Connection(asyncio.Protocol):
    """The server's side of one TCP connection."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server
        self.limits = server.limits
        self.loop = server.loop
        self.parser = httptools.HttpRequestParser(self)
        self.parser.set_dangerous_leniencies(lenient_data_after_close=True)  # bytes after "close" are ignored
        self.transport: asyncio.Transport | None = None
        self.client = ("", 0)
        self.requests: deque[Request] = deque()  # parsed and not yet answered, oldest first
        self.request: Request | None = None  # the one whose body is being read
        self.answering = False  # the oldest request is with the bridge
        self.closing = False  # answer what is parsed, then close
        self.heading = False  # a request's headers are under way
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.header_bytes = 0  # of the request line and headers parsed so far
        self.unfinished = 0  # bytes of whole reads that left the headers unfinished (a line the parser holds)
        self.timer: asyncio.TimerHandle | None = None
        self.reading = True
        self.unread = False  # parsing stopped mid-request: the client may still be sending
        self.began = False  # a request began during the read being parsed
        self.shut = False  # our side of the connection is shut (lingering): nothing more is written
        self.behind: asyncio.TimerHandle | None = None  # set while the client reads too slowly to take more
        self.held = 0  # what the transport held when last checked while behind

    # The transport's side.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start waiting for the first request's headers."""
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple):
            self.client = peer[0], peer[1]
        self.server.opened(self)
        self._expect_headers()

    def connection_lost(self, error: Exception | None) -> None:
        """Let a body the app is reading end: it finds the client gone."""
        self._stop_timer()
        self._caught_up()
        self.closing = True
        self._cut_body_short()
        self.server.closed(self)

    def data_received(self, data: bytes) -> None:
        """Parse what arrived; a request whose headers stay unfinished over ``header_bytes`` is refused."""
        if self.closing:
            return
        heading, self.began = self.heading, False
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            refused = error.__context__
            if isinstance(refused, Stop):
                self._stop_parsing()
            else:
                self._refuse(refused if isinstance(refused, Refused) else Refused(400, "the request could not be read"))
        except httptools.HttpParserUpgrade:
            self._stop_parsing()  # no protocol switch here: the request is answered with "close"
        except httptools.HttpParserError as error:
            self._refuse(Refused(400, f"the request is malformed ({str(error).rstrip('.')})"))
        else:
            # The whole read went into headers the parser holds unfinished (a read in which a request began
            # counts from the next one: it may hold earlier requests whole).
            if heading and self.heading and not self.began:
                self.unfinished += len(data)
                if self.unfinished > self.limits.header_bytes:
                    self._refuse(Refused(431, f"more than {self.limits.header_bytes} bytes"))

    def eof_received(self) -> bool:
        """The client sent all it will: answer what is parsed, then close (a half-closed client gets answers)."""
        self.closing = True
        self._cut_body_short()
        return bool(self.requests)

    def pause_writing(self) -> None:
        """The client reads slower than it is answered: take no more requests (see ``done``) until it catches
        up, and cut it off if it takes nothing for the write timeout."""
        if self.behind is None:
            self.held = self.unsent()
            self.behind = self.loop.call_later(self.limits.write_timeout, self._cut_off)

    def resume_writing(self) -> None:
        """The client has caught up: go on with the requests held back."""
        if self._caught_up() and not self.answering:
            self._proceed()

    def _caught_up(self) -> bool:
        if self.behind is None:
            return False
        self.behind.cancel()
        self.behind = None
        return True

    def _cut_off(self) -> None:
        held = self.unsent()
        if held < self.held:  # it took some: give it another write timeout to catch up
            self.held = held
            self.behind = self.loop.call_later(self.limits.write_timeout, self._cut_off)
            return
        self.behind = None
        log.warning("cut off %s:%s: it read nothing of its answers for %g s", *self.client,
                    self.limits.write_timeout)
        self.abort()

    # httptools' callbacks.

    def on_message_begin(self) -> None:
        """A request starts."""
        self.heading = self.began = True
        self.url = b""
        self.headers = []
        self.header_bytes = self.unfinished = 0

    def on_url(self, url: bytes) -> None:
        """Part of the request target."""
        self.url += url
        self._count(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        """One header line."""
        self.headers.append((name, value))
        self._count(len(name) + len(value) + 4)

    def _count(self, size: int) -> None:
        self.header_bytes += size
        if self.header_bytes > self.limits.header_bytes:
            raise Refused(431, f"more than {self.limits.header_bytes} bytes")

    def on_headers_complete(self) -> None:
        """The headers are in: refuse what cannot be served, else queue the request (at once when it streams)."""
        self.heading = False
        self._stop_timer()
        if len(self.requests) >= PIPELINED:
            raise Refused(400, f"more than {PIPELINED} requests sent ahead of their answers")
        parser = self.parser
        request = self.server.bridge.request(self, parser.get_method(), self.url, self.headers,
                                             parser.get_http_version(), parser.should_keep_alive())
        environ = request.environ
        declared = int(environ.get("CONTENT_LENGTH") or 0)  # the parser has checked it is a number
        chunked = "HTTP_TRANSFER_ENCODING" in environ
        if chunked and environ["HTTP_TRANSFER_ENCODING"].strip().lower() != "chunked":
            raise Refused(501, f"transfer coding {environ['HTTP_TRANSFER_ENCODING'][:40]!r} (only chunked)")
        if parser.should_upgrade():
            request.keep_alive = False  # no protocol switch here: answered, then closed (the parser stops)
        if declared > self.server.body_limit:
            request.refusal = Refused(413, f"more than {self.server.body_limit} bytes")
            request.keep_alive = False
            self.requests.append(request)
            raise Stop()  # the body is never read
        if chunked or declared > PREREAD:
            request.stream = BodyStream(self, self.limits.header_timeout)
            environ["wsgi.input"] = io.BufferedReader(request.stream)
            environ[STREAMING] = True
            if chunked:
                environ["wsgi.input_terminated"] = True  # the app reads to the end, not to a length
        elif declared:
            request.chunks = []
        else:
            environ["wsgi.input"] = io.BytesIO(b"")
        request.expects = (request.chunks is not None or request.stream is not None) \
            and environ.get("HTTP_EXPECT", "").lower() == "100-continue"
        self.request = request
        if request.stream is not None:
            self.requests.append(request)
            self._next()
        elif request.chunks is not None:
            self._expect_headers()  # a short body comes within the same time as headers, or the connection closes
        self._go_ahead()

    def on_body(self, body: bytes) -> None:
        """Part of the body: kept, or handed to the app's stream (reading paused while it holds much)."""
        request = self.request
        if request is None:
            return
        if request.stream is not None:
            if request.stream.feed(body):
                self._pause_reading()
        elif request.chunks is not None:
            request.chunks.append(body)

    def on_message_complete(self) -> None:
        """The request is whole: queue it (a streamed one is queued already, and its stream ends)."""
        request, self.request = self.request, None
        if request is None:
            return
        if request.stream is not None:
            request.stream.end()
        else:
            if request.chunks is not None:
                request.environ["wsgi.input"] = io.BytesIO(b"".join(request.chunks))
                request.chunks = None
            self.requests.append(request)
        if not request.keep_alive:
            self._stop_reading()
        elif len(self.requests) > 1:
            self._pause_reading()
        self._next()

    # Answering.

    def _next(self) -> None:
        """Hand the oldest request to the bridge, unless one is with it already or the client is behind (the
        requests parsed meanwhile wait, at most ``PIPELINED``, until it catches up)."""
        while self.requests and not self.answering and self.behind is None:
            self.answering = True
            self.server.bridge.answer(self, self.requests[0])

    def respond(self, request: Request, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        """Write a whole answer (its head and body in one write), then go on to the next request."""
        close = self._closes(request)
        if not self.gone() and not self.shut:
            head = head_bytes(status, headers, len(body), close, request)
            self.write(head + body if request.environ["REQUEST_METHOD"] != "HEAD" else head)
        self.done(request, close)

    def start(self, request: Request, status: int, headers: list[tuple[str, str]]) -> bool:
        """Write the head of an answer whose body follows in pieces; True when they go chunked."""
        close = self._closes(request)
        sized = any(name.lower() == "content-length" for name, _ in headers)
        chunked = not sized and request.environ["SERVER_PROTOCOL"] == "HTTP/1.1"
        if not sized and not chunked:
            request.keep_alive = False  # HTTP/1.0 with no length: the end of the connection ends the body
            close = True
        self.write(head_bytes(status, headers, None, close, request, chunked))
        return chunked

    def write(self, data: bytes) -> None:
        """Hand bytes to the transport (nothing once the connection is gone or shut)."""
        if not self.gone() and not self.shut:
            self.transport.write(data)  # type: ignore[union-attr]

    def unsent(self) -> int:
        """Bytes handed to the transport that it still holds (what the kernel holds is ``backpressure``'s)."""
        return self.transport.get_write_buffer_size() if self.transport is not None else 0

    def gone(self) -> bool:
        """Whether the connection is closed or closing."""
        return self.transport is None or self.transport.is_closing()

    def done(self, request: Request, close: bool | None = None) -> None:
        """The answer to ``request`` is handed over: close when it said so (``close``, when the caller has
        worked it out), else take the next request (once the client has taken enough of what it was sent)."""
        close = self._closes(request) if close is None else close
        if self.requests and self.requests[0] is request:
            self.requests.popleft()
        self.answering = False
        if self.gone():  # cut off or gone: what waits is never answered
            self.requests.clear()
            return
        if close:
            self._end()
        elif self.behind is None:
            self._proceed()
        else:
            self._pause_reading()  # resume_writing proceeds

    def _proceed(self) -> None:
        if not self.requests:  # free for the next request: read on, and time its headers (or its short body)
            self._resume_reading()
            self._expect_headers()
        self._go_ahead()
        self._next()

    def _go_ahead(self) -> None:
        """Send "100 Continue" to the request whose body is awaited, once no answer is due before it."""
        request = self.request
        if request is not None and request.expects and (not self.requests or self.requests[0] is request):
            request.expects = False
            self.write(CONTINUE)

    def drop(self) -> None:
        """End the connection with no answer: the client reads the end of the stream (a ``drop`` fault)."""
        transport = self.transport
        if self.gone():
            return
        with contextlib.suppress(OSError, AttributeError):  # a copy: the transport's own socket offers no shutdown
            with socket.fromfd(transport.get_extra_info("socket").fileno(), socket.AF_INET, socket.SOCK_STREAM) as copy:
                copy.shutdown(socket.SHUT_RDWR)
        transport.abort()

    def abort(self) -> None:
        """Cut the connection off at once (a client that reads nothing of its answer)."""
        if self.transport is not None:
            self.transport.abort()

    def shutdown(self) -> None:
        """The server is stopping: close now when idle, else after the answer under way."""
        self.closing = True
        if not self.requests and self.transport is not None:
            self.transport.close()

    # Reading and timing.

    def _closes(self, request: Request) -> bool:
        return not request.keep_alive or request is self.request or self.closing and len(self.requests) <= 1

    def _end(self) -> None:
        """Close after the last answer. When the client may still be sending (a body refused or left unread),
        read and drop for up to ``LINGER`` s first, with our side shut: closing on unread bytes would reset
        the connection, and the client could lose the answer before reading it."""
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.request is None and not self.unread:
            transport.close()
            return
        self.closing = True
        self.request = None
        if not self.reading:
            self.reading = True
            transport.resume_reading()
        if transport.can_write_eof():
            transport.write_eof()
            self.shut = True
        self.loop.call_later(LINGER, transport.close)

    def _stop_parsing(self) -> None:
        """Parse nothing more: answer what is queued, then close (reading on and dropping a while)."""
        self._stop_timer()
        self._stop_reading()
        self.unread = True
        self._next()

    def _refuse(self, refused: Refused) -> None:
        """Answer ``refused`` after what is already parsed, then close; parse nothing more. A request whose body
        the app is reading already gets the app's answer alone: its body ends short, as a client gone."""
        if self._cut_body_short():
            self._stop_parsing()
            return
        self.request = None
        try:
            path = target(self.url)[0]
        except Refused:
            path = "/"
        request = Request({"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": path}, False)
        request.refusal = refused
        self.requests.append(request)
        self._stop_parsing()

    def _cut_body_short(self) -> bool:
        """End the body the app is reading as one that will never be whole; whether there was one."""
        if self.request is None or self.request.stream is None:
            return False
        self.request.stream.end(complete=False)
        return True

    def _expect_headers(self) -> None:
        self._stop_timer()
        self.timer = self.loop.call_later(self.limits.header_timeout, self._timed_out)

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _timed_out(self) -> None:
        """The headers (or a short body) did not come in time: close; a request being answered is never cut
        short."""
        self.timer = None
        if not self.requests and self.transport is not None:
            self.transport.close()

    def _stop_reading(self) -> None:
        self.closing = True
        self._pause_reading()

    def _pause_reading(self) -> None:
        if self.reading and not self.gone():
            self.reading = False
            self.transport.pause_reading()  # type: ignore[union-attr]

    def _resume_reading(self) -> None:
        if not self.reading and not self.closing and not self.gone():
            self.reading = True
            self.transport.resume_reading()  # type: ignore[union-attr]

    def resume_body(self) -> None:
        """The app has read most of what its stream held: read on (called on the loop)."""
        if self.request is not None and self.request.stream is not None and len(self.requests) <= 1:
            self._resume_reading()
