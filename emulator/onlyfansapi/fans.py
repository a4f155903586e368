"""OnlyFansAPI's fan routes: ``/api/{account}/fans/active``, ``/all``, ``/expired`` and ``/latest``."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import ValidationError, validates, validates_schema

from ..domain import fans
from ..domain.clock import format_instant
from ..domain.errors import InvalidQuery
from ..domain.people import PERIOD
from ..http.validation import BodySchema
from ..http.web import loaded_body
from ..render.fans import onlyfans_fan, onlyfans_fan_json
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .fields import Date, String
from .queries import Bounded, Flag, Query, query

KINDS = ("active", "expired", "all")


class Kind(String):
    """``type`` of the fan lists: ``active``, ``expired`` or ``all``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value not in KINDS:
            raise ValidationError("The selected :attribute is invalid.")
        return value


class FansQuery(Query):
    """Routes 12-13: ``limit`` 1-20 ("OnlyFans does not allow more than 20 per page"), search and filters."""

    limit = Bounded(1, 20, load_default=10)
    offset = Bounded(0, load_default=0)
    query = String(load_default=None)
    type = Kind(load_default=None)
    total_spent = Bounded(0, data_key="filter[total_spent]", load_default=None)
    max_total_spent = Bounded(0, data_key="filter[max_total_spent]", load_default=None)
    online = Flag(data_key="filter[online]", load_default=None)
    tips = Bounded(0, data_key="filter[tips]", load_default=None)
    duration = Bounded(0, data_key="filter[duration]", load_default=None)

    @validates_schema
    def combinable(self, data: dict[str, Any], **kwargs: Any) -> None:
        """``filter[max_total_spent]`` is resolved from the vendor's own index and cannot go with ``online``."""
        if data.get("max_total_spent") is not None and data.get("online") is not None:
            raise ValidationError("The filter[max total spent] field cannot be combined with filter[online].",
                                  "filter[max_total_spent]")


