"""HTTP plumbing shared by both vendors and the admin API: bounded bodies through the JSON gate, JSON responses."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

import orjson
from flask import Flask, Request, Response, current_app, g, has_request_context, request
from flask.globals import request_ctx
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema
from werkzeug.exceptions import (
    ClientDisconnected,
    MethodNotAllowed,
    RequestEntityTooLarge,
)
from werkzeug.sansio.utils import get_current_url

from ..domain import jsongate
from ..domain.errors import BadRequest, EmulatorError, InvalidQuery, PayloadTooLarge
from .flaskapp import EmulatorResponse
from .validation import load_remembered

MAX_BODY = 1024 * 1024
BODY = "emulator.body"  # the WSGI environ key holding the body once read
BODY_FAILED = "emulator.body_failed"  # ... or the error reading it raised, raised again if it is read again
STREAMING = "emulator.streaming"  # set by a server whose wsgi.input is still arriving (a body not yet in hand)
INTEGER = re.compile(r"-?[0-9]{1,18}")  # ASCII only: str.isdigit() and int() also take "²" and "１２"
ASCII_SPACE = " \t\n\r\x0b\x0c"  # trimmed around an integer, as PHP and JavaScript do; str.strip() takes more


def this_request() -> Request:
    """The request being handled. Every attribute read through Flask's ``request`` proxy looks the request up
    again (about 0.9 µs); code that runs on every request looks it up once (0.15 µs) and reads the object."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    return req


def request_globals() -> Any:
    """Flask's ``g`` for the request being handled, looked up once (see ``this_request``)."""
    return g._get_current_object()  # type: ignore[attr-defined]


def this_app() -> Flask:
    """The app handling the request, looked up once (see ``this_request``)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def environ_key(header: str) -> str:
    """Where a WSGI environ holds a request header: ``X-Emulator-Fault`` is ``HTTP_X_EMULATOR_FAULT``."""
    return "HTTP_" + header.upper().replace("-", "_")


def ascii_integer(text: str) -> int | None:
    """The integer ``text`` writes in ASCII digits (a minus sign allowed) between ASCII spaces, else None."""
    trimmed = text.strip(ASCII_SPACE)
    return int(trimmed) if INTEGER.fullmatch(trimmed) else None


def body_limit() -> int:
    """The largest body a route reads unless it says otherwise (``max_body``)."""
    limit: int = this_app().config["EMULATOR"].get("max_body", MAX_BODY)
    return limit


def body_bytes(limit: int | None = None) -> bytes:
    """The request body, read once and never beyond ``limit`` bytes; PayloadTooLarge when it is longer.

    A declared ``Content-Length`` over the limit is refused before reading anything; a chunked body is read at
    most ``limit + 1`` bytes far, so an oversized body never sits in memory whole.
    """
    limit = body_limit() if limit is None else limit
    req = this_request()
    if req.content_length is not None and req.content_length > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    raw = req.environ.get(BODY)
    if raw is None:
        failed = req.environ.get(BODY_FAILED)
        if failed is not None:
            raise failed  # the stream is partly read: never read it again as if whole
        try:
            raw = req.environ[BODY] = _read(req, limit)
        except ClientDisconnected as error:  # the server's stream: the client went, paused too long or sent garbage
            failure = BadRequest("The request body stopped coming before its end.")
            req.environ[BODY_FAILED] = failure
            raise failure from error
        except EmulatorError as error:
            req.environ[BODY_FAILED] = error
            raise
    if len(raw) > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    return raw


def read_ahead() -> None:
    """Read the request's body (within the usual limit) when it is still arriving (``STREAMING``): before the
    route takes its session's lock, so a client sending it slowly holds no lock meanwhile. An error is kept for
    when the route reads the body, so errors keep their order (a 401 before a 413)."""
    if STREAMING in this_request().environ:  # else in hand already: the server read it whole, as waitress always does
        with contextlib.suppress(EmulatorError):
            body_bytes()


def _read(req: Request, limit: int) -> bytes:
    """Read the body: a declared length straight from the server's stream, anything else through Werkzeug's
    limited stream (which stops at ``limit + 1`` bytes)."""
    length = req.content_length
    if length is not None and "HTTP_TRANSFER_ENCODING" not in req.environ:
        raw: bytes = req.environ["wsgi.input"].read(length) if length else b""
        if len(raw) < length:
            raise BadRequest(f"The request body ended after {len(raw)} of the {length} bytes its Content-Length "
                             "declared.")
        req._cached_data = raw  # where get_data() keeps what it read: request.get_json() sees the same bytes
        return raw
    req.max_content_length = limit + 1
    try:
        return req.get_data(cache=True)
    except RequestEntityTooLarge as error:
        raise PayloadTooLarge(f"Request body is larger than {limit} bytes.") from error


def json_body(limit: int | None = None) -> dict[str, Any]:
    """Return the request's JSON object, through the JSON gate, or raise a vendor-neutral 400/413."""
    return _json_object(body_bytes(limit), this_request().mimetype)


