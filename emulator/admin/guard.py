"""What keeps web pages off the admin API when no ``--admin-token`` is set.

A page in a browser can send a simple cross-site request (a form POST, a ``no-cors`` fetch, ``sendBeacon``)
with no preflight, and a page on a DNS name its owner points at 127.0.0.1 (DNS rebinding) can even read the
answers. Neither can choose the ``Host`` header, send ``Content-Type: application/json`` cross-site without a
preflight the emulator never grants, or hide a foreign ``Origin``. So, without a token:

- every admin request needs a ``Host`` that no attacker can point at the emulator: an IP address, ``localhost``
  or a name under ``.localhost`` or ``.invalid`` (RFC 6761 names that never resolve elsewhere), or one of
  ``--allowed-hosts``. Bound to an address other than loopback with no ``--allowed-hosts``, any Host passes.
- a request that changes state (POST, PUT, PATCH, DELETE) is refused when its ``Origin`` is not the emulator's
  own, and, but for a DELETE (which no page sends without a preflight), when it is not declared JSON.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, request

from ..domain.errors import Forbidden, UnsupportedMedia

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RESERVED = ("localhost", "invalid")  # top-level names that never resolve to someone else's address


def hostname(authority: str) -> str:
    """The host of ``host[:port]`` or ``[v6]:port``, lower case, without a trailing dot."""
    host = authority.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def is_ip(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_loopback_bind(host: str | None) -> bool:
    """Whether the server listens on loopback only (None, in process: treated as loopback)."""
    if host is None or hostname(host) == "localhost":
        return True
    return is_ip(hostname(host)) and ipaddress.ip_address(hostname(host)).is_loopback


def allowed_host(host: str, bound: str | None, allowed: tuple[str, ...]) -> bool:
    """Whether a request's Host names the emulator in a way no DNS rebinding can."""
    if "*" in allowed or (not allowed and not is_loopback_bind(bound)):
        return True
    name = hostname(host)
    return is_ip(name) or name.rsplit(".", 1)[-1] in RESERVED or name in allowed


def refuse_web_pages() -> None:
    """Refuse what a web page could send to the admin API on its own (call only when there is no token)."""
    settings = current_app.config["EMULATOR"]
    host = request.headers.get("Host")  # absent (HTTP/1.0, a bare WSGI call): no browser sent it
    if host is not None and not allowed_host(host, settings.get("host"), settings["allowed_hosts"]):
        raise Forbidden(f"Host {hostname(host)!r} is not one the admin API answers (DNS rebinding guard): use "
                             "127.0.0.1 or localhost, start the emulator with --allowed-hosts "
                             f"{hostname(host) or 'NAME'}, or set --admin-token.")
    if request.method not in CHANGES:
        return
    origin = request.headers.get("Origin")
    if origin is not None and not same_origin(origin):
        raise Forbidden(f"Origin {origin[:100]!r} is not this emulator's: a web page elsewhere may not change "
                             "its state. Set --admin-token to allow it with the token.")
    if request.method != "DELETE" and request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMedia(f"Content-Type must be application/json for {request.method} on the admin API (a web page "
                      f"can send {request.mimetype or 'no type'!r} from anywhere), even with an empty body.")


def same_origin(origin: str) -> bool:
    """Whether ``Origin`` names the host (as the client or a proxy in front saw it) the request was sent to."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (a sandboxed frame, a file) and anything odd
    seen = {request.headers.get("Host", ""), *request.headers.get("X-Forwarded-Host", "").split(",")}
    return parts.netloc.lower() in {value.strip().lower() for value in seen if value.strip()}
