"""OFAuth's Account API: ``/v2/account/whoami`` and ``/v2/account/connections``, on the API key alone."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response
from marshmallow import validate

from ..domain.clock import format_instant
from ..domain.models import Connection, OFAuthKey
from ..domain.paging import by_offset
from ..domain.people import DAY, salt
from ..harness.session import Session
from ..http.context import locked_session
from .auth import api_key
from .blueprint import bp, reply
from .fields import QueryInteger, Text
from .queries import Query, query


class ConnectionsQuery(Query):
    """E2's query: ``status``, ``imported`` (``"true"``/``"false"``), ``limit`` (default 10), ``offset``."""

    status = Text(load_default=None, validate=validate.OneOf(
        ("active", "expired", "awaiting_2fa"), error="Invalid enum value. Expected 'active' | 'expired' | "
                                                     "'awaiting_2fa'"))
    imported = Text(load_default=None, validate=validate.OneOf(
        ("true", "false"), error="Invalid enum value. Expected 'true' | 'false'"))
    limit = QueryInteger(1, 1000, load_default=10)
    offset = QueryInteger(0, load_default=0)


CONNECTIONS = ConnectionsQuery()


def requires_key(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run the view with the session and the ``apiKey``'s key; the Account API has no connection and no limit."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with locked_session() as session:
            return view(session, api_key(session), *args, **kwargs)
    return wrapper


def organization_id(key: OFAuthKey) -> str:
    """The id of the organization a key belongs to, stable for the key."""
    return f"org_{salt('organization', key.organization or key.key):016x}"[:20]


@bp.get("/v2/account/whoami")
@requires_key
def whoami(session: Session, key: OFAuthKey) -> Response:
    """The key's organization and the permissions it may use."""
    return reply({"id": organization_id(key), "name": key.organization, "permissions": sorted(key.permissions)})


@bp.get("/v2/account/connections")
@requires_key
def list_connections(session: Session, key: OFAuthKey) -> Response:
    """The key's connections, filtered by status and origin; ``{list, hasMore}``."""
    asked = query(CONNECTIONS)
    found = [connection for connection in key.connections.values()
             if asked["status"] in (None, connection.status) and asked["imported"] in (None, "false")]
    window = by_offset(found, asked["offset"], asked["limit"])
    return reply({"list": [_connection(session, key, connection) for connection in window.items],
                  "hasMore": window.has_more})


def _connection(session: Session, key: OFAuthKey, connection: Connection) -> dict[str, Any]:
    """A connection with the OnlyFans account behind it; its dates are days before the world began."""
    creator, started = session.world.creator(connection.creator_id), session.world.started_at
    created = started - (30 + salt(connection.id, "created") % 300) * DAY
    expired = connection.status == "expired"
    checked = started - DAY * (20 if expired else 0.01)
    return {"id": connection.id, "status": connection.status,
            "userData": {"id": str(creator.id), "name": creator.name, "username": creator.username,
                         "avatar": creator.avatar},
            "permissions": sorted(key.permissions), "expiredAt": _iso(checked) if expired else None,
            "createdAt": _iso(created), "updatedAt": _iso(checked), "clientReferenceId": connection.client_reference_id,
            "imported": False, "lastCheckedAt": _iso(checked)}


def _iso(moment: float) -> str:
    """The Account API's timestamps: ISO-8601 with milliseconds and ``Z``."""
    return format_instant(moment).replace("+00:00", ".000Z")
