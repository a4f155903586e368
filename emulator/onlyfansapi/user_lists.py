"""OnlyFansAPI's user-list routes: ``/api/{account}/user-lists``, one list, and the users on it."""
from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import ValidationError, validates

from ..domain import fans, user_lists
from ..http.validation import BodySchema
from ..http.web import json_body, loaded_body
from ..render.fans import list_state, onlyfans_fan_json, user_list
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .fields import Array, Boolean, Identifier, String
from .queries import Bounded, Query, query

UNSENDABLE = ("muted",)  # system lists ``view=queue`` leaves out: nobody mass-messages the muted


class ListsQuery(Query):
    """Route 3: ``limit`` 10-50, ``offset``, ``view=queue``."""

    limit = Bounded(10, 50, load_default=50, allow_none=True)
    offset = Bounded(0, load_default=0, allow_none=True)
    view = String(load_default=None)

    @validates("view")
    def queue_only(self, value: str | None, **kwargs: Any) -> None:
        """The only view is ``queue``."""
        if value is not None and value != "queue":
            raise ValidationError("The selected view is invalid.")


class MembersQuery(Query):
    """Route 8: ``limit`` 1-100 (default 10) and ``offset``, typed strings by the SDK."""

    limit = Bounded(1, 100, load_default=10)
    offset = Bounded(0, load_default=0)


class ListBody(BodySchema):
    """Routes 5 and 6: ``name`` (required, at most 64 characters) and, on update, ``isPinnedToFeed``."""

    name = String(required=True)
    isPinnedToFeed = Boolean(allow_none=True, load_default=None)

    @validates("name")
    def short(self, value: str, **kwargs: Any) -> None:
        """Laravel's ``max:64``."""
        if len(value) > 64:
            raise ValidationError("The :attribute field must not be greater than 64 characters.")


class AddUsers(BodySchema):
    """Route 9: ``ids`` (required, user ids as strings or numbers) and ``skip_invalid``."""

    ids = Array(Identifier(), required=True)
    skip_invalid = Boolean(load_default=False)

    @validates("ids")
    def some(self, value: list[Any], **kwargs: Any) -> None:
        """At least one id, and no more than a request can sensibly carry."""
        if not value:
            raise ValidationError("The :attribute field is required.")
        if len(value) > 1000:
            raise ValidationError("The :attribute field must not have more than 1000 items.")


LISTS, MEMBERS, BODY, ADD = ListsQuery(), MembersQuery(), ListBody(), AddUsers()


def _shown(caller: Caller, found: Any) -> dict[str, Any]:
    return user_list(caller.creator, found, caller.session.world.fakes)


@bp.get("/<account>/user-lists")
@requires_account
def list_user_lists(caller: Caller) -> Response:
    """The account's lists as a bare array, system lists first; ``view=queue`` keeps those a message can use."""
    asked = query(LISTS)
    found = user_lists.search(caller.creator, None)
    if asked["view"] == "queue":
        found = [entry for entry in found if entry.type not in UNSENDABLE]
    offset, limit = asked["offset"] or 0, asked["limit"] or 50
    # The SDK types this route's ids as strings (system lists are named), the single-list routes' as integers.
    return reply(caller, [{**_shown(caller, entry), "id": str(entry.id)} for entry in found[offset:offset + limit]])


@bp.post("/<account>/user-lists")
@requires_account
def create_user_list(caller: Caller) -> Response:
    """Create an empty custom list."""
    data = loaded_body(BODY)
    return reply(caller, _shown(caller, user_lists.create(caller.creator, data["name"])))


@bp.get("/<account>/user-lists/<user_list_id>")
@requires_account
def get_user_list(caller: Caller, user_list_id: str) -> Response:
    """One list, by number or system name, with a preview of its newest members."""
    return reply(caller, _shown(caller, user_lists.find(caller.creator, user_list_id)))


@bp.put("/<account>/user-lists/<user_list_id>")
@requires_account
def update_user_list(caller: Caller, user_list_id: str) -> Response:
    """Rename a custom list and pin or unpin it (a system list answers 400)."""
    data = loaded_body(BODY)
    changed = user_lists.rename(caller.creator, user_list_id, data["name"], data["isPinnedToFeed"])
    return reply(caller, _shown(caller, changed))


@bp.delete("/<account>/user-lists/<user_list_id>")
@requires_account
def delete_user_list(caller: Caller, user_list_id: str) -> Response:
    """Delete a custom list: ``{"success": true}``."""
    user_lists.delete(caller.creator, user_list_id)
    return reply(caller, {"success": True})


@bp.get("/<account>/user-lists/<user_list_id>/users")
@requires_account
def list_user_list_users(caller: Caller, user_list_id: str) -> Response:
    """The list's members as full fans, newest first: ``{list, hasMore, nextOffset}``."""
    asked, found = query(MEMBERS), user_lists.find(caller.creator, user_list_id)
    return _members(caller, found.members, asked["offset"], asked["limit"])


def _members(caller: Caller, bits: int, offset: int, limit: int) -> Response:
    world, now = caller.session.world, caller.session.clock.now()
    page, has_more = fans.page(caller.creator, bits, offset, limit, now, world.fakes)
    return reply(caller, {"list": [onlyfans_fan_json(caller.creator, fan, world.fakes) for fan in page],
                          "hasMore": has_more, "nextOffset": offset + len(page)})


@bp.get("/<account>/user-lists/<user_list_id>/users/pinned")
@requires_account
def list_pinned_user_list_users(caller: Caller, user_list_id: str) -> Response:
    """The list's pinned members as full fans, newest first: the members route's shape and paging."""
    asked, found = query(MEMBERS), user_lists.find(caller.creator, user_list_id)
    return _members(caller, found.pinned, asked["offset"], asked["limit"])


@bp.post("/<account>/user-lists/<user_list_id>/users/<user_id>/pin")
@requires_account
def pin_user_in_user_list(caller: Caller, user_list_id: str, user_id: str) -> Response:
    """Pin a member in any list (400 for someone not on it): ``{"success": true}``."""
    json_body()  # the route takes no body, but one that is sent must still pass the gate
    user_lists.pin(caller.creator, user_list_id, user_id)
    return reply(caller, {"success": True})


@bp.post("/<account>/user-lists/<user_list_id>/users")
@requires_account
def add_users_to_user_list(caller: Caller, user_list_id: str) -> Response:
    """Add fans; a non-fan fails the batch (400) unless ``skip_invalid``, which reports it and costs a retry."""
    data = loaded_body(ADD)
    found = user_lists.find(caller.creator, user_list_id)
    change = user_lists.add(caller.creator, found.id, data["ids"], data["skip_invalid"])
    if data["skip_invalid"]:
        return reply(caller, {"added": change.changed, "failed": change.refused}, used=2 if change.refused else 1)
    return reply(caller, {str(found.id): change.changed})


@bp.delete("/<account>/user-lists/<user_list_id>/users/<user_id>")
@requires_account
def remove_user_from_user_list(caller: Caller, user_list_id: str, user_id: str) -> Response:
    """Take one fan off a custom list (idempotent); answers the list and the user's state on it."""
    found = user_lists.find(caller.creator, user_list_id)
    user_lists.remove(caller.creator, found.id, user_id)
    return reply(caller, {"list": _shown(caller, found), "userState": list_state(found, False)})


@bp.delete("/<account>/user-lists/<user_list_id>/users")
@requires_account
def clear_user_list(caller: Caller, user_list_id: str) -> Response:
    """Take everyone off a custom list; answers the emptied list."""
    return reply(caller, _shown(caller, user_lists.clear(caller.creator, user_list_id)))
