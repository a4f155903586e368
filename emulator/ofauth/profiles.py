"""OFAuth's user lookups: ``/v2/access/self`` (the connection's creator), one user, and several users by id."""
from __future__ import annotations

from flask import Response, request
from marshmallow import validate

from ..domain import profiles
from ..domain.queue import MAX_ID
from ..http.web import loaded_query
from ..render.profiles import own_profile, user_profile
from .auth import Caller, requires
from .blueprint import bp, reply
from .fields import Array, QueryInteger
from .queries import Query

MAX_USER_IDS = 10  # "Maximum 10 user IDs per request" (the SDK's docstring)


class UsersQuery(Query):
    """B3: ``userIds``, 1-10 positive whole numbers, repeated (``userIds=1&userIds=2``) or comma-separated."""

    userIds = Array(QueryInteger(1, MAX_ID), required=True, error_messages={"required": "Required"},
                    validate=validate.Length(min=1, max=MAX_USER_IDS,
                                             error="Array must contain between {min} and {max} element(s)"))


USERS = UsersQuery()


@bp.get("/v2/access/self")
@requires("profile:read")
def get_self(caller: Caller) -> Response:
    """The creator behind the connection: names, avatar and counts (OFAuth's Quickstart calls it first)."""
    return reply(own_profile(caller.creator))


@bp.get("/v2/access/users/list")
@requires("profile:read")
def list_users(caller: Caller) -> Response:
    """Up to ten users by id as ``{users}``, in the order asked; ids of nobody known are left out."""
    user_ids = loaded_query(USERS, _user_ids)["userIds"]
    session = caller.session
    now, fakes = session.clock.now(), session.world.fakes
    return reply({"users": [user_profile(caller.creator, user, fakes, now)
                            for user in profiles.find_many(caller.creator, user_ids, now)]})


@bp.get("/v2/access/users/<user_id>")
@requires("profile:read")
def get_user(caller: Caller, user_id: str) -> Response:
    """One user by id or username: the creator, or a fan with their subscription and lists; else 404."""
    session = caller.session
    now, fakes = session.clock.now(), session.world.fakes
    return reply(user_profile(caller.creator, profiles.find(caller.creator, fakes, user_id, now), fakes, now))


def _user_ids() -> dict[str, list[str]]:
    """Every ``userIds`` value split at commas (the SDK repeats the key for a list and sends a string as is)."""
    given = request.args.getlist("userIds")
    return {"userIds": [piece for value in given for piece in value.split(",")]} if given else {}
