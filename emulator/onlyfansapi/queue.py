"""OnlyFansAPI's queue and saved-for-later routes: list, count and publish what has not gone out yet."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, time, tzinfo
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, request
from marshmallow import ValidationError, validates_schema

from ..domain import listing
from ..domain.errors import ValidationFailed
from ..domain.lifecycle import progress
from ..domain.models import QueueItem
from ..domain.paging import by_offset
from ..http.web import json_body
from ..render.queue import queue_entry_item
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .fields import String
from .queries import Bounded, Query, query

DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
ZONE = re.compile(r"[A-Za-z]+(?:/[A-Za-z0-9_+-]+){0,2}|UTC")
TYPES = ("chat", "post")


class Day(String):
    """A Laravel ``date``: ``Y-m-d`` or ``Y-m-d H:i:s``; the day is what the queue compares."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        match = DAY.fullmatch(super()._deserialize(value, attr, data, **kwargs).strip())
        try:
            datetime.strptime(match.group(1) if match else "", "%Y-%m-%d")
        except ValueError as error:
            raise ValidationError("The :attribute field must be a valid date.") from error
        return match.group(1)  # type: ignore[union-attr]


class Zone(String):
    """A time zone name such as ``Europe/Prague``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tzinfo:
        name = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not ZONE.fullmatch(name):
                raise ZoneInfoNotFoundError(name)
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError("The :attribute field must be a valid timezone.") from error


class Window(Query):
    """``publishDateStart``/``publishDateEnd``/``timezone``, all required; the end is not before the start."""

    publishDateStart = Day(required=True)
    publishDateEnd = Day(required=True)
    timezone = Zone(required=True)

    @validates_schema
    def ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Laravel's ``after_or_equal:publishDateStart``."""
        if data["publishDateEnd"] < data["publishDateStart"]:
            raise ValidationError("The :attribute field must be a date after or equal to publish date start.",
                                  "publishDateEnd")


class QueueQuery(Window):
    limit = Bounded(1, 100, load_default=20)


class SavedQuery(Query):
    limit = Bounded(1, 100, load_default=10)
    offset = Bounded(0, load_default=0)


WINDOW, QUEUE, SAVED = Window(), QueueQuery(), SavedQuery()


def _bounds(asked: dict[str, Any], now: float) -> tuple[float, float]:
    """The window as epoch seconds: from the start day's midnight to the end day's last second, in its zone.
    The start may not be before today there."""
    zone = asked["timezone"]
    first = datetime.strptime(asked["publishDateStart"], "%Y-%m-%d").date()
    if first < datetime.fromtimestamp(now, zone).date():
        raise ValidationFailed({"publishDateStart": ["The :attribute field must be a date after or equal to today."]})
    last = datetime.strptime(asked["publishDateEnd"], "%Y-%m-%d").date()
    return (datetime.combine(first, time.min, zone).timestamp(),
            datetime.combine(last, time.max, zone).timestamp())


def _types() -> set[str]:
    """The ``type`` filter: comma-joined as the SDK sends it, or ``type[]`` repeated; both kinds by default."""
    asked = request.args.getlist("type[]") or [part for value in request.args.getlist("type")
                                                 for part in value.split(",") if part]
    if any(kind not in TYPES for kind in asked):
        raise ValidationFailed({"type": ["The selected :attribute is invalid."]})
    return set(asked or TYPES)


def _scheduled(caller: Caller, asked: dict[str, Any]) -> Iterator[QueueItem]:
    """The creator's scheduled messages whose date falls in the window, soonest first."""
    now = caller.session.clock.now()
    start, end = _bounds(asked, now)
    return listing.scheduled_between(caller.session.world.queue, caller.creator, now, start, end)


@bp.get("/<account>/queue")
@requires_account
def list_queue(caller: Caller) -> Response:
    """Scheduled mass messages (``chat``) in a date window; the emulator has no posts."""
    asked, world, now = query(QUEUE), caller.session.world, caller.session.clock.now()
    kinds = _types()
    found = list(islice(_scheduled(caller, asked), asked["limit"])) if "chat" in kinds else []
    listed = [queue_entry_item(item, caller.creator, progress(item, now, world.lifecycle), world.fakes,
                               asked["timezone"]) for item in found]
    return reply(caller, {"list": listed, "syncInProcess": False})


@bp.get("/<account>/queue/counts")
@requires_account
def count_queue(caller: Caller) -> Response:
    """How many messages are scheduled on each day of the window, in its time zone."""
    asked = query(WINDOW)
    zone = asked["timezone"]
    days = Counter(datetime.fromtimestamp(int(item.scheduled_at), zone).date().isoformat()  # type: ignore[arg-type]
                   for item in _scheduled(caller, asked))
    return reply(caller, {"list": {day: {"chat": count} for day, count in sorted(days.items())},
                          "syncInProcess": False})


@bp.put("/<account>/queue/<queue_id>/publish")
@requires_account
def publish_queue_item(caller: Caller, queue_id: str) -> Response:
    """Send a scheduled or saved-for-later message now; one already sent is refused. The body is empty (the SDK
    sends none), but whatever comes goes through the JSON gate."""
    json_body()
    world = caller.session.world
    world.queue.publish(caller.creator, queue_id, caller.session.clock.now(), world.lifecycle)
    return reply(caller, {"success": True})


@bp.get("/<account>/saved-for-later/messages")
@requires_account
def list_saved_for_later_messages(caller: Caller) -> Response:
    """Messages saved for later, oldest first, by ``limit``/``offset``."""
    asked, world, now = query(SAVED), caller.session.world, caller.session.clock.now()
    page = by_offset(listing.saved(world.queue, caller.creator), asked["offset"], asked["limit"])
    zone = ZoneInfo("UTC")
    listed = [queue_entry_item(item, caller.creator, progress(item, now, world.lifecycle), world.fakes, zone,
                               saved=True) for item in page.items]
    return reply(caller, {"list": listed, "hasMore": page.has_more, "syncInProcess": False})
