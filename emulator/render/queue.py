"""Render OnlyFansAPI's queue and saved-for-later items: a chat item around its message entity."""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from ..domain.clock import format_instant
from ..domain.fakes import Fakes
from ..domain.lifecycle import Progress
from ..domain.models import Creator, QueueItem
from .messages import display_text, is_free, media_item, media_of, raw_text


def local(moment: float, zone: tzinfo) -> str:
    """An instant as OnlyFans writes it, in ``zone``: ``2031-06-01T14:00:00+02:00``."""
    return datetime.fromtimestamp(int(moment), zone).isoformat()


def sent_rules(item: QueueItem, fakes: Fakes) -> tuple[str, str]:
    """``sentRulesType``/``sentRulesExtra``: the first list, or the first fan's username."""
    if item.user_lists:
        return "list", str(item.user_lists[0])
    if item.user_ids:
        user = item.user_ids[0]
        return "user", fakes.person(int(user))["username"] if str(user).isdigit() else str(user)
    return "user", ""


def queue_entry_item(item: QueueItem, creator: Creator, state: Progress, fakes: Fakes, zone: tzinfo,
                     saved: bool = False) -> dict[str, Any]:
    """One queue (or saved-for-later) item; a saved one has no publish date and names its fans in ``userIds``."""
    rules, extra = sent_rules(item, fakes)
    publish = None if saved or item.scheduled_at is None else local(item.scheduled_at, zone)
    audience = {"userIds": [str(user) for user in item.user_ids]} if saved else {
        "userLists": [str(ref) for ref in item.user_lists]}
    entity = {
        "responseType": "message", "id": item.id, "text": display_text(item), "rawText": raw_text(item),
        "giphyId": item.giphy_id, "lockedText": item.locked_text, "isNew": True, "isFree": is_free(item),
        "isOpened": False, "price": item.price, "isMediaReady": True, "mediaCount": len(item.media_ids),
        "media": [media_item(media) for media in media_of(item, creator)], "previews": list(item.preview_ids),
        "createdAt": format_instant(item.created_at), "changedAt": format_instant(item.changed_at),
        "scheduledAt": publish, "isTip": False, "cancelSeconds": state.unsend_seconds, "isLiked": False,
        "canPurchase": False, "isMarkdownDisabled": not item.is_markdown, "releaseForms": [], **audience,
        "sentRulesType": rules, "sentRulesExtra": extra, "isFromQueue": True, "queueId": item.id,
        "canUnsendQueue": True, "unsendSecondsQueue": state.unsend_seconds,
    }
    return {"id": item.id, "type": "chat", "publishDateTime": publish,
            "createdDateTime": format_instant(item.created_at), "entity": entity}
