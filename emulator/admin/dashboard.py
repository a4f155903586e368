"""The dashboard: a static page at ``/_emulator/ui/`` and the admin routes it reads the queue through."""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, redirect, send_from_directory

from ..domain import listing
from ..domain.clock import format_instant
from ..domain.errors import MessageNotFound
from ..domain.lifecycle import Progress, progress
from ..domain.models import Creator, QueueItem
from ..domain.queue import as_id
from ..domain.world import World
from ..harness.session import Session
from ..http.context import current_session
from ..http.web import json_response, query_integer
from ..render.messages import crop, message
from ..render.stats import queue_summary
from .routes import require_admin_token

UI = Path(__file__).with_name("ui")
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
# The page loads only its own files and talks only to this origin: no CDN, no inline script, no framing.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# The page itself holds no data, so it is open (it asks for the token); the routes it reads sit behind the token.
bp = Blueprint("dashboard", __name__, url_prefix="/_emulator")
api = Blueprint("queue", __name__)
api.before_request(require_admin_token)


@bp.get("/ui", strict_slashes=True)
def page_redirect() -> Response:
    """Send ``/_emulator/ui`` to ``/_emulator/ui/``, so that the page's relative links resolve."""
    return redirect("ui/")  # type: ignore[return-value]


@bp.get("/ui/", strict_slashes=True)
@bp.get("/ui/<name>")
def page_file(name: str = "index.html") -> Response:
    """Serve one of the page's files from the package (revalidated on each load, so upgrades show at once)."""
    response = send_from_directory(UI, name, mimetype=TYPES.get(Path(name).suffix), max_age=0)
    response.headers.update(PAGE_HEADERS)
    return response


@api.get("/queue")
def list_queue() -> Response:
    """The session at a glance as of its clock: every creator's messages, the clock and the journal's head."""
    limit = query_integer("limit", 1, MAX_LIMIT) or DEFAULT_LIMIT
    session = current_session()
    with session.lock:
        now = session.clock.now()
        creators = [creator_queue(session.world, creator, now, limit) for creator in session.world.creators.values()]
        clock = {"now": format_instant(now), "epoch": round(now, 3), "frozen": session.clock.frozen}
    return json_response({"session": session.name, "clock": clock, "journal": journal_head(session),
                          "creators": creators})


@api.get("/queue/<item_id>")
def show_queue_item(item_id: str) -> Response:
    """One message as both vendors render it: OFAuth's GET and OnlyFansAPI's retrieve."""
    session = current_session()
    with session.lock:
        world = session.world
        item = world.queue.items.get(as_id(item_id))
        creator = world.creators.get(item.creator_id) if item is not None else None
        if item is None or creator is None:
            raise MessageNotFound(f"No mass message {item_id[:40]!r} in this session (never created, canceled, "
                                  "or gone with a reset).")
        state = progress(item, session.clock.now(), world.lifecycle)
        shapes = {"ofauth": message(item, creator, state),
                  "onlyfansapi": {"success": True, "queue": queue_summary(item, creator, state, world.fakes)}}
    return json_response(shapes)


def creator_queue(world: World, creator: Creator, now: float, limit: int) -> dict[str, Any]:
    """A creator and its messages, latest send time first: the ``limit`` soonest waiting, the ``limit`` latest started."""
    waiting = list(islice(listing.unsent(world.queue, creator, now), limit + 1))
    started = list(islice(listing.started(world.queue, creator, now), limit + 1))
    items = waiting[:limit][::-1] + started[:limit]
    people = creator.people
    active = people.active.bit_count() if people else 0
    return {"id": creator.id, "name": creator.name, "username": creator.username,
            "fans": {"active": active, "expired": (people.size if people else 0) - active},
            "lists": [{"id": found.id, "name": found.name, "size": found.size} for found in creator.user_lists.values()],
            "messages": [queue_row(item, progress(item, now, world.lifecycle)) for item in items],
            "more": len(waiting) > limit or len(started) > limit}


def queue_row(item: QueueItem, state: Progress) -> dict[str, Any]:
    """One message as a dashboard row: where it is in its life and its figures."""
    return {"id": item.id, "text": crop(item.text), "status": state.status,
            "date": None if item.saved else format_instant(item.starts_at), "total": item.total,
            "pending": state.pending, "sentCount": state.sent, "viewedCount": state.viewed,
            "purchasedCount": state.purchased, "canUnsend": state.can_unsend, "unsendSeconds": state.unsend_seconds,
            "price": f"{item.price:.2f}", "mediaCount": len(item.media_ids)}


def journal_head(session: Session) -> dict[str, int]:
    """The newest journal sequence number and how many entries the journal holds, so pollers fetch only news."""
    entries = session.journal.select()
    return {"latest": entries[-1].seq if entries else 0, "count": len(entries)}


bp.register_blueprint(api)
