"""OFAuth's mass-message routes, served at the root: ``/v2/access/mass-messages``."""
from __future__ import annotations

from flask import Blueprint, Response, g

from .. import render
from ..errors import RouteNotFound, ValidationFailed
from ..lifecycle import progress
from ..validation import load, rename
from ..web import json_body, json_response
from .auth import Caller, requires
from .errors import rate_headers
from .schemas import FIELD_NAMES, CreateMassMessage, to_draft

bp = Blueprint("ofauth", __name__)
CREATE = CreateMassMessage()


def reply(payload: object) -> Response:
    """A 200 with the connection's rate-limit headers."""
    return json_response(payload, 200, {**rate_headers(), "X-Request-Id": g.request_id})


@bp.post("/v2/access/mass-messages")
@requires("messages:write")
def create_mass_message(caller: Caller) -> Response:
    """Queue a mass message for the connection's creator and return the receipt."""
    draft = to_draft(load(CREATE, json_body()))
    session = caller.session
    now = session.clock.now()
    try:
        item = session.world.queue.create(caller.creator, draft, now)
    except ValidationFailed as error:
        raise rename(error, FIELD_NAMES) from error
    return reply(render.receipt(item, progress(item, now, session.world.lifecycle)))


@bp.get("/v2/access/mass-messages/scheduled")
def list_scheduled_mass_messages() -> Response:
    """The vendor's list of unsent messages: registered before ``{id}`` so it is not read as an id."""
    raise RouteNotFound("GET /v2/access/mass-messages/scheduled is an OFAuth route this emulator does not serve.")


@bp.get("/v2/access/mass-messages/<mass_message_id>")
@requires("messages:read")
def get_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Return the full message object of one queue item."""
    world = caller.session.world
    item = world.queue.get(caller.creator, mass_message_id)
    state = progress(item, caller.session.clock.now(), world.lifecycle)
    return reply(render.message(item, caller.creator, state))


@bp.delete("/v2/access/mass-messages/<mass_message_id>")
@bp.delete("/v2/access/mass-messages/scheduled/<mass_message_id>")
@requires("messages:write")
def delete_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Cancel a scheduled message, or unsend a sent one inside its unsend window."""
    world = caller.session.world
    item, state = world.queue.delete(caller.creator, mass_message_id, caller.session.clock.now(), world.lifecycle)
    return reply({"success": True, "queue": render.queue_entry(item, caller.creator, state, canceled=True)})