class LatestQuery(Query):
    """Route 14: a date window (both ends or neither), ``type`` total/renew/new, ``limit`` 1-50."""

    start_date = Date(load_default=None)
    end_date = Date(load_default=None)
    type = String(load_default="total")
    limit = Bounded(1, 50, load_default=10)
    offset = Bounded(0, load_default=0)

    @validates_schema
    def window(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Laravel's ``required_with`` on the two dates, and the ``type`` enum."""
        if (data.get("start_date") is None) != (data.get("end_date") is None):
            missing = "start_date" if data.get("start_date") is None else "end_date"
            raise ValidationError(f"The {missing.replace('_', ' ')} field is required when "
                                  f"{'end date' if missing == 'start_date' else 'start date'} is present.", missing)
        if data.get("type") not in ("total", "renew", "new"):
            raise ValidationError("The selected type is invalid.", "type")


class CustomName(BodySchema):
    """``PUT .../fans/{fan_id}/custom-name``: ``custom_name``, at most 100 characters; empty or null clears it."""

    custom_name = String(required=True, allow_none=True)

    @validates("custom_name")
    def short(self, value: str | None, **kwargs: Any) -> None:
        """The emulator's limit (the vendor states none): OFAuth's 100 characters for the same name."""
        if value is not None and len(value) > 100:
            raise ValidationError("The :attribute field must not be greater than 100 characters.")


FANS, LATEST, CUSTOM_NAME = FansQuery(), LatestQuery(), CustomName()
HISTORY_ROWS = 120  # ten years of monthly periods: the most one answer lists


def _listed(caller: Caller, base: str) -> Response:
    dotted = [name for name in request.args if name.startswith("filter.")]
    if dotted:
        raise InvalidQuery({name: ["Use filter[...] brackets: the dot form cannot be applied."] for name in dotted})
    asked, world = query(FANS), caller.session.world
    people, now = caller.creator.people, caller.session.clock.now()
    assert people is not None
    bits = fans.of_kind(people, base) & fans.of_kind(people, asked["type"] or "all")
    criteria = fans.Criteria(text=asked["query"] or None, min_spent=asked["total_spent"],
                             max_spent=asked["max_total_spent"], min_tips=asked["tips"],
                             min_months=asked["duration"], online=asked["online"])
    found, has_more = fans.page(caller.creator, bits, asked["offset"], asked["limit"], now, world.fakes, criteria)
    following = {**request.args.to_dict(), "limit": asked["limit"], "offset": asked["offset"] + asked["limit"]}
    return reply(caller, {"list": [onlyfans_fan_json(caller.creator, fan, world.fakes) for fan in found],
                          "hasMore": has_more}, following if has_more else None)


@bp.get("/<account>/fans/active")
@requires_account
def list_active_fans(caller: Caller) -> Response:
    """Fans with an active subscription, newest first; paged by ``_pagination.next_page``."""
    return _listed(caller, "active")


@bp.get("/<account>/fans/all")
@requires_account
def list_all_fans(caller: Caller) -> Response:
    """Every fan, active or expired, newest first."""
    return _listed(caller, "all")


@bp.get("/<account>/fans/expired")
@requires_account
def list_expired_fans(caller: Caller) -> Response:
    """Fans whose subscription has ended, newest first."""
    return _listed(caller, "expired")


@bp.get("/<account>/fans/latest")
@requires_account
def list_latest_fans(caller: Caller) -> Response:
    """Fans who subscribed (``new``), renewed (``renew``) or either (``total``) in a window: ``{users, hasMore}``."""
    asked, world = query(LATEST), caller.session.world
    people, now = caller.creator.people, caller.session.clock.now()
    assert people is not None
    start, end = asked["start_date"], asked["end_date"]
    if asked["type"] == "renew":
        bits, criteria = people.active, fans.Criteria(renewed_from=start or 0.0, renewed_until=end)
    else:
        bits, criteria = fans.joined_between(people, start, end), fans.Criteria()
    found, has_more = fans.page(caller.creator, bits, asked["offset"], asked["limit"], now, world.fakes, criteria)
    following = {**request.args.to_dict(), "limit": asked["limit"], "offset": asked["offset"] + asked["limit"]}
    return reply(caller, {"users": [onlyfans_fan_json(caller.creator, fan, world.fakes) for fan in found],
                          "hasMore": has_more, "offset": asked["offset"] + len(found)},
                 following if has_more else None)


@bp.put("/<account>/fans/<fan_id>/custom-name")
@requires_account
def set_fan_custom_name(caller: Caller, fan_id: str) -> Response:
    """Set (or clear) the creator's name for a fan, the ``displayName`` both vendors show; answers the fan."""
    name = loaded_body(CUSTOM_NAME)["custom_name"]
    index = fans.set_display_name(caller.creator, fan_id, name)
    people, world = caller.creator.people, caller.session.world
    assert people is not None
    return reply(caller, onlyfans_fan(caller.creator, people.fan(index, caller.session.clock.now()), world.fakes))


@bp.get("/<account>/fans/<user_id>/subscriptions-history")
@requires_account
def get_fan_subscription_history(caller: Caller, user_id: str) -> Response:
    """A fan's subscription periods, newest first: ``{list: [{subscribeDate, expireDate, price}], hasMore}``."""
    people, index = caller.creator.people, fans.index_of(caller.creator, user_id)
    assert people is not None
    fan = people.fan(index, caller.session.clock.now())
    rows = [{"subscribeDate": format_instant(fan.subscribed_at + period * PERIOD),
             "expireDate": format_instant(min(fan.subscribed_at + (period + 1) * PERIOD, fan.expires_at)),
             "price": fan.price} for period in range(fan.periods - 1, -1, -1)]
    return reply(caller, {"list": rows[:HISTORY_ROWS], "hasMore": len(rows) > HISTORY_ROWS})
