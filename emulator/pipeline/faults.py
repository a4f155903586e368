"""Apply fault rules to vendor requests: before handling, after it, or by dropping the connection."""
from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable
from typing import Any

import orjson
from flask import Response, g, request

from ..domain.errors import BadRequest, InjectedFault
from ..harness.faults import Facts, FaultRuleError, Rule, from_header
from ..harness.session import Session
from ..http.context import current_session, registry
from ..http.web import environ_key, request_globals, this_request
from ..onlyfansapi.auth import bearer_key
from . import pauses
from .errors import vendor_error

HEADER = "X-Emulator-Fault"
HEADER_KEY = environ_key(HEADER)
GATEWAY_PAGE = ("<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n"
                "<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n")
DROP = "emulator.drop"
HANDLED = "emulator.handled_status"
VENDORS = ("ofauth", "onlyfansapi")


def request_facts() -> Facts | None:
    """What fault rules match on, or None when the request is not for a vendor route."""
    if request.blueprint not in VENDORS or request.endpoint is None:
        return None
    view_args = request.view_args or {}
    return Facts(vendor=request.blueprint, method=request.method, route=request.endpoint.split(".")[-1],
                 path=request.path, connection=request.headers.get("x-connection-id", ""),
                 account=str(view_args.get("account", "")),
                 key=request.headers.get("apiKey", "") or bearer_key())


def effect(rule: Rule, normal: Response | None = None) -> Response | None:
    """The response a firing rule gives instead of ``normal``, or None when it keeps the normal one."""
    respond = rule.respond
    if respond.get("drop"):
        request.environ[DROP] = True
        return Response(b"", 200)
    status = respond.get("status")
    if respond.get("html"):
        response = Response(GATEWAY_PAGE.format(status=status or 502), status or 502, mimetype="text/html")
    elif respond.get("truncate"):
        whole = normal.get_data() if normal is not None and "body" not in respond else _body_bytes(respond)
        response = Response(whole[: max(1, len(whole) // 2)], status or 200, mimetype="application/json")
    elif "body" in respond:
        response = Response(_body_bytes(respond), status or 200, mimetype="application/json")
    elif status is not None:
        response = vendor_error(InjectedFault(status))
        if status == 429:
            response.headers.setdefault("Retry-After", "1")
    else:
        return None
    raw = any(name in respond for name in ("html", "truncate", "body"))
    response.headers["X-Emulator-Fault"] = f"{rule.id}; raw" if raw else rule.id
    return response


def _body_bytes(respond: dict[str, Any]) -> bytes:
    """A rule's body: text as UTF-8, anything else as JSON (the rule was checked by the JSON gate)."""
    body = respond.get("body", "")
    return body.encode("utf-8") if isinstance(body, str) else orjson.dumps(body)


def delay(session: Session, rule: Rule) -> None:
    """Wait out the rule's delay, unless the rule is removed (or its session reset) meanwhile."""
    seconds = session.faults.delay_seconds(rule)
    if seconds <= 0:
        return
    if not any(kept is rule for kept in session.faults.rules):
        pauses.pause(seconds)  # a header's one-off rule: nothing can remove it
        return
    sessions = registry()

    def still_wanted() -> bool:
        return (any(kept is rule for kept in session.faults.rules) and session.name in sessions.names()
                and sessions.find(session.name) is session)

    pauses.pause(seconds, still_wanted)


def before() -> Response | None:
    """Evaluate the session's fault rules for a vendor request: wait out a delay, answer for the route when a rule
    fires before it (None lets the route answer)."""
    req = this_request()
    if req.blueprint not in VENDORS:
        return None
    named = HEADER_KEY in req.environ
    if not named and not current_session().faults.rules:
        return None
    facts = request_facts()
    if facts is None:
        return None
    try:
        extra = from_header(req.headers[HEADER]) if named else None
    except FaultRuleError as error:
        raise BadRequest(str(error)) from error
    session = current_session()
    rule = session.faults.evaluate(facts, extra)
    g.fault = rule
    if rule is None or rule.when == "after":
        return None
    delay(session, rule)
    return effect(rule)


def after(response: Response) -> Response:
    """Apply the firing rule's ``after`` effect and headers to the route's answer."""
    rule = request_globals().get("fault")
    if rule is None:
        req = this_request()
        if req.method != "GET" and req.blueprint == "admin":
            pauses.rules_changed()  # a rule removed or a session reset ends the delays it caused
        return response
    if rule.when == "after":
        request.environ[HANDLED] = response.status_code
        delay(current_session(), rule)
        response = effect(rule, response) or response
    # Every firing rule's headers go out, whichever response it ends with (a headers-only rule's included).
    response.headers.update(rule.respond.get("headers", {}))
    response.headers.setdefault("X-Emulator-Fault", rule.id)
    # A rule may serve any body as any type, HTML with script included: never let it run at this origin.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def drop_connection(environ: dict[str, Any], result: Iterable[bytes]) -> None:
    """End the connection with no response, as a ``drop`` rule says.

    Under waitress it shuts the channel's socket; elsewhere it raises ConnectionResetError, which the default
    server's bridge (``wsgi_bridge``) answers by shutting the client's socket and the in-process transport turns
    into httpx's own error.
    """
    if hasattr(result, "close"):
        result.close()
    channel = getattr(environ.get("waitress.client_disconnected"), "__self__", None)
    if channel is None:
        raise ConnectionResetError("connection dropped by a fault rule")
    from waitress.channel import ClientDisconnected

    with contextlib.suppress(OSError):  # the client may already be gone
        channel.socket.shutdown(socket.SHUT_RDWR)
    raise ClientDisconnected("connection dropped by a fault rule")
