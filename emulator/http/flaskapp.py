"""The emulator's Flask: the framework as it is, less the work of features the emulator never uses.

All five are hooks Flask offers for this: ``ensure_sync`` ("override this method to change how the app runs
async views": the emulator has none, so every view, hook and handler is called as it is, without an
``iscoroutinefunction`` check on each request), ``session_interface`` (no secret key, so no cookie session: one
shared null session instead of a new one, and a cookie check, per request), and ``url_rule_class`` (the app
never builds a URL from a route, so a route's URL builders are compiled on first use, not at start: about 20 ms
of start-up for the emulator's routes), and ``response_class`` (an answer whose headers need no fixing is handed
to the server as it is, not copied header by header first, and a body already whole in memory is handed over as
that list, not through Werkzeug's encoding generator and closing wrapper), and ``create_url_adapter`` (the
request's URL adapter bound as Werkzeug binds it, reading the Host once instead of twice and encoding a host name
once, not on every request; only where no setting asks for more: no ``SERVER_NAME``, ``TRUSTED_HOSTS``, host or
subdomain matching).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import NullSession, SessionInterface
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadHost
from werkzeug.routing import MapAdapter, Rule
from werkzeug.wsgi import get_host


class NoSessions(SessionInterface):
    """Every request gets the same empty, read-only session; nothing is ever saved."""

    null = NullSession()

    def open_session(self, app: Flask, request: Request) -> NullSession:
        """The shared null session (writing to it raises, as Flask's does without a secret key)."""
        return self.null

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        """Nothing to save."""


class LazyRule(Rule):
    """A route whose URL builders (Werkzeug compiles two per route, as Python code) are compiled when first
    used."""

    def _compile_builder(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        compile_builder, compiled = super()._compile_builder, []

        def build(rule: Rule, *values: Any, **named: Any) -> Any:
            if not compiled:
                compiled.append(compile_builder(*args, **kwargs))
            return compiled[0](rule, *values, **named)

        return build


class EmulatorResponse(Response):
    """A response that skips Werkzeug's copy of its headers when there is nothing to fix in them, and hands over
    a body it holds whole as it is."""

    @classmethod
    def whole(cls, body: bytes, status: int, headers: dict[str, str] | None, content_type: str
              ) -> EmulatorResponse:
        """A response of ``body`` with ``headers``, then ``Content-Type`` and ``Content-Length``, in that order:
        what ``Response(body, status, headers, content_type=...)`` builds, without checking each header on the
        way. So ``headers`` must be the emulator's own: string values with no line break, and neither of the two
        headers this adds. The list is handed to ``Headers`` as the one list it holds (its ``_list``, which
        ``tests/test_remembered_loads.py`` checks against Werkzeug's own build)."""
        listed = Headers()
        listed._list = [*(headers or {}).items(), ("Content-Type", content_type), ("Content-Length", str(len(body)))]
        response = cls(None, status, listed)
        response.response = [body]
        return response

    def get_app_iter(self, environ: dict[str, Any]) -> Any:
        """The body list itself when it is whole bytes in memory and nothing waits for the response to close;
        Werkzeug's closing iterator otherwise (and always for HEAD, 1xx, 204 and 304, which send no body)."""
        body = self.response
        if (type(body) is list and not self._on_close and environ["REQUEST_METHOD"] != "HEAD" and self._has_body()
                and all(type(part) is bytes for part in body)):
            return body
        return super().get_app_iter(environ)

    def _has_body(self) -> bool:
        """Whether the status may carry a body (not 1xx, 204 or 304)."""
        return 200 <= self.status_code and self.status_code not in (204, 304)

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Any:
        """The headers as they are when they carry the body's length, no location to make absolute, and a status
        that may have a body; Werkzeug's fixed-up copy otherwise."""
        if self._has_body():
            names = {name.lower() for name, _ in self.headers}
            if "content-length" in names and "location" not in names and "content-location" not in names:
                return self.headers
        return super().get_wsgi_headers(environ)


class EmulatorFlask(Flask):
    """Flask for an app with no async views, no cookie sessions, and no URLs built at start."""

    session_interface = NoSessions()
    url_rule_class = LazyRule
    response_class = EmulatorResponse

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Every view and hook of the emulator is a plain function: call it as it is."""
        return func

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        """The request's URL adapter through ``bind`` where no setting asks for more; Flask's otherwise."""
        if (request is None or self.config.get("SERVER_NAME") is not None
                or self.config.get("TRUSTED_HOSTS") is not None or self.url_map.host_matching
                or self.subdomain_matching):
            return super().create_url_adapter(request)
        return bind(self, request)


@functools.lru_cache(maxsize=64)  # clients send a few Host values, request after request
def server_name(host: str) -> str:
    """``host`` as ``Map.bind`` keeps it: lower case, the name IDNA-encoded, the port as it is (BadHost when the
    name cannot be encoded)."""
    name, colon, port = host.lower().partition(":")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise BadHost() from error
    return f"{name}{colon}{port}"


def _wsgi_text(environ: dict[str, Any], key: str, missing: str | None = None) -> str | None:
    """An environ string as Werkzeug reads it (UTF-8 carried as Latin-1); ``missing`` when the key is absent."""
    value = environ.get(key)
    return missing if value is None else value.encode("latin1").decode(errors="replace")


def bind(app: Flask, request: Request) -> MapAdapter:
    """The URL adapter ``Map.bind_to_environ`` gives the request when no setting asks for more (the Host read
    once, its name encoded once per Host), with ``request.host`` set as Flask sets it."""
    environ = request.environ
    host = request.host = get_host(environ)  # type: ignore[misc]
    scheme = environ["wsgi.url_scheme"]
    if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and any(
            part.strip() == "upgrade" for part in environ.get("HTTP_CONNECTION", "").lower().split(",")):
        scheme = "wss" if scheme == "https" else "ws"  # a WebSocket request matches WebSocket rules only
    return MapAdapter(app.url_map, server_name(host), _wsgi_text(environ, "SCRIPT_NAME", "/"), "", scheme,
                      _wsgi_text(environ, "PATH_INFO", "/"), environ["REQUEST_METHOD"],
                      _wsgi_text(environ, "QUERY_STRING"))
