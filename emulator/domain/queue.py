"""The creator's mass-message queue: create, read, update and delete, with the vendors' rules."""
from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import audience
from .errors import CannotChange, MessageNotFound, QueueFull, ValidationFailed
from .fakes import Fakes
from .lifecycle import Lifecycle, Progress, progress
from .models import Creator, QueueItem, VaultMedia
from .renders import RenderMemo
from .sales import DailySales, DaySales
from .timeline import Timeline
from .vault import add_media, file_into
from .whole_days import WholeDayMemo

ID_PATTERN = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1
MAX_MESSAGES = 200_000
URL_TYPES = {"mp4": "video", "mov": "video", "m4v": "video", "webm": "video", "gif": "gif",
             "mp3": "audio", "m4a": "audio", "wav": "audio", "ogg": "audio"}


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A media reference from a request: a vault id, an upload reference or a URL."""

    kind: str
    value: int | str
    field: str


class MassMessageQueue:
    """Every queue item of every creator in one world, with ids that only go up."""

    def __init__(self, fakes: Fakes, seed: int, first_id: int, first_media_id: int,
                 limit: int = MAX_MESSAGES) -> None:
        self.fakes = fakes
        self.limit = limit
        self.seed = seed
        self.timeline = Timeline()
        self.paid = Timeline()  # only the items fans can buy: the purchased list reads these alone
        self.sales = DailySales()
        self.longest_hold = 0.0  # the longest a scheduled item's media ever held its send past its date
        self.renders = RenderMemo()  # what the renderers made of each item, forgotten as it changes
        self.whole_days = WholeDayMemo()  # charts' whole days, forgotten on any change
        self._items: dict[int, QueueItem] = {}
        self.next_id = first_id
        self.next_media_id = first_media_id

    @property
    def items(self) -> dict[int, QueueItem]:
        """Every item by id (read-only: change items through the queue, which keeps the timeline and sales)."""
        return self._items

    @items.setter
    def items(self, items: dict[int, QueueItem]) -> None:
        self._items = dict(items)
        self.renders.clear()
        self.timeline.rebuild(self._items.values())
        self.paid.rebuild(item for item in self._items.values() if item.for_sale)
        self.sales.clear()
        self.whole_days.forget()  # after the rebuild: a chart worked out during it is not kept
        self.longest_hold = max(map(_hold, self._items.values()), default=0.0)

    def get(self, creator: Creator, item_id: int | str) -> QueueItem:
        """Return the creator's queue item, or raise MessageNotFound."""
        item = self._items.get(as_id(item_id))
        if item is None or item.creator_id != creator.id:
            raise MessageNotFound(f"Mass message {item_id} not found.")
        return item

    def create(self, creator: Creator, draft: dict[str, Any], now: float, item_id: int | None = None) -> QueueItem:
        """Validate a draft against the creator's vault and lists, then queue it (``item_id``: fixture history)."""
        if len(self._items) >= self.limit:
            raise QueueFull(f"This emulator session holds {self.limit} mass messages, its limit. "
                            "Delete some, or reset the session.")
        _check_draft(creator, draft, now)
        media = self._check_media(creator, draft.get("media", []))
        if item_id is None:
            item_id, self.next_id = self.next_id, self.next_id + 1
        item = QueueItem(id=item_id, creator_id=creator.id, created_at=now, changed_at=now)
        item.view_ratio, item.purchase_ratio = _engagement(self.seed, item.id)
        self._apply(creator, item, draft, media)
        self._items[item.id] = item
        self._index(item)
        return item

    def update(self, creator: Creator, item_id: int | str, changes: dict[str, Any], now: float,
               lifecycle: Lifecycle) -> QueueItem:
        """Change the fields ``changes`` names on an item that has not started sending."""
        item = self._editable(creator, item_id, now, lifecycle)
        if "scheduled_at" in changes:
            _check_schedule(changes["scheduled_at"], now)
        merged = {"user_lists": item.user_lists, "user_ids": item.user_ids,
                  "exclude_user_lists": item.exclude_user_lists, **changes}
        _check_recipients(creator, merged)
        media = self._check_media(creator, changes["media"]) if "media" in changes else None
        written = item.text if item.raw_text is None else item.raw_text
        _check_content(changes.get("raw_text", changes.get("text", written)),
                       media if media is not None else item.media_ids)
        _check_price(changes.get("price", item.price), media if media is not None else item.media_ids)
        self._unindex(item)
        item.changed_at = now
        self._apply(creator, item, changes, media)
        self._index(item)
        return item

    def publish(self, creator: Creator, item_id: int | str, now: float, lifecycle: Lifecycle) -> QueueItem:
        """Send a scheduled or saved-for-later item now, whatever its date (it still waits for its media)."""
        item = self._editable(creator, item_id, now, lifecycle)
        self._unindex(item)
        item.scheduled_at, item.saved, item.changed_at = now, False, now
        self._index(item)
        return item

    def _editable(self, creator: Creator, item_id: int | str, now: float, lifecycle: Lifecycle) -> QueueItem:
        item = self.get(creator, item_id)
        if not progress(item, now, lifecycle).is_editable:
            raise CannotChange("Only scheduled mass messages can be edited; this one has already been sent.")
        return item

    def delete(self, creator: Creator, item_id: int | str, now: float,
               lifecycle: Lifecycle) -> tuple[QueueItem, Progress]:
        """Cancel a scheduled item or unsend a sent one inside its window; return it with its last progress."""
        item = self.get(creator, item_id)
        state = progress(item, now, lifecycle)
        if not state.is_editable and not state.can_unsend:
            raise CannotChange("This mass message has already been sent and its unsend window has closed.")
        self._unindex(item)
        del self._items[item.id]
        return item, state

    def fail(self, item_id: int, at: float) -> None:
        """Make an item's sending fail at ``at``: its figures stop there unless it had gone out whole."""
        item = self._items[item_id]
        self._unindex(item)
        item.failed_at = at
        self._index(item)

    def _index(self, item: QueueItem) -> None:
        """Index an item that is stored or has just changed."""
        self.renders.forget(item.id)
        self.timeline.add(item)
        if item.for_sale:
            self.paid.add(item)
        self.sales.add(item)
        self.whole_days.forget()  # after the indexes changed: a chart worked out meanwhile is not kept
        self.longest_hold = max(self.longest_hold, _hold(item))

    def _unindex(self, item: QueueItem) -> None:
        """Unindex an item about to change or go, while its indexed send time is still its own."""
        self.renders.forget(item.id)
        self.timeline.remove(item)
        self.paid.remove(item)  # nothing to do when it was free
        self.sales.remove(item)
        self.whole_days.forget()

    def started(self, creator: Creator, before: float | tuple[float, int],
                since: float = -math.inf) -> Iterator[QueueItem]:
        """The creator's items that start in ``[since, before)``, latest first (saved items never start)."""
        return (self._items[item_id] for item_id in self.timeline.backwards(creator.id, before, since))

    def started_for_sale(self, creator: Creator, before: float | tuple[float, int]) -> Iterator[QueueItem]:
        """``started`` for the items fans can buy alone, latest first."""
        return (self._items[item_id] for item_id in self.paid.backwards(creator.id, before))

    def daily_sales(self, creator: Creator, days: list[float], lifecycle: Lifecycle) -> dict[float, DaySales]:
        """The creator's purchase revenue on each UTC day of ``days`` (see ``sales``)."""
        return self.sales.days(creator.id, days, lambda since, before: self.started(creator, before, since),
                               lifecycle)

    def waiting(self, creator: Creator, now: float) -> Iterator[QueueItem]:
        """The creator's items that start after ``now``, soonest first, then those saved for later."""
        return (self._items[item_id] for item_id in self.timeline.forwards(creator.id, now))

    def waiting_latest_first(self, creator: Creator, now: float) -> Iterator[QueueItem]:
        """``waiting`` backwards: those saved for later, the newest first, then the furthest scheduled."""
        return (self._items[item_id] for item_id in self.timeline.latest(creator.id, now))

    def saved(self, creator: Creator) -> Iterator[QueueItem]:
        """The creator's items saved for later, oldest first."""
        return (self._items[item_id] for item_id in self.timeline.saved(creator.id))

    def _check_media(self, creator: Creator, refs: list[MediaRef]) -> list[MediaRef]:
        errors: dict[str, list[str]] = {}
        for ref in refs:
            if ref.kind == "vault" and ref.value not in creator.vault:
                errors[ref.field] = [f"Media {ref.value} is not in this creator's vault."]
            elif ref.kind == "upload" and ref.value not in creator.uploads:
                errors[ref.field] = [f"Upload {ref.value} is unknown or has already been used."]
        if errors:
            raise ValidationFailed(errors)
        return refs

    def _apply(self, creator: Creator, item: QueueItem, values: dict[str, Any],
               media: list[MediaRef] | None) -> None:
        if media is not None:
            item.media_ids = tuple(self._materialise(creator, ref).id for ref in media)
            indexes = values.get("preview_indexes")
            if indexes is not None:
                item.preview_ids = tuple(item.media_ids[index] for index in indexes)
            else:
                item.preview_ids = item.media_ids[:values.get("preview_count") or 0]
            file_into(creator, "messages", item.media_ids)
            ready = max((creator.vault[media_id].ready_at for media_id in item.media_ids), default=0.0)
            item.media_ready_at = ready or None
        if "text" in values:
            item.raw_text = None  # a dialect without markdown sends its text as written
        for name in ("text", "raw_text", "price", "locked_text", "is_markdown", "is_forwarded", "giphy_id",
                     "reply_to_message_id", "release_forms", "subscribed_after", "subscribed_within_days",
                     "scheduled_at", "saved"):
            if name in values:
                setattr(item, name, values[name])
        for name in ("user_tags", "user_ids", "user_lists", "exclude_user_lists"):
            if name in values:
                setattr(item, name, tuple(values[name] or ()))
        item.audience = audience.of_message(creator, item, item.changed_at)
        item.total = item.audience.bit_count()

    def new_media_id(self) -> int:
        """The next id for a vault item (made from an upload or a URL); ids only go up."""
        media_id, self.next_media_id = self.next_media_id, self.next_media_id + 1
        return media_id

    def _materialise(self, creator: Creator, ref: MediaRef) -> VaultMedia:
        """Return the vault item a reference names, adding uploads and URLs to the vault."""
        if ref.kind == "vault":
            return creator.vault[int(ref.value)]
        uploaded = creator.uploads.pop(str(ref.value)) if ref.kind == "upload" else None
        if isinstance(uploaded, int):  # a real upload: its vault item already exists
            media = creator.vault[uploaded]
            media.source = "upload"  # a CDN upload joins the vault once a message carries it
            return media
        media_id = self.new_media_id()
        if isinstance(uploaded, str):
            media_type = uploaded
        else:
            media_type = URL_TYPES.get(str(ref.value).rsplit("?", 1)[0].rsplit(".", 1)[-1].lower(), "photo")
        media = self.fakes.vault_media(media_id, media_type, source=ref.kind)
        add_media(creator, media, "messages")
        return media


