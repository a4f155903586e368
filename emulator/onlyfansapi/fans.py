"""OnlyFansAPI's fan routes: ``/api/{account}/fans/active``, ``/all``, ``/expired`` and ``/latest``."""
from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import ValidationError, validates_schema

from ..domain import fans
from ..domain.errors import InvalidQuery
from ..render.fans import onlyfans_fan
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


FANS, LATEST = FansQuery(), LatestQuery()


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
    return reply(caller, {"list": [onlyfans_fan(caller.creator, fan, world.fakes) for fan in found],
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
    return reply(caller, {"users": [onlyfans_fan(caller.creator, fan, world.fakes) for fan in found],
                          "hasMore": has_more, "offset": asked["offset"] + len(found)},
                 following if has_more else None)
