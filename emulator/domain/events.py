"""Vendor events a test makes happen, now or at an instant on the clock: the upstream changing under a client."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .clock import OutOfRange, parse_instant
from .errors import ValidationFailed
from .world import World

KINDS = {
    "connection_expired": "an OFAuth connection id: its session expires (401 SESSION_EXPIRED, relink_connection)",
    "identity_verification": "an OFAuth connection id: OnlyFans asks for ID (401 SESSION_EXPIRED, verify_identity)",
    "credits_exhausted": "an OnlyFansAPI key or account id: its credits drop to 0 (402)",
    "upload_fails": "an upload id, or 'next': its processing fails (OFAuth 502 UPLOAD_ERROR, status failed)",
    "message_fails": "a mass message id: sending stops there (hasError: true, pending stops)",
}
MAX_EVENTS = 1000
MAX_DELAY = 10 * 365 * 86_400


def parse(document: Any, now: float) -> tuple[str, str, float]:
    """Read ``{kind, target, at?: ISO-8601 | in?: seconds}`` (neither: now); ValidationFailed when it is wrong."""
    if not isinstance(document, dict) or set(document) - {"kind", "target", "at", "in"}:
        raise ValidationFailed({"event": ["An event is {kind, target, at?: ISO-8601 instant, in?: seconds}."]})
    kind, target = document.get("kind"), document.get("target")
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValidationFailed({"kind": [f"Unknown event kind {kind!r}: one of {', '.join(KINDS)}."]})
    if isinstance(target, int) and not isinstance(target, bool):
        target = str(target)
    if not isinstance(target, str) or not 0 < len(target) <= 200:
        raise ValidationFailed({"target": [f"{kind} needs {KINDS[kind].split(':')[0]}."]})
    delay = document.get("in")
    if "at" in document and delay is not None:
        raise ValidationFailed({"at": ["Give at or in, not both."]})
    if delay is not None:
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= MAX_DELAY:
            raise ValidationFailed({"in": [f"in is a number of seconds from 0 to {MAX_DELAY}."]})
        return kind, target, now + delay
    if "at" not in document:
        return kind, target, now
    try:
        return kind, target, parse_instant(document["at"]).timestamp()
    except (ValueError, OutOfRange) as error:
        raise ValidationFailed({"at": [f"at is an ISO-8601 instant: {error}"]}) from error


@dataclass(slots=True)
class VendorEvent:
    """One event: what happens, to what, and when (epoch seconds); ``applied`` once it has happened."""

    id: str
    kind: str
    target: str
    at: float
    applied: bool = False

    def describe(self) -> dict[str, Any]:
        """The event as the admin API shows it."""
        return {"id": self.id, "kind": self.kind, "target": self.target, "at": self.at, "applied": self.applied}


class VendorEvents:
    """A session's events, applied in time order as requests arrive (a message's failure is exact to the second)."""

    def __init__(self) -> None:
        self.items: list[VendorEvent] = []
        self.next_number = 1
        self.next_due = math.inf  # the earliest instant of an event not yet applied: settling before it does nothing

    def add(self, world: World, kind: str, target: str, at: float, now: float) -> VendorEvent:
        """Check the event names something that exists, then schedule it (or apply it, when ``at`` has come)."""
        if len(self.items) >= MAX_EVENTS:
            raise ValidationFailed({"kind": [f"A session keeps at most {MAX_EVENTS} events."]})
        _find(world, kind, target)
        event = VendorEvent(f"event_{self.next_number}", kind, target, at)
        self.next_number += 1
        self.items.append(event)
        self.next_due = min(self.next_due, at)
        if kind == "message_fails":
            world.queue.fail(int(target), at)  # progress stops exactly there, request or not
        self.settle(world, now)
        return event

    def settle(self, world: World, now: float) -> None:
        """Apply every event whose instant has come (each request calls this: without one due, it costs nothing)."""
        if now < self.next_due:
            return
        for event in self.items:
            if not event.applied and event.at <= now:
                _apply(world, event)
                event.applied = True
        self.next_due = min((event.at for event in self.items if not event.applied), default=math.inf)


def _find(world: World, kind: str, target: str) -> Any:
    """What the event acts on; ValidationFailed when it does not exist."""
    if kind in ("connection_expired", "identity_verification"):
        found = next((key.connections[target] for key in world.ofauth_keys.values() if target in key.connections),
                     None)
    elif kind == "credits_exhausted":
        found = world.onlyfansapi_keys.get(target) or (world.accounts[target][1] if target in world.accounts
                                                       else None)
    elif kind == "upload_fails":
        found = world.uploads if target == "next" else world.uploads.items.get(target)
    else:
        found = world.queue.items.get(int(target)) if target.isascii() and target.isdigit() else None
    if found is None:
        raise ValidationFailed({"target": [f"{kind} needs {KINDS[kind].split(':')[0]}; {target!r} is unknown."]})
    return found


def _apply(world: World, event: VendorEvent) -> None:
    found = _find(world, event.kind, event.target)
    if event.kind == "connection_expired":
        found.status = "expired"
    elif event.kind == "identity_verification":
        found.status = "verify_identity"
    elif event.kind == "credits_exhausted":
        found.credits = 0
    elif event.kind == "upload_fails":
        creator = None if event.target == "next" else world.creator(found.creator_id)
        world.uploads.fail(creator, event.target)