def _json_object(raw: bytes, mimetype: str) -> dict[str, Any]:
    """The JSON object ``raw`` holds (``{}`` when it is blank), sent as ``mimetype``, through the JSON gate."""
    if not raw.strip():
        return {}
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise BadRequest(f"Content-Type must be application/json, not {mimetype or 'missing'!r}.")
    body = jsongate.parse(raw)
    if not isinstance(body, dict):
        raise BadRequest(f"The request body must be a JSON object, not {type(body).__name__}.")
    return body


def loaded_body(schema: Schema, limit: int | None = None) -> dict[str, Any]:
    """``validation.load(schema, json_body(limit))``, the load remembered for a small body and its type
    (``validation.remembered``)."""
    raw, mimetype = body_bytes(limit), this_request().mimetype
    return load_remembered(schema, (raw, mimetype), len(raw), lambda: _json_object(raw, mimetype))


def loaded_query(schema: Schema, args: Callable[[], dict[str, str]] | None = None) -> dict[str, Any]:
    """The request's query string loaded with ``schema`` (remembered when small: ``validation.remembered``), or
    InvalidQuery with each parameter's messages; ``args`` gives the parameters to load, by default each one's
    first value."""
    req = this_request()
    query = req.environ.get("QUERY_STRING", "")
    return load_remembered(schema, query, len(query), args or (lambda: req.args.to_dict()), InvalidQuery)


def query_integer(name: str, minimum: int, maximum: int) -> int | None:
    """A query-string integer in ASCII digits within ``[minimum, maximum]``, None when absent; else 400."""
    value = request.args.get(name)
    if value is None:
        return None
    number = ascii_integer(value)
    if number is None or not minimum <= number <= maximum:
        raise BadRequest(f"{name} must be a whole number from {minimum} to {maximum}, in ASCII digits.")
    return number


PLAIN_HOST = re.compile(r"(?!.*xn--)[a-z0-9.-]+(?::[1-9][0-9]{0,4})?")  # what Werkzeug's root_url keeps as it is
USABLE_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[1-9][0-9]{0,4}))?")


def base_url() -> str:
    """The URL the client reached the emulator at, without a trailing slash: a ``/s/{session}`` prefix stays
    (``strip_prefix`` moved it to the script root), so a URL built on it lands in the same session.

    A ``Host`` that is missing, or that no URL can carry (a port over 65535 or with a leading zero, odd
    characters: Werkzeug 3.1.8 passed some through and urllib then refused them, a 500), gives way to the
    address the request came in on. A plain lower-case host with no prefix is used as it is (Werkzeug's
    ``root_url`` would hand it back unchanged, after about 20 µs of work).
    """
    req = this_request()
    environ, host = req.environ, req.host
    usable = USABLE_HOST.fullmatch(host)
    if usable is None or int(usable["port"] or 0) > 65535:
        host = _server_address(environ)
    if not environ.get("SCRIPT_NAME") and PLAIN_HOST.fullmatch(host):
        return f"{req.scheme}://{host}"
    return get_current_url(req.scheme, host, req.root_path).rstrip("/")


def _server_address(environ: dict[str, Any]) -> str:
    """``host:port`` of the socket the request came in on (the port left out when it is the scheme's own)."""
    name, port = environ.get("SERVER_NAME", "localhost"), environ.get("SERVER_PORT", "80")
    name = f"[{name}]" if ":" in name and not name.startswith("[") else name
    default = "443" if environ.get("wsgi.url_scheme") == "https" else "80"
    return name if port == default else f"{name}:{port}"


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialise ``payload`` compactly with orjson (UTF-8, keys in the order they were built)."""
    return EmulatorResponse.whole(orjson.dumps(payload), status, headers, "application/json")


class GatedJSON(DefaultJSONProvider):
    """Flask's JSON provider with loading through the gate, so ``request.get_json()`` meets the same limits."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse a request's JSON through the gate (UnsafeJSON is a ValueError, as Flask expects).

        Outside a request (a test client reading a response) it parses as Flask does: the gate guards what
        the emulator takes in, not what a test reads back.
        """
        if not has_request_context():
            return super().loads(s, **kwargs)
        return jsongate.parse(s if isinstance(s, bytes) else s.encode("utf-8", "surrogatepass"))


def install(app: Flask) -> None:
    """Bound every body read to ``max_body`` and route Flask's JSON parsing through the gate."""
    app.config["MAX_CONTENT_LENGTH"] = app.config["EMULATOR"].get("max_body", MAX_BODY) + 1
    app.json = GatedJSON(app)


def refuse_options(req: Request) -> None:
    """OPTIONS is a 405 in the vendor's shape, like any method a route lacks, not Flask's empty 200."""
    if req.method == "OPTIONS" and req.url_rule is not None:
        allowed = set(request_ctx.url_adapter.allowed_methods()) if request_ctx.url_adapter else set()
        raise MethodNotAllowed(valid_methods=sorted(allowed - {"OPTIONS"}))
