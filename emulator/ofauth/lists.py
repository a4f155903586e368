"""OFAuth's user-list routes: ``/v2/access/users/lists``, one list, its members, and adding or removing users."""
from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import validate

from ..domain import user_lists
from ..domain.paging import by_offset
from ..domain.people import newest_first
from ..http.web import json_body, loaded_body
from ..render.fans import list_state, member, user_list
from .auth import Caller, requires
from .blueprint import bp, reply
from .fields import Array, PositiveInteger, QueryInteger, Text
from .queries import Query, query
from .schemas import Body


class ListsQuery(Query):
    """A1: ``query`` (a name filter), ``limit`` 1-100 (default 10), ``offset``."""

    query = Text(max_length=1000, load_default=None)
    limit = QueryInteger(1, 100, load_default=10)
    offset = QueryInteger(0, load_default=0)


class MembersQuery(Query):
    """A6: ``limit`` 1-100 (default 10), ``offset``."""

    limit = QueryInteger(1, 100, load_default=10)
    offset = QueryInteger(0, load_default=0)


class ListName(Body):
    """A2 and A4: ``{"name"}``, 1-100 characters."""

    name = Text(max_length=100, min_length=1, required=True)


class ListIds(Body):
    """A9: ``{"listIds"}``, 1-5 positive integers."""

    listIds = Array(PositiveInteger(), required=True, validate=validate.Length(
        min=1, max=5, error="Array must contain between {min} and {max} element(s)"))


LISTS, MEMBERS, NAME, LIST_IDS = ListsQuery(), MembersQuery(), ListName(), ListIds()


def _shown(caller: Caller, found: Any) -> dict[str, Any]:
    return user_list(caller.creator, found, caller.session.world.fakes)


@bp.get("/v2/access/users/lists")
@requires("lists:read")
def list_user_lists(caller: Caller) -> Response:
    """The creator's user lists, system lists first, filtered by name; ``{list, hasMore}``."""
    asked = query(LISTS)
    found = user_lists.search(caller.creator, asked["query"])
    window = by_offset(found, asked["offset"], asked["limit"])
    return reply({"list": [_shown(caller, entry) for entry in window.items],
                  "hasMore": window.has_more, "order": "asc", "sort": "custom"})


@bp.post("/v2/access/users/lists")
@requires("lists:write")
def create_user_list(caller: Caller) -> Response:
    """Create an empty custom list."""
    name = loaded_body(NAME)["name"]
    return reply(_shown(caller, user_lists.create(caller.creator, name)))


@bp.get("/v2/access/users/lists/<list_id>")
@requires("lists:read")
def get_user_list(caller: Caller, list_id: str) -> Response:
    """One list by its number or system slug."""
    return reply(_shown(caller, user_lists.find(caller.creator, list_id)))


@bp.patch("/v2/access/users/lists/<list_id>")
@requires("lists:write")
def update_user_list(caller: Caller, list_id: str) -> Response:
    """Rename a custom list (a system list answers 400)."""
    name = loaded_body(NAME)["name"]
    return reply(_shown(caller, user_lists.rename(caller.creator, list_id, name)))


@bp.delete("/v2/access/users/lists/<list_id>")
@requires("lists:write")
def delete_user_list(caller: Caller, list_id: str) -> Response:
    """Delete a custom list; answers ``{}``."""
    user_lists.delete(caller.creator, list_id)
    return reply({})


@bp.get("/v2/access/users/lists/<list_id>/users")
@requires("lists:read")
def list_user_list_users(caller: Caller, list_id: str) -> Response:
    """The members of a list, newest subscriber first: ``{list, hasMore, nextOffset}``."""
    asked, found = query(MEMBERS), user_lists.find(caller.creator, list_id)
    return reply(_members(caller, found.members, asked["offset"], asked["limit"]))


def _members(caller: Caller, bits: int, offset: int, limit: int) -> dict[str, Any]:
    people, fakes = caller.creator.people, caller.session.world.fakes
    assert people is not None
    page = [member(fakes, people.id_of(index)) for index in newest_first(bits, offset, limit)]
    has_more = offset + len(page) < bits.bit_count()
    for shown in page:
        del shown["view"]
    return {"list": page, "hasMore": has_more, "nextOffset": offset + len(page)}


@bp.post("/v2/access/users/lists/<list_id>/users/<user_id>")
@requires("lists:write")
def add_user_to_list(caller: Caller, list_id: str, user_id: str) -> Response:
    """Put one fan on a custom list (idempotent); answers the list and the user's state on it."""
    json_body()  # the route takes no body, but one that is sent must still pass the gate
    found = user_lists.find(caller.creator, list_id)
    user_lists.add(caller.creator, found.id, [user_id])
    return reply({"list": _shown(caller, found), "userState": list_state(found, True)})


@bp.delete("/v2/access/users/lists/<list_id>/users/<user_id>")
@requires("lists:write")
def remove_user_from_list(caller: Caller, list_id: str, user_id: str) -> Response:
    """Take one fan off a custom list; answers the first page of the members left."""
    found = user_lists.find(caller.creator, list_id)
    user_lists.remove(caller.creator, found.id, user_id)
    return reply(_members(caller, found.members, 0, 10))


@bp.post("/v2/access/users/<user_id>/lists")
@requires("lists:write")
def add_user_to_lists(caller: Caller, user_id: str) -> Response:
    """Put one fan on up to five lists; each list that refuses goes in ``errors``, the rest still change."""
    list_ids = loaded_body(LIST_IDS)["listIds"]
    done, errors = [], []
    for list_id in list_ids:
        try:
            user_lists.add(caller.creator, list_id, [user_id])
        except (user_lists.UserListNotFound, user_lists.ListNotEditable, user_lists.UserRefused) as error:
            errors.append({"listId": list_id, "error": error.message})
        else:
            done.append({"listId": list_id, "success": True})
    return reply({"success": done, "errors": errors} if errors else {"success": done})

