"""Where a queue item is in its life at a given instant: saved, scheduled, sending or sent."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .models import QueueItem

VIEW_HALF_LIFE = 2 * 3600.0
PURCHASE_HALF_LIFE = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """How fast messages go out and how long they can be taken back."""

    send_rate: float = 50.0
    unsend_window: int = 86_400


@dataclass(frozen=True, slots=True)
class Progress:
    """A queue item's state as of one instant."""

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


def progress(item: QueueItem, now: float, lifecycle: Lifecycle) -> Progress:
    """Derive the item's progress at ``now``; the same item and instant always give the same answer."""
    if item.failed_at is not None and now > item.failed_at:
        stopped = progress(item, item.failed_at, lifecycle)
        if stopped.status != "sent":  # a message that had gone out whole cannot fail any more
            return _failed(stopped, item, now, lifecycle)
    start = item.starts_at
    if item.saved:
        return Progress("saved", 0, item.total, 0, 0, 0)
    if now < start:
        return Progress("scheduled", 0, item.total, 0, 0, 0)
    elapsed = now - start
    sent = min(item.total, int(elapsed * lifecycle.send_rate))
    status = "sent" if sent >= item.total else "sending"
    viewed = int(sent * item.view_ratio * _saturate(elapsed, VIEW_HALF_LIFE))
    purchased = 0
    if item.price > 0 and item.media_ids:
        purchased = int(viewed * item.purchase_ratio * _saturate(elapsed, PURCHASE_HALF_LIFE))
    unsend_seconds = max(0, math.ceil(start + lifecycle.unsend_window - now))
    return Progress(status, sent, item.total - sent, viewed, purchased, unsend_seconds)


def _failed(stopped: Progress, item: QueueItem, now: float, lifecycle: Lifecycle) -> Progress:
    """A message whose sending failed: what went out stays out, the rest stays pending, and it says so."""
    unsend_seconds = max(0, math.ceil(item.starts_at + lifecycle.unsend_window - now)) if stopped.sent else 0
    return Progress("failed", stopped.sent, stopped.pending, stopped.viewed, stopped.purchased, unsend_seconds,
                    has_error=True)
