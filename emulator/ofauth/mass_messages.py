"""OFAuth's mass-message routes: ``/v2/access/mass-messages``, its scheduled list and one message."""
from __future__ import annotations

from typing import Any

from flask import Response

from ..domain import listing
from ..domain.errors import ValidationFailed
from ..domain.lifecycle import progress
from ..domain.paging import by_offset
from ..http.validation import load, rename
from ..http.web import json_body, loaded_body
from ..render.listed import QUEUE_ENTRY, listed_json
from ..render.messages import message, queue_entry, receipt
from .auth import Caller, requires
from .blueprint import bp, reply
from .queries import PageQuery, query
from .schemas import FIELD_NAMES, CreateMassMessage, to_changes, to_draft

CREATE = CreateMassMessage()
PAGE = PageQuery()


def _draft() -> dict[str, Any]:
    return to_draft(loaded_body(CREATE))


def _renamed(error: ValidationFailed) -> ValidationFailed:
    return rename(error, FIELD_NAMES)


@bp.post("/v2/access/mass-messages")
@requires("messages:write")
def create_mass_message(caller: Caller) -> Response:
    """Queue a mass message for the connection's creator and return the receipt."""
    draft, session = _draft(), caller.session
    now = session.clock.now()
    try:
        item = session.world.queue.create(caller.creator, draft, now)
    except ValidationFailed as error:
        raise _renamed(error) from error
    return reply(receipt(item, progress(item, now, session.world.lifecycle)))


def _listed(caller: Caller, found: list[Any]) -> Response:
    """One ``limit``/``offset`` page of queue entries: ``{list, hasMore, nextOffset}``."""
    page = by_offset(found, **query(PAGE))
    world, now = caller.session.world, caller.session.clock.now()
    entries = [listed_json(world.queue.renders, QUEUE_ENTRY, item, caller.creator, now, world.lifecycle)
               for item in page.items]
    return reply({"list": entries, "hasMore": page.has_more, "nextOffset": page.next})


@bp.get("/v2/access/mass-messages/scheduled")
@requires("messages:read")
def list_scheduled_mass_messages(caller: Caller) -> Response:
    """The creator's unsent mass messages, soonest first."""
    return _listed(caller, listing.unsent(caller.session.world.queue, caller.creator, caller.session.clock.now()))


@bp.get("/v2/access/mass-messages")
@requires("messages:read")
def list_mass_messages(caller: Caller) -> Response:
    """The creator's sent (and sending) mass messages with their figures, newest first."""
    return _listed(caller, listing.started(caller.session.world.queue, caller.creator, caller.session.clock.now()))


@bp.get("/v2/access/mass-messages/<mass_message_id>")
@requires("messages:read")
def get_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Return the full message object of one queue item."""
    world = caller.session.world
    item = world.queue.get(caller.creator, mass_message_id)
    return reply(message(item, caller.creator, progress(item, caller.session.clock.now(), world.lifecycle)))


@bp.put("/v2/access/mass-messages/<mass_message_id>")
@requires("messages:write")
def replace_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Change the fields the body names on an unsent mass message (the guide's partial update); answer with
    its receipt."""
    body, session = json_body(), caller.session
    changes = to_changes(load(CREATE, body), set(body))
    world, now = session.world, session.clock.now()
    try:
        item = world.queue.update(caller.creator, mass_message_id, changes, now, world.lifecycle)
    except ValidationFailed as error:
        raise _renamed(error) from error
    return reply(receipt(item, progress(item, now, world.lifecycle)))


@bp.delete("/v2/access/mass-messages/<mass_message_id>")
@bp.delete("/v2/access/mass-messages/scheduled/<mass_message_id>")
@requires("messages:write")
def delete_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Cancel a scheduled message, or unsend a sent one inside its unsend window."""
    world = caller.session.world
    item, state = world.queue.delete(caller.creator, mass_message_id, caller.session.clock.now(), world.lifecycle)
    return reply({"success": True, "queue": queue_entry(item, caller.creator, state, canceled=True)})
