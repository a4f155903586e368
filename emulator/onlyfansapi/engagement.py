"""OnlyFansAPI's engagement routes for mass messages: the list with figures, the chart, and a message's buyers."""
from __future__ import annotations

from flask import Response

from ..domain import listing
from ..domain.buyers import buyer_ids
from ..domain.lifecycle import progress
from ..render.charts import series
from ..render.listed import ENGAGEMENT_ITEM
from ..render.people import fan
from .auth import Caller, requires_account
from .blueprint import bp, reply
from .mass_messaging import cursor, search
from .queries import BuyersQuery, ChartQuery, query

CHART, BUYERS = ChartQuery(), BuyersQuery()


@bp.get("/<account>/engagement/messages/mass-messages")
@requires_account
def list_engagement_mass_messages(caller: Caller) -> Response:
    """Sent mass messages with sent, viewed and purchased figures; ``_pagination.next_page`` moves ``endDate``."""
    asked, page, items = search(caller, ENGAGEMENT_ITEM)
    # The vendor's next_page keeps only endDate and limit (its docs' example drops startDate and query).
    following = {"endDate": cursor(page.next), "limit": asked["limit"]} if page.has_more else None
    return reply(caller, {"hasMore": page.has_more, "items": items}, following)


@bp.get("/<account>/engagement/messages/mass-messages/chart")
@requires_account
def mass_messages_chart(caller: Caller) -> Response:
    """Mass messages sent per day and purchase revenue per day, with totals unless ``withTotal=false``."""
    asked, world = query(CHART), caller.session.world
    chart = listing.chart(world.queue, caller.creator, asked["startDate"], asked["endDate"],
                          caller.session.clock.now(), world.lifecycle)
    return reply(caller, {"group_messages": series(chart.messages, asked["withTotal"]),
                          "group_messages_purchases": series(chart.purchases, asked["withTotal"])})


@bp.get("/<account>/engagement/messages/<message_id>/buyers")
@requires_account
def get_message_buyers(caller: Caller, message_id: str) -> Response:
    """The fans who bought a message, in purchase order, as full user objects; paged by ``marker``."""
    asked, world, now = query(BUYERS), caller.session.world, caller.session.clock.now()
    item = world.queue.get(caller.creator, message_id)
    bought = progress(item, now, world.lifecycle).purchased
    start = asked["offset"] if asked["marker"] is None else asked["marker"]
    count = max(0, min(asked["limit"], bought - start))
    has_more = start + count < bought
    users = [fan(world.fakes, user_id, now) for user_id in buyer_ids(world.seed, caller.creator.people, item, start, count)]
    following = {"limit": asked["limit"], "marker": start + count} if has_more else None
    return reply(caller, {"list": users, "hasMore": has_more, "marker": start + count}, following)
