"""OnlyFansAPI's mass-messaging routes: send, list, retrieve, update, delete and the overview."""
from __future__ import annotations

from typing import Any

from flask import Response

from ..domain import listing
from ..domain.clock import format_instant
from ..domain.errors import ValidationFailed
from ..domain.lifecycle import progress
from ..domain.models import QueueItem
from ..domain.paging import Page, by_date, split_cursor
from ..http.validation import rename
from ..http.web import loaded_body
from ..render.listed import OVERVIEW_ITEM, Shape, listed_json
from ..render.messages import receipt
from ..render.stats import queue_summary
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .queries import MessageSearch, query
from .schemas import (
    FIELD_NAMES,
    SendMassMessage,
    UpdateMassMessage,
    screen_banned_words,
    to_changes,
    to_draft,
)

SEND, UPDATE, SEARCH = SendMassMessage(), UpdateMassMessage(), MessageSearch()


def second(item: QueueItem) -> int:
    """The whole second a message began sending: what a date cursor compares."""
    return int(item.starts_at)


@bp.post("/<account>/mass-messaging")
@requires_account
def send_mass_message(caller: Caller) -> Response:
    """Send a mass message now, at ``scheduledDate``, or save it for later; answer with its receipt."""
    data, world = loaded_body(SEND), caller.session.world
    screen_banned_words(data["text"], data.get("blockBannedWords"), world.banned_words)
    now = caller.session.clock.now()
    try:
        item = world.queue.create(caller.creator, to_draft(data), now)
    except ValidationFailed as error:
        raise rename(error, FIELD_NAMES) from error
    return reply(caller, receipt(item, progress(item, now, world.lifecycle)))


@bp.get("/<account>/mass-messaging")
@requires_account
def list_mass_messages(caller: Caller) -> Response:
    """The live queue as receipts: unsent, sending, and sent but still unsendable; newest first."""
    world, now = caller.session.world, caller.session.clock.now()
    live = listing.current(world.queue, caller.creator, now, world.lifecycle)
    return reply(caller, [receipt(item, state) for item, state in live])


def search(caller: Caller, shape: Shape) -> tuple[dict[str, Any], Page[Any], list[Any]]:
    """One page of sent messages matching the query string, newest first, each in ``shape`` (as JSON, kept while
    the message stays as it is)."""
    asked, world, now = query(SEARCH), caller.session.world, caller.session.clock.now()
    found = listing.started(world.queue, caller.creator, now, asked["startDate"], asked["endDate"], asked["query"])
    page = by_date(found, asked["limit"], second, world.queue.timeline.rank_in_second)
    return asked, page, [listed_json(world.queue.renders, shape, item, caller.creator, now, world.lifecycle)
                         for item in page.items]


@bp.get("/<account>/mass-messaging/overview")
@requires_account
def retrieve_mass_messages_overview(caller: Caller) -> Response:
    """Sent mass messages with their send and view counts; page by moving ``endDate`` back."""
    _, page, items = search(caller, OVERVIEW_ITEM)
    return reply(caller, {"hasMore": page.has_more, "items": items})


@bp.get("/<account>/mass-messaging/<mass_message_id>")
@requires_account
def retrieve_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """One queue item as ``{success, queue}``, the vendor's shape for both retrieve and delete."""
    world = caller.session.world
    item = world.queue.get(caller.creator, mass_message_id)
    state = progress(item, caller.session.clock.now(), world.lifecycle)
    return reply(caller, {"success": True, "queue": queue_summary(item, caller.creator, state, world.fakes)})


@bp.put("/<account>/mass-messaging/<mass_message_id>")
@requires_account
def update_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Change a scheduled mass message's content, recipients, price or send time."""
    data, world = loaded_body(UPDATE), caller.session.world
    screen_banned_words(data["text"], data.get("blockBannedWords"), world.banned_words)
    now = caller.session.clock.now()
    try:
        item = world.queue.update(caller.creator, mass_message_id, to_changes(data), now, world.lifecycle)
    except ValidationFailed as error:
        raise rename(error, FIELD_NAMES) from error
    return reply(caller, receipt(item, progress(item, now, world.lifecycle)))


@bp.delete("/<account>/mass-messaging/<mass_message_id>")
@requires_account
def delete_mass_message(caller: Caller, mass_message_id: str) -> Response:
    """Cancel an unsent message, or unsend a sent one inside its unsend window."""
    world = caller.session.world
    item, state = world.queue.delete(caller.creator, mass_message_id, caller.session.clock.now(), world.lifecycle)
    summary = queue_summary(item, caller.creator, state, world.fakes, canceled=True)
    return reply(caller, {"success": True, "queue": summary})


def cursor(moment: float) -> str:
    """A date cursor as the vendor writes it in ``next_page``: ``Y-m-d H:i:s``, UTC, and ``.uuuuuu`` when it
    carries a tie-breaker (``paging.by_date``)."""
    whole, earliest = split_cursor(moment)
    text = format_instant(whole)[:19].replace("T", " ")
    return f"{text}.{earliest:06d}" if earliest else text
