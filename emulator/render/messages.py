"""Render queue items as OnlyFans' message objects: receipt, media, message and queue entry."""
from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

from ..domain.clock import format_instant
from ..domain.lifecycle import Progress
from ..domain.models import Creator, QueueItem, VaultMedia

CROP = 100
CACHED_TEXT = 1024  # characters: texts up to this long are rendered once, then remembered
TAGS = re.compile(r"<[^>]+>")


def display_text(item: QueueItem) -> str:
    """The text as OnlyFans shows it: converted markdown, the caller's own HTML, or plain text escaped into
    one paragraph per line."""
    if item.raw_text is not None or not item.is_markdown:
        return item.text
    return remembered(_paragraphs, item.text)


def _paragraphs(text: str) -> str:
    lines = [html.escape(line) for line in text.splitlines() or [""]]
    return "".join(f"<p>{line}</p>" for line in lines)


def remembered(render: Callable[[str], str], text: str) -> str:
    """``render(text)``, from a small cache when the text is short: a list renders the same texts request after
    request (a long text is rendered each time, so the cache stays under a few megabytes)."""
    return _cached(render, text) if len(text) <= CACHED_TEXT else render(text)


@functools.lru_cache(maxsize=1024)
def _cached(render: Callable[[str], str], text: str) -> str:
    return render(text)


def raw_text(item: QueueItem) -> str:
    """The text as the caller wrote it."""
    return item.text if item.raw_text is None else item.raw_text


def receipt(item: QueueItem, state: Progress, canceled: bool = False) -> dict[str, Any]:
    """The queue receipt returned by create and update; ``scheduledDate`` is what the guides read back."""
    return {
        "id": item.id,
        "date": format_instant(item.starts_at),
        "scheduledDate": None if item.scheduled_at is None else format_instant(item.scheduled_at),
        "isReady": state.is_ready,
        "isDone": state.is_done,
        "total": item.total,
        "pending": state.pending,
        "canUnsend": state.can_unsend,
        "unsendSeconds": state.unsend_seconds,
        "hasError": state.has_error,
        "isCanceled": canceled,
        "isCouplePeopleMedia": False,
    }


def media_item(media: VaultMedia) -> dict[str, Any]:
    """One media object as OnlyFans renders it inside a message."""
    rendered: dict[str, Any] = {
        "id": media.id,
        "type": media.type,
        "convertedToVideo": media.type == "gif",
        "canView": True,
        "hasError": False,
        "createdAt": media.created_at,
        "isReady": True,
        "releaseForms": [],
        "hasCustomPreview": False,
        "files": media.files,
    }
    if media.duration is not None:
        rendered["duration"] = media.duration
    if media.video_sources is not None:
        rendered["videoSources"] = media.video_sources
    return rendered


def media_of(item: QueueItem, creator: Creator, ids: tuple[int, ...] | None = None) -> list[VaultMedia]:
    """The vault items a message carries (or the ``ids`` given), in the message's order."""
    return [creator.vault[media_id] for media_id in (item.media_ids if ids is None else ids)
            if media_id in creator.vault]


def is_free(item: QueueItem) -> bool:
    """Whether fans can see the message without paying: no price, or nothing behind it."""
    return not item.for_sale


def media_types(item: QueueItem, creator: Creator) -> dict[str, int]:
    """How many media of each type a message carries."""
    return type_counts(media_of(item, creator))


def type_counts(media: list[VaultMedia]) -> dict[str, int]:
    """How many of ``media`` there are of each type, in OnlyFans' order."""
    counts = {"video": 0, "photo": 0, "gif": 0, "audio": 0}
    for entry in media:
        counts[entry.type] += 1
    return counts


def message(item: QueueItem, creator: Creator, state: Progress) -> dict[str, Any]:
    """The full message object (GET of a mass message)."""
    return fill_message(message_template(item, creator, media_of(item, creator)), state)


