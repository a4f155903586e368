"""Where a queue item is in its life at a given instant: saved, scheduled, sending or sent."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from .models import QueueItem

VIEW_HALF_LIFE = 2 * 3600.0
PURCHASE_HALF_LIFE = 6 * 3600.0
# After this many half-lives 0.5 ** n is below half an ulp of 1.0 (2 ** -54), so ``_saturate`` gives exactly 1.0:
# views and purchases stop growing.
SATURATED = 55


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """How fast messages go out and how long they can be taken back."""

    send_rate: float = 50.0
    unsend_window: int = 86_400


class Progress(NamedTuple):
    """A queue item's state as of one instant (a named tuple: immutable, and a list works out one per message
    per request, in a third of a frozen dataclass's time)."""

    status: str
    sent: int
    pending: int
    viewed: int
    purchased: int
    unsend_seconds: int
    has_error: bool = False

    @property
    def is_editable(self) -> bool:
        """Whether the message can still be replaced: nothing has gone out yet."""
        return self.status in ("scheduled", "saved")

    @property
    def is_ready(self) -> bool:
        """Whether sending has begun."""
        return not self.is_editable

    @property
    def is_done(self) -> bool:
        """Whether every recipient has been sent the message."""
        return self.status == "sent"

    @property
    def can_unsend(self) -> bool:
        """Whether the message can still be taken back from its recipients."""
        return self.unsend_seconds > 0


def _saturate(elapsed: float, half_life: float) -> float:
    """Share of an eventual total reached after ``elapsed`` seconds (0 to 1)."""
    return 1.0 - math.pow(0.5, max(elapsed, 0.0) / half_life)


def _sent(item: QueueItem, elapsed: float, lifecycle: Lifecycle) -> int:
    """How many recipients have been sent the item ``elapsed`` seconds after sending began."""
    return min(item.total, int(elapsed * lifecycle.send_rate))


def _counts(item: QueueItem, elapsed: float, lifecycle: Lifecycle) -> tuple[int, int, int]:
    """How many recipients have been sent the item, have viewed it and have bought it ``elapsed`` seconds after
    sending began."""
    sent = _sent(item, elapsed, lifecycle)
    viewed = int(sent * item.view_ratio * _saturate(elapsed, VIEW_HALF_LIFE))
    purchased = 0
    if item.for_sale:
        purchased = int(viewed * item.purchase_ratio * _saturate(elapsed, PURCHASE_HALF_LIFE))
    return sent, viewed, purchased


def _stopped(item: QueueItem, now: float, lifecycle: Lifecycle) -> bool:
    """Whether the item failed before ``now`` while not yet sent whole, so its figures stay as they were then
    (a message that had gone out whole cannot fail any more)."""
    if item.failed_at is None or now <= item.failed_at:
        return False
    elapsed = item.failed_at - item.starts_at
    return item.saved or elapsed < 0 or _sent(item, elapsed, lifecycle) < item.total


def progress(item: QueueItem, now: float, lifecycle: Lifecycle) -> Progress:
    """Derive the item's progress at ``now``; the same item and instant always give the same answer."""
    if _stopped(item, now, lifecycle):
        return _failed(progress(item, item.failed_at, lifecycle), item, now, lifecycle)  # type: ignore[arg-type]
    start = item.starts_at
    if item.saved:
        return Progress("saved", 0, item.total, 0, 0, 0)
    if now < start:
        return Progress("scheduled", 0, item.total, 0, 0, 0)
    sent, viewed, purchased = _counts(item, now - start, lifecycle)
    status = "sent" if sent >= item.total else "sending"
    unsend_seconds = max(0, math.ceil(start + lifecycle.unsend_window - now))
    return Progress(status, sent, item.total - sent, viewed, purchased, unsend_seconds)


def settles_at(item: QueueItem, lifecycle: Lifecycle) -> float:
    """The instant from which ``progress`` gives the same answer for as long as the item stays as it is: saved
    ones at once, sent ones once every recipient has it, views and purchases have saturated and the unsend window
    has closed; an item that has or will have failed never (its figures are left to ``progress``)."""
    if item.failed_at is not None:
        return math.inf
    if item.saved:
        return -math.inf
    sending = (item.total + 1) / lifecycle.send_rate  # a recipient to spare against rounding in ``_counts``
    return item.starts_at + max(sending, SATURATED * PURCHASE_HALF_LIFE, SATURATED * VIEW_HALF_LIFE,
                                lifecycle.unsend_window)


def purchased(item: QueueItem, now: float, lifecycle: Lifecycle) -> int:
    """How many fans have bought the item by ``now``: ``progress(...).purchased`` without the rest of it."""
    if item.saved or not item.for_sale:
        return 0
    if _stopped(item, now, lifecycle):
        now = item.failed_at  # type: ignore[assignment]
    elapsed = now - item.starts_at
    return 0 if elapsed < 0 else _counts(item, elapsed, lifecycle)[2]


def _failed(stopped: Progress, item: QueueItem, now: float, lifecycle: Lifecycle) -> Progress:
    """A message whose sending failed: what went out stays out, the rest stays pending, and it says so."""
    unsend_seconds = max(0, math.ceil(item.starts_at + lifecycle.unsend_window - now)) if stopped.sent else 0
    return Progress("failed", stopped.sent, stopped.pending, stopped.viewed, stopped.purchased, unsend_seconds,
                    has_error=True)
