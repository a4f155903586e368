"""OFAuth's subscribers: ``GET /v2/access/subscribers`` (fans by type, date, name and filters) and the creator's
note, custom name and discount for one of them."""
from __future__ import annotations

import json
from typing import Any

from flask import Response
from marshmallow import ValidationError, validate, validates_schema

from ..domain import fans
from ..http.web import loaded_body, this_request
from ..render.fans import subscriber
from .auth import Caller, requires
from .blueprint import bp, reply
from .fields import Instant, Number, QueryInteger, Text
from .queries import Query, query
from .schemas import Body

PAGE_CAP = 20  # "currently return up to 20 results per page" (the live fans guide)
FILTERS = ("promoId", "trial_id", "duration", "tips", "total_spent", "online")


class SubscribersQuery(Query):
    """B1's query: ``type``, ``limit`` 1-100 (default 10, at most 20 returned), ``offset``, ``query``, dates."""

    type = Text(load_default="all", validate=validate.OneOf(
        ("all", "active", "expired", "latest"), error="Invalid enum value. Expected 'all' | 'active' | 'expired' | "
                                                      "'latest'"))
    limit = QueryInteger(1, 100, load_default=10)
    offset = QueryInteger(0, load_default=0)
    query = Text(max_length=1000, load_default=None)
    startDate = Instant(load_default=None)
    endDate = Instant(load_default=None)
    latestType = Text(load_default="total", validate=validate.OneOf(
        ("total", "new", "renewals"), error="Invalid enum value. Expected 'total' | 'new' | 'renewals'"))

    @validates_schema
    def ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The date range runs forwards."""
        if data.get("startDate") and data.get("endDate") and data["endDate"] < data["startDate"]:
            raise ValidationError("endDate must not be before startDate", "endDate")


class Notice(Body):
    """``PUT .../note``: ``notice``, at most 1000 characters (the SDK's model)."""

    notice = Text(max_length=1000, required=True)


class CustomName(Body):
    """``PUT .../custom-name``: ``displayName``, 1-100 characters."""

    displayName = Text(max_length=100, min_length=1, required=True)


class DiscountBody(Body):
    """``PUT .../discount``: ``discount`` 5-60 (percent) for ``period`` 1-12 (months), both whole numbers."""

    discount = Number(5, 60, integer=True, required=True)
    period = Number(1, 12, integer=True, required=True)


SUBSCRIBERS, NOTICE, CUSTOM_NAME, DISCOUNT = SubscribersQuery(), Notice(), CustomName(), DiscountBody()


@bp.put("/v2/access/subscribers/<user_id>/note")
@requires("subscribers:write")
def set_subscriber_note(caller: Caller, user_id: str) -> Response:
    """Keep the creator's note on a fan; OnlyFansAPI shows it as the fan's ``notice``. Answers ``{}``."""
    fans.set_notice(caller.creator, user_id, loaded_body(NOTICE)["notice"])
    return reply({})


@bp.put("/v2/access/subscribers/<user_id>/custom-name")
@requires("subscribers:write")
def set_subscriber_custom_name(caller: Caller, user_id: str) -> Response:
    """Give a fan the creator's own name for them (their ``displayName`` everywhere). Answers ``{}``."""
    fans.set_display_name(caller.creator, user_id, loaded_body(CUSTOM_NAME)["displayName"])
    return reply({})


@bp.put("/v2/access/subscribers/<user_id>/discount")
@requires("subscribers:write")
def set_subscriber_discount(caller: Caller, user_id: str) -> Response:
    """Give a fan a percentage off for some months, from now. Answers ``{}``."""
    data = loaded_body(DISCOUNT)
    fans.set_discount(caller.creator, user_id, data["discount"], data["period"], caller.session.clock.now())
    return reply({})


@bp.get("/v2/access/subscribers")
@requires("subscribers:read")
def list_subscribers(caller: Caller) -> Response:
    """The creator's fans, newest first: ``{list, hasMore}``, at most 20 a page whatever ``limit`` says."""
    asked, session = query(SUBSCRIBERS), caller.session
    people, now = caller.creator.people, session.clock.now()
    assert people is not None
    bits = fans.of_kind(people, asked["type"])
    renewals = asked["type"] == "latest" and asked["latestType"] == "renewals"
    if asked["type"] == "latest" and not renewals:
        bits &= fans.joined_between(people, asked["startDate"], asked["endDate"])
    criteria = _criteria(asked, renewals)
    found, has_more = fans.page(caller.creator, bits, asked["offset"], min(asked["limit"], PAGE_CAP), now,
                                session.world.fakes, criteria)
    return reply({"list": [subscriber(caller.creator, fan, session.world.fakes) for fan in found],
                  "hasMore": has_more})


def _criteria(asked: dict[str, Any], renewals: bool) -> fans.Criteria:
    given = _filters()
    return fans.Criteria(
        text=asked["query"] or None, min_spent=_number(given.get("total_spent")), min_tips=_number(given.get("tips")),
        min_months=_whole(given.get("duration")), online=_online(given.get("online")),
        renewed_from=(asked["startDate"] or 0.0) if renewals else None,
        renewed_until=asked["endDate"] if renewals else None)


def _filters() -> dict[str, str]:
    """``filter[online]=1``, top-level ``online=1``, or ``filter`` as JSON (or the Python SDK's dict repr).

    A ``filter`` that cannot be read is ignored rather than refused, as the contract advises: both SDKs send
    it in forms no server can parse.
    """
    args = this_request().args
    given = {name: args[name] for name in FILTERS if name in args}
    given.update({name: args[f"filter[{name}]"] for name in FILTERS if f"filter[{name}]" in args})
    raw = args.get("filter")
    if raw:
        try:
            parsed = json.loads(raw.replace("'", '"'))
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            given.update({name: str(parsed[name]) for name in FILTERS if name in parsed})
    return given


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number < 1e12 else None


def _whole(value: str | None) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _online(value: str | None) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get(value or "")
