"""OFAuth's auth: an ``apiKey`` header, a permission, and a connection in ``x-connection-id``."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.errors import (
    Forbidden,
    RateLimited,
    SessionExpired,
    SessionNotProvided,
    Unauthorized,
    VerifyIdentity,
)
from ..domain.models import Connection, Creator, OFAuthKey
from ..harness.session import Session
from ..http.context import locked_session
from ..http.web import request_globals, this_request


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the session, the key, the connection and the creator behind it."""

    session: Session
    key: OFAuthKey
    connection: Connection
    creator: Creator


def api_key(session: Session) -> OFAuthKey:
    """The request's ``apiKey`` in ``session``, once the vendor events due by now have happened (a connection may
    have expired); Unauthorized when it names no key."""
    session.events.settle(session.world, session.clock.now())
    key = session.world.ofauth_keys.get(this_request().environ.get("HTTP_APIKEY", ""))
    if key is None:
        raise Unauthorized("Invalid or missing API key: send it in the apiKey header.")
    return key


def authenticate(session: Session, permission: str, spend: bool = True) -> Caller:
    """Check key, permission and connection in that order, then spend a token from the bucket (unless not
    ``spend``: an upload's bytes, which the bucket does not meter)."""
    key = api_key(session)
    environ = this_request().environ
    if permission not in key.permissions:
        raise Forbidden(f"This API key does not have the {permission} permission.")
    connection = key.connections.get(environ.get("HTTP_X_CONNECTION_ID", ""))
    if connection is None:
        raise SessionNotProvided()
    if connection.status == "expired":
        raise SessionExpired()
    if connection.status == "verify_identity":
        raise VerifyIdentity()
    bucket = session.bucket(connection.id, key.burst, key.refill_per_minute)
    now = session.clock.now()
    found = request_globals()
    try:
        found.bucket_state = bucket.take(now) if spend else bucket.peek(now)
    except RateLimited:
        found.bucket_state = bucket.peek(now)
        raise
    return Caller(session, key, connection, session.world.creator(connection.creator_id))


def requires(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the view with a Caller as first argument, holding the session's lock throughout."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with locked_session() as session:
                return view(authenticate(session, permission), *args, **kwargs)
        return wrapper
    return decorate
