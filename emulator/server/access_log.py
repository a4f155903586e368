"""The access log of ``serve``: one line per request, as the client received it, in text or JSON."""
from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any, TextIO

import orjson

from ..harness.sessions import DEFAULT
from ..http.context import HEADER_KEY, PATH_SESSION
from ..pipeline import faults
from ..pipeline.faults import DROP

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FORMATS = ("text", "json")
FAULT = faults.HEADER.lower()


@functools.lru_cache(maxsize=4)
def _second(whole: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


def _timestamp(moment: float) -> str:
    return f"{_second(int(moment))}.{int(moment * 1000) % 1000:03d}Z"


def _printable(text: str) -> str:
    # A percent-decoded path may hold newlines or escapes: never let a client forge or garble a log line.
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _path(raw: str) -> str:
    # WSGI carries the path as bytes decoded as latin-1; show the UTF-8 the client sent.
    return raw if raw.isascii() else raw.encode("latin-1", "replace").decode("utf-8", "replace")


def text_line(entry: dict[str, Any]) -> str:
    """``TIME SESSION METHOD PATH STATUS DURATIONms [fault=RULE]``; a dropped connection shows ``dropped``."""
    status = "dropped" if entry["dropped"] else entry["status"]
    line = (f"{entry['time']} {_printable(entry['session'])} {entry['method']} {_printable(entry['path'])} "
            f"{status} {entry['duration_ms']}ms")
    return f"{line} fault={_printable(entry['fault'])}" if entry["fault"] else line


def json_line(entry: dict[str, Any]) -> str:
    """The entry as one JSON object."""
    return orjson.dumps(entry).decode()


class AccessLog:
    """WSGI middleware, outermost, so it sees the final status, after-faults and dropped connections.

    ``stream.write`` must not block (``serve`` hands it a ``log_writer.QueuedStream``) and must be thread-safe.
    """

    def __init__(self, wsgi_app: WSGIApp, stream: TextIO, log_format: str = "text") -> None:
        self.wsgi_app = wsgi_app
        self.stream = stream
        self.render = json_line if log_format == "json" else text_line

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: list[Any] = []

        def record_start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, *rest)

        try:
            result = self.wsgi_app(environ, record_start)
        except BaseException:
            # The fault middleware drops a connection by raising; anything else becomes waitress's 500.
            dropped = bool(environ.get(DROP))
            self.write(environ, seen if dropped else [], started, dropped)
            raise
        self.write(environ, seen, started, dropped=False)
        return result

    def write(self, environ: dict[str, Any], seen: list[Any], started: float, dropped: bool) -> None:
        """Log one request."""
        status, headers = seen if seen else ("500", [])  # start_response not called: the server answers 500
        fault = next((value for name, value in headers if len(name) == len(FAULT) and name.lower() == FAULT), None)
        entry = {
            "time": _timestamp(time.time()),
            "session": (environ.get(PATH_SESSION) or environ.get(HEADER_KEY, "").strip())[:128]
            or DEFAULT,
            "method": environ.get("REQUEST_METHOD", ""),
            "path": _path(environ.get("PATH_INFO", "")),
            "status": 0 if dropped else int(status[:3]),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "fault": fault.split(";")[0].strip() if fault else None,
            "dropped": dropped,
        }
        line = self.render(entry) + "\n"
        try:
            self.stream.write(line)  # under serve, a QueuedStream: never waits on the reader
        except (OSError, ValueError):
            pass  # a closed stdout must not fail requests
