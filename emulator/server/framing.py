"""The bytes of HTTP/1.1 as the connection reads and writes them: a request's target and header names as WSGI
names them, and an answer's status line and headers."""
from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

import httptools

if TYPE_CHECKING:
    from .connection import Request

# RFC 9110's reason phrases, as Python 3.13 words them, whichever Python runs: the same request gets the same bytes.
PHRASES = {**{status.value: status.phrase for status in HTTPStatus}, 413: "Content Too Large", 414: "URI Too Long",
           416: "Range Not Satisfiable", 422: "Unprocessable Content"}
STATUS_LINES = {status: f"HTTP/1.1 {status} {phrase}\r\n" for status, phrase in PHRASES.items()}
SERVER = "Server: emulator\r\n"  # on every answer that names no server of its own
_keys: dict[bytes, str | None] = {}  # header name as sent -> its WSGI environ key (None: left out)


class Refused(Exception):
    """A request the server answers itself, with ``status`` and ``detail``, then closes the connection."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def head_bytes(status: int, headers: list[tuple[str, str]], length: int | None, close: bool,
               request: Request, chunked: bool = False) -> bytes:
    """The status line and headers of an answer, with ``Server: emulator`` when it names no server, its length
    when ``length`` is given and it has none, and chunked framing when ``chunked``."""
    lines = [STATUS_LINES.get(status) or f"HTTP/1.1 {status} \r\n"]  # type: ignore[call-overload]
    sized, named = length is None, False
    for name, value in headers:
        if len(name) == 14 and name.lower() == "content-length":
            sized = True
        elif len(name) == 6 and name.lower() == "server":
            named = True
        lines.append(f"{name}: {value}\r\n")
    if not named:
        lines.append(SERVER)
    if chunked:
        lines.append("Transfer-Encoding: chunked\r\n")
    if not sized and status >= 200 and status not in (204, 304):
        lines.append(f"Content-Length: {length}\r\n")
    if close:
        lines.append("Connection: close\r\n")
    elif request.environ["SERVER_PROTOCOL"] == "HTTP/1.0":
        lines.append("Connection: keep-alive\r\n")
    lines.append("\r\n")
    text = "".join(lines)
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:  # a value a fault rule set beyond latin-1: sent as UTF-8 bytes (obs-text)
        return text.encode("utf-8")


def environ_key(name: bytes) -> str | None:
    """The WSGI environ key of header ``name``; None for a name with an underscore, which could pose as
    another header (``Content_Length`` as ``Content-Length``), left out as nginx and waitress do."""
    key = _keys.get(name, "")
    if key != "":
        return key
    if b"_" in name:
        key = None
    else:
        upper = name.decode("latin-1").upper().replace("-", "_")
        key = upper if upper in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + upper
    if len(_keys) < 1024:  # names seen, bounded: a client inventing names costs a little work, not memory
        _keys[name] = key
    return key


def target(url: bytes) -> tuple[str, str]:
    """PATH_INFO and QUERY_STRING of a request target: the path's bytes, percent-decoded, as latin-1 (WSGI)."""
    if url[:1] == b"/":
        path, _, query = url.partition(b"?")
        path = path.partition(b"#")[0]
    else:  # absolute form (through a proxy), or "*"
        try:
            parsed = httptools.parse_url(url)
        except httptools.HttpParserInvalidURLError:
            raise Refused(400, "the request target is not a URL") from None
        path, query = parsed.path or b"/", parsed.query or b""
    if b"%" in path:
        path = unquote_to_bytes(path)
    return path.decode("latin-1"), query.decode("latin-1")