def _check_draft(creator: Creator, draft: dict[str, Any], now: float) -> None:
    """The checks a new message passes: a future date, real recipients, some content."""
    _check_schedule(draft.get("scheduled_at"), now)
    _check_recipients(creator, draft)
    _check_content(draft.get("raw_text", draft.get("text", "")), draft.get("media", []))
    _check_price(draft.get("price") or 0, draft.get("media", []))


def _check_price(price: float, media: Any) -> None:
    """OnlyFans refuses a paid message with nothing to pay for."""
    if price and not media:
        raise ValidationFailed({"media": ["A paid (PPV) message needs at least one media item."]})


def _check_schedule(scheduled_at: float | None, now: float) -> None:
    if scheduled_at is not None and scheduled_at <= now:
        raise ValidationFailed({"scheduled_at": ["The scheduled date must be in the future."]})


def _check_recipients(creator: Creator, draft: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("user_lists", "exclude_user_lists"):
        for n, ref in enumerate(draft.get(name) or []):
            if creator.user_list(ref) is None:
                errors[f"{name}.{n}"] = [f"User list {ref} does not exist."]
    if not draft.get("user_lists") and not draft.get("user_ids") and not draft.get("saved"):
        errors["user_lists"] = ["Choose at least one recipient: a user list or a user id."]
    if errors:
        raise ValidationFailed(errors)


def _check_content(text: str, media: list[Any]) -> None:
    if not text.strip() and not media:
        raise ValidationFailed({"text": ["A mass message needs text or at least one media item."]})


def _hold(item: QueueItem) -> float:
    """How long the item's media holds its send past its scheduled date (0 when it is not scheduled)."""
    if item.scheduled_at is None or item.media_ready_at is None:
        return 0.0
    return max(0.0, item.media_ready_at - item.scheduled_at)


def as_id(item_id: int | str) -> int:
    """Read a queue id: ASCII digits only, no sign, separator or alias, and within 64 bits; else -1."""
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        return item_id if 0 < item_id <= MAX_ID else -1
    if isinstance(item_id, str) and ID_PATTERN.fullmatch(item_id) and int(item_id) <= MAX_ID:
        return int(item_id)
    return -1


def _engagement(seed: int, item_id: int) -> tuple[float, float]:
    """Draw a message's eventual view and purchase ratios from the seed and its id alone."""
    rng = random.Random(f"{seed}:engagement:{item_id}")
    return round(rng.uniform(0.18, 0.62), 4), round(rng.uniform(0.02, 0.14), 4)
