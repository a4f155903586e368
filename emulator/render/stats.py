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
    is_free,
    media_item,
    media_of,
    media_types,
    raw_text,
)
from .people import release_forms


def _figures(item: QueueItem, state: Progress) -> dict[str, Any]:
    return {"viewedCount": state.viewed, "sentCount": state.sent, "isCanceled": False,
            "canUnsend": state.can_unsend, "unsendSeconds": state.unsend_seconds}


def _sales(item: QueueItem, state: Progress) -> dict[str, Any]:
    return {"price": f"{item.price:.2f}", "purchasedCount": state.purchased,
            "canSendMessageToBuyers": state.purchased > 0}


def _overview_head(item: QueueItem, creator: Creator, previews: list[Any]) -> dict[str, Any]:
    media = media_of(item, creator)
    return {
        "id": item.id, "date": format_instant(item.starts_at), "responseType": "message",
        "text": display_text(item), "rawText": raw_text(item), "giphyId": item.giphy_id, "isFree": is_free(item),
        "isMediaReady": True, "mediaCount": len(media), "media": [media_item(entry) for entry in media],
        "previews": previews, "isTip": False, "isReportedByMe": False,
    }


def sent_message(item: QueueItem, creator: Creator, state: Progress, fakes: Fakes) -> dict[str, Any]:
    """OFAuth's analytics item (``/analytics/mass-messages/sent`` and ``/purchased``): previews as objects."""
    previews = [media_item(entry) for entry in media_of(item, creator, item.preview_ids)]
    return {**_overview_head(item, creator, previews), **_figures(item, state),
            "releaseForms": release_forms(item, fakes), "template": "group", **_sales(item, state),
            "createdAt": format_instant(item.created_at), "totalAmount": round(state.purchased * item.price, 2)}


def overview_item(item: QueueItem, creator: Creator, state: Progress) -> dict[str, Any]:
    """OnlyFansAPI's overview item: a sent message with its sent and viewed counts."""
    return {**_overview_head(item, creator, list(item.preview_ids)), **_figures(item, state), "template": "group"}


def engagement_item(item: QueueItem, creator: Creator, state: Progress) -> dict[str, Any]:
    """OnlyFansAPI's engagement item: the overview item plus what was bought, for paid messages."""
    entry = overview_item(item, creator, state)
    if not is_free(item):
        entry.update(_sales(item, state))
    return entry


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
