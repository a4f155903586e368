"""Render sent messages with their figures: OFAuth's analytics items, OnlyFansAPI's overview and queue summary."""
from __future__ import annotations

from typing import Any

from ..domain.clock import format_instant
from ..domain.fakes import Fakes
from ..domain.lifecycle import Progress
from ..domain.models import Creator, QueueItem
from .messages import (
    crop,
    display_text,
    fill_figures,
    fill_sales,
    is_free,
    media_item,
    media_of,
    media_types,
    raw_text,
    sales_slots,
)
from .people import release_forms


def _sales(item: QueueItem, state: Progress) -> dict[str, Any]:
    return fill_sales(sales_slots(item), state)


def _overview_head(item: QueueItem, creator: Creator, previews: list[Any]) -> dict[str, Any]:
    media = media_of(item, creator)
    return {
        "id": item.id, "date": format_instant(item.starts_at), "responseType": "message",
        "text": display_text(item), "rawText": raw_text(item), "giphyId": item.giphy_id, "isFree": is_free(item),
        "isMediaReady": True, "mediaCount": len(media), "media": [media_item(entry) for entry in media],
        "previews": previews, "isTip": False, "isReportedByMe": False,
        # the figures, for the fill to write in
        "viewedCount": None, "sentCount": None, "isCanceled": False, "canUnsend": None, "unsendSeconds": None,
    }


def sent_message(item: QueueItem, creator: Creator, state: Progress, fakes: Fakes) -> dict[str, Any]:
    """OFAuth's analytics item (``/analytics/mass-messages/sent`` and ``/purchased``): previews as objects."""
    return fill_sent_message(sent_message_template(item, creator, fakes), item, state)


def sent_message_template(item: QueueItem, creator: Creator, fakes: Fakes) -> dict[str, Any]:
    """``sent_message`` but for what the item's progress says: those fields hold None for the fill."""
    previews = [media_item(entry) for entry in media_of(item, creator, item.preview_ids)]
    return {**_overview_head(item, creator, previews), "releaseForms": release_forms(item, fakes),
            "template": "group", **sales_slots(item), "createdAt": format_instant(item.created_at),
            "totalAmount": None}


def fill_sent_message(entry: dict[str, Any], item: QueueItem, state: Progress) -> dict[str, Any]:
    """Write the item's progress into a copy of ``sent_message_template``."""
    fill_sales(fill_figures(entry, state), state)
    entry["totalAmount"] = round(state.purchased * item.price, 2)
    return entry


def overview_item(item: QueueItem, creator: Creator, state: Progress) -> dict[str, Any]:
    """OnlyFansAPI's overview item: a sent message with its sent and viewed counts."""
    return fill_overview(overview_template(item, creator), item, state)


def overview_template(item: QueueItem, creator: Creator) -> dict[str, Any]:
    """``overview_item`` but for what the item's progress says."""
    return {**_overview_head(item, creator, list(item.preview_ids)), "template": "group"}


def fill_overview(entry: dict[str, Any], item: QueueItem, state: Progress) -> dict[str, Any]:
    """Write the item's progress into a copy of ``overview_template``."""
    return fill_figures(entry, state)


def engagement_item(item: QueueItem, creator: Creator, state: Progress) -> dict[str, Any]:
    """OnlyFansAPI's engagement item: the overview item plus what was bought, for paid messages."""
    return fill_engagement(engagement_template(item, creator), item, state)


def engagement_template(item: QueueItem, creator: Creator) -> dict[str, Any]:
    """``engagement_item`` but for what the item's progress says."""
    entry = overview_template(item, creator)
    if not is_free(item):
        entry.update(sales_slots(item))
    return entry


def fill_engagement(entry: dict[str, Any], item: QueueItem, state: Progress) -> dict[str, Any]:
    """Write the item's progress into a copy of ``engagement_template`` (purchases only for a paid message)."""
    fill_figures(entry, state)
    return entry if is_free(item) else fill_sales(entry, state)


def queue_summary(item: QueueItem, creator: Creator, state: Progress, fakes: Fakes,
                  canceled: bool = False) -> dict[str, Any]:
    """OnlyFansAPI's ``queue`` object of retrieve and delete; paid messages add price and purchases."""
    counts = {kind: number for kind, number in media_types(item, creator).items() if number}
    summary: dict[str, Any] = {
        "id": item.id, "date": format_instant(item.starts_at), "text": item.text, "giphyId": item.giphy_id,
        "textCropped": crop(item.text), "isFree": is_free(item), "sentCount": state.sent,
        "viewedCount": state.viewed, "canUnsend": state.can_unsend, "unsendSeconds": state.unsend_seconds,
        "isCanceled": canceled, "mediaTypes": counts or None, "hasError": state.has_error,
        "releaseForms": release_forms(item, fakes),
    }
    if not is_free(item):
        summary.update(_sales(item, state))
    return summary
