"""OnlyFansAPI's mass-messaging routes, served under ``/api/{account}/mass-messaging``."""
from __future__ import annotations

from flask import Blueprint, Response, g

from ..errors import ValidationFailed
from ..lifecycle import progress
from ..render import receipt
from ..validation import load, rename
from ..web import json_body, json_response
from .auth import Caller, requires_account
from .errors import rate_headers
from .schemas import FIELD_NAMES, UpdateMassMessage, screen_banned_words, to_changes

bp = Blueprint("onlyfansapi", __name__, url_prefix="/api")
UPDATE = UpdateMassMessage()


def reply(caller: Caller, data: object) -> Response:
    """Charge one credit and wrap ``data`` in the ``_meta`` envelope."""
    key, now = caller.key, caller.session.clock.now()
    key.credits -= 1
    meta = {
        "_credits": {"used": 1, "balance": key.credits, "note": "Always"},
        "_cache": {"is_cached": False, "note": "Cache disabled for this endpoint"},
        "_rate_limits": g.key_windows.report(now),
    }
    return json_response({"data": data, "_meta": meta}, 200, rate_headers())


@bp.put("/<account>/mass-messaging/<mass_message_id>")
@requires_account
def update_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Change a scheduled mass message's content, recipients, price or send time."""
    data = load(UPDATE, json_body())
    session, world = caller.session, caller.session.world
    screen_banned_words(data["text"], data.get("blockBannedWords"), world.banned_words)
    now = session.clock.now()
    try:
        item = world.queue.update(caller.creator, mass_message_id, to_changes(data), now, world.lifecycle)
    except ValidationFailed as error:
        raise rename(error, FIELD_NAMES) from error
    return reply(caller, receipt(item, progress(item, now, world.lifecycle)))
