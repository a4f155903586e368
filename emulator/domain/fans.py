"""The fan queries both dialects answer: who is active or expired, who joined when, and filtered pages."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import EmulatorError
from .fakes import Fakes
from .models import Creator
from .people import Discount, Fan, Population, newest_first

CHUNK = 256
ONLINE = 15 * 60.0  # a fan seen in the last quarter hour counts as online


@dataclass(frozen=True, slots=True)
class Criteria:
    """Filters a fan page can apply; each one left as None does not filter."""

    text: str | None = None
    min_spent: float | None = None
    max_spent: float | None = None
    min_tips: float | None = None
    min_months: int | None = None
    online: bool | None = None
    renewed_from: float | None = None
    renewed_until: float | None = None

    @property
    def any(self) -> bool:
        """Whether any filter is set."""
        return any(value is not None for value in (self.text, self.min_spent, self.max_spent, self.min_tips,
                                                    self.min_months, self.online, self.renewed_from))

    def keeps(self, fan: Fan, fakes: Fakes, now: float) -> bool:
        """Whether ``fan`` passes every filter (the name search last: it is the costly one)."""
        if self.min_spent is not None and fan.spent < self.min_spent:
            return False
        if self.max_spent is not None and fan.spent > self.max_spent:
            return False
        if self.min_tips is not None and fan.tips < self.min_tips:
            return False
        if self.min_months is not None and fan.periods < self.min_months:
            return False
        if self.online is not None and (now - fan.last_seen <= ONLINE) != self.online:
            return False
        if self.renewed_from is not None and not (
                fan.renewed_at is not None and self.renewed_from <= fan.renewed_at < (self.renewed_until or now)):
            return False
        if self.text:
            person = fakes.person(fan.id)
            wanted = self.text.casefold()
            return wanted in person["name"].casefold() or wanted in person["username"].casefold()
        return True


class FanNotFound(EmulatorError):
    """Nobody by that id is a fan of this creator."""

    status = 404
    ofauth_type = "RESOURCE_NOT_FOUND"
    message = "Subscriber not found."


def index_of(creator: Creator, user_id: str) -> int:
    """The index of the creator's fan with that id, or FanNotFound."""
    index = creator.people.index_of(user_id) if creator.people is not None else None
    if index is None:
        raise FanNotFound(f"User {user_id[:40]} is not a subscriber of this creator.")
    return index


def set_notice(creator: Creator, user_id: str, notice: str) -> None:
    """Keep the creator's note on a fan (an empty note removes it)."""
    index, people = index_of(creator, user_id), creator.people
    assert people is not None
    people.notices.pop(index, None)
    if notice:
        people.notices[index] = notice


def set_display_name(creator: Creator, user_id: str, name: str | None) -> int:
    """Give a fan the creator's own name for them (empty or None clears it); return the fan's index."""
    index, people = index_of(creator, user_id), creator.people
    assert people is not None
    people.display_names.pop(index, None)
    if name:
        people.display_names[index] = name
    return index


def set_discount(creator: Creator, user_id: str, percent: int, months: int, now: float) -> None:
    """Give a fan ``percent`` off for the next ``months``, starting ``now``."""
    index, people = index_of(creator, user_id), creator.people
    assert people is not None
    people.discounts[index] = Discount(percent, months, now)


def of_kind(people: Population, kind: str) -> int:
    """The fans of a kind: ``active``, ``expired``, or anyone else (``all``, ``latest``...) for everyone."""
    if kind == "active":
        return people.active
    if kind == "expired":
        return people.everyone & ~people.active
    return people.everyone


def joined_between(people: Population, start: float | None, end: float | None) -> int:
    """The fans who first subscribed in ``[start, end)`` (either bound may be open)."""
    bits = people.since(start) if start is not None else people.everyone
    return bits & ~people.since(end) if end is not None else bits


def page(creator: Creator, bits: int, offset: int, limit: int, now: float, fakes: Fakes,
         criteria: Criteria = Criteria()) -> tuple[list[Fan], bool]:
    """Fans ``offset`` to ``offset + limit`` of ``bits`` that pass ``criteria``, newest first, and whether more do.

    Without filters this slices the bitmap; with them it walks the fans newest first until the page is full,
    so its cost grows with how far the page lies, never with the size of the population.
    """
    people = creator.people
    if people is None:
        return [], False
    if not criteria.any:
        chosen = newest_first(bits, offset, limit)
        return [people.fan(index, now) for index in chosen], offset + len(chosen) < bits.bit_count()
    found: list[Fan] = []
    skipped, position = 0, 0
    while len(found) <= limit:
        chunk = newest_first(bits, position, CHUNK)
        if not chunk:
            break
        position += len(chunk)
        for index in chunk:
            fan = people.fan(index, now)
            if not criteria.keeps(fan, fakes, now):
                continue
            if skipped < offset:
                skipped += 1
            else:
                found.append(fan)
    return found[:limit], len(found) > limit