def message_template(item: QueueItem, creator: Creator, media: list[VaultMedia]) -> dict[str, Any]:
    """The message object carrying ``media`` (the item's, from the vault), but for what its progress says:
    those fields are in their places, holding None, for ``fill_message``."""
    free = is_free(item)
    return {
        "id": item.id,
        "text": display_text(item),
        "rawText": raw_text(item),
        "fromUser": {"id": creator.id, "name": creator.name},
        "media": [media_item(entry) for entry in media],
        "previews": list(item.preview_ids),
        "isMediaReady": True,
        "mediaCount": len(media),
        "lockedText": item.locked_text,
        "responseType": "message",
        "giphyId": item.giphy_id,
        "isFree": free,
        "isTip": False,
        "isReportedByMe": False,
        "isCouplePeopleMedia": False,
        "queueId": item.id,
        "isMarkdownDisabled": not item.is_markdown,
        "releaseForms": item.release_forms,
        "isFromQueue": True,
        "canUnsendQueue": None,
        "unsendSecondsQueue": None,
        "isOpened": None,
        "isNew": None,
        "createdAt": format_instant(item.created_at),
        "changedAt": format_instant(item.changed_at),
        "cancelSeconds": None,
        "isLiked": False,
        "canPurchase": False,
        "canPurchaseReason": "self_message" if not free else "free",
        "canReport": False,
        "canBePinned": False,
        "isPinned": False,
    }


def fill_message(entry: dict[str, Any], state: Progress) -> dict[str, Any]:
    """Write a message's progress into ``entry`` (a copy of its template), in the places the template kept."""
    unsend_seconds = state.unsend_seconds
    entry["canUnsendQueue"] = state.can_unsend
    entry["unsendSecondsQueue"] = unsend_seconds
    entry["isOpened"] = state.viewed > 0
    entry["isNew"] = not state.is_ready
    entry["cancelSeconds"] = unsend_seconds
    return entry


def queue_entry(item: QueueItem, creator: Creator, state: Progress, canceled: bool = False) -> dict[str, Any]:
    """The queue object returned by DELETE: the message plus its delivery figures."""
    return fill_entry(entry_template(item, creator), item, state, canceled)


def entry_template(item: QueueItem, creator: Creator) -> dict[str, Any]:
    """A queue entry but for what its progress says (see ``message_template``)."""
    media = media_of(item, creator)
    entry = message_template(item, creator, media)
    entry.update({
        "date": format_instant(item.starts_at),
        "textCropped": crop(item.text),
        "sentCount": None,
        "viewedCount": None,
        "canUnsend": None,
        "unsendSeconds": None,
        "isCanceled": False,
        "mediaTypes": type_counts(media),
        "hasError": None,
        **sales_slots(item),
    })
    return entry


def fill_figures(entry: dict[str, Any], state: Progress) -> dict[str, Any]:
    """Write a sent message's delivery figures into the places its template kept."""
    entry["viewedCount"] = state.viewed
    entry["sentCount"] = state.sent
    entry["canUnsend"] = state.can_unsend
    entry["unsendSeconds"] = state.unsend_seconds
    return entry


def sales_slots(item: QueueItem) -> dict[str, Any]:
    """The price, and places for what was bought (``fill_sales`` writes them)."""
    return {"price": f"{item.price:.2f}", "purchasedCount": None, "canSendMessageToBuyers": None}


def fill_sales(entry: dict[str, Any], state: Progress) -> dict[str, Any]:
    """Write what was bought into the places ``sales_slots`` kept."""
    purchased = state.purchased
    entry["purchasedCount"] = purchased
    entry["canSendMessageToBuyers"] = purchased > 0
    return entry


def fill_entry(entry: dict[str, Any], item: QueueItem, state: Progress, canceled: bool = False) -> dict[str, Any]:
    """Write the item's progress into ``entry`` (a copy of its ``entry_template``)."""
    fill_figures(fill_message(entry, state), state)
    entry["isCanceled"] = canceled
    entry["hasError"] = state.has_error
    return fill_sales(entry, state)


def crop(text: str) -> str:
    """Cut a message's text to its first words, tags removed, as the queue list shows it."""
    return remembered(_crop, text)


def _crop(text: str) -> str:
    plain = " ".join(TAGS.sub(" ", html.unescape(text)).split())
    if len(plain) <= CROP:
        return plain
    cut = plain[:CROP].rsplit(" ", 1)[0] or plain[:CROP]
    return cut + "…"

