"""OFAuth's mass-message analytics: the chart, the sent and purchased lists, and one message's buyers."""
from __future__ import annotations

from flask import Response

from ..domain import listing
from ..domain.analytics import Series
from ..domain.buyers import buyer_ids
from ..domain.lifecycle import progress
from ..domain.paging import by_offset
from ..render.charts import series_json
from ..render.listed import SENT_MESSAGE, listed_json, rendered_json
from ..render.people import buyer
from .auth import Caller, requires
from .blueprint import bp, reply
from .queries import BuyersQuery, ChartQuery, PageQuery, SentQuery, query

CHART, SENT, PAGE, BUYERS = ChartQuery(), SentQuery(), PageQuery(), BuyersQuery()


@bp.get("/v2/access/analytics/mass-messages/chart")
@requires("analytics:read")
def mass_messages_chart(caller: Caller) -> Response:
    """Mass messages sent per day and their purchase revenue per day, under both vendors' key names."""
    asked, world = query(CHART), caller.session.world
    chart = listing.chart(world.queue, caller.creator, asked["startDate"], asked["endDate"],
                          caller.session.clock.now(), world.lifecycle)
    sent = series_json(chart.messages, asked["withTotal"])
    bought = series_json(chart.purchases, asked["withTotal"], gross=True)
    direct = series_json(Series([(day, 0) for day, _ in chart.messages.chart], 0, 0.0), asked["withTotal"])
    return reply({"group_messages": sent, "group_messages_purchases": bought, "direct_messages": direct,
                  "direct_messages_purchases": direct, "messages": sent, "purchases": bought})


@bp.get("/v2/access/analytics/mass-messages/sent")
@requires("analytics:read")
def list_sent_mass_messages(caller: Caller) -> Response:
    """Sent mass messages with their figures, newest first, inside an optional date range."""
    asked, session = query(SENT), caller.session
    world, now = session.world, session.clock.now()
    found = listing.started(world.queue, caller.creator, now, asked["startDate"], asked["endDate"])
    page = by_offset(found, 0, asked["limit"])
    items = [listed_json(world.queue.renders, SENT_MESSAGE, item, caller.creator, now, world.lifecycle,
                         world.fakes) for item in page.items]
    return reply({"hasMore": page.has_more, "items": items, "list": items})


@bp.get("/v2/access/analytics/mass-messages/purchased")
@requires("analytics:read")
def list_purchased_mass_messages(caller: Caller) -> Response:
    """Sent mass messages that fans have bought, newest first, by ``limit``/``offset``."""
    session = caller.session
    world, now = session.world, session.clock.now()
    page = by_offset(listing.purchased(world.queue, caller.creator, now, world.lifecycle), **query(PAGE))
    items = [rendered_json(world.queue.renders, SENT_MESSAGE, item, caller.creator, state, world.fakes)
             for item, state in page.items]
    return reply({"hasMore": page.has_more, "items": items, "list": items})


@bp.get("/v2/access/analytics/mass-messages/<mass_message_id>/buyers")
@requires("analytics:read")
def list_mass_message_buyers(caller: Caller, mass_message_id: str) -> Response:
    """The fans who bought a message, in purchase order; paged by ``marker`` (or ``offset``)."""
    asked, session = query(BUYERS), caller.session
    world, now = session.world, session.clock.now()
    item = world.queue.get(caller.creator, mass_message_id)
    bought = progress(item, now, world.lifecycle).purchased
    start = asked["offset"] if asked["marker"] is None else asked["marker"]
    count = max(0, min(asked["limit"], bought - start))
    has_more = start + count < bought
    buyers = [{**buyer(world.fakes, user_id), "amount": item.price}
              for user_id in buyer_ids(world.seed, caller.creator.people, item, start, count)]
    marker = start + count
    return reply({"list": buyers, "hasMore": has_more, "marker": marker, "nextMarker": marker if has_more else None})
