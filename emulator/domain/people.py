"""A creator's fans as a compact, seeded population: ids, subscription dates and states follow from rules.

Fan ``i`` (0 is the oldest subscriber) has an id and a subscription date computed from the seed and ``i``
alone, so 100,000 fans cost no Python objects at all. Sets of fans (user lists, an audience, the active fans)
are bitmaps held in one Python ``int``: bit ``i`` is fan ``i``. Set arithmetic is ``|``, ``&`` and ``& ~``,
a size is ``bit_count()``, a date filter is a shift, and a page is found by binary search on bit counts.
A fan becomes an object (``Fan``) only when a response shows them.
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .kept import keep

DAY = 86_400.0
PERIOD = 30 * DAY  # one subscription month
ID_STRIDE = 7  # consecutive fans' ids differ by 1 to 13: realistic, and still computable both ways
MASK64 = (1 << 64) - 1
BYTE_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
# Fans whose drawn traits a population keeps, the oldest dropped first: a few pages' worth, about 250 bytes each.
KEPT_TRAITS = 256

Traits = tuple[int, float, float, float, float]  # id, first subscription, spending, last-visit and lapse draws


def salt(*parts: object) -> int:
    """A 64-bit number drawn from ``parts`` alone (Python's ``hash`` of a string changes per process)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def mix(value: int) -> int:
    """splitmix64's finaliser: a cheap, well-spread 64-bit hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def unit(key: int, index: int) -> float:
    """A number in ``[0, 1)`` for fan ``index`` under ``key``."""
    return mix(key ^ index) / 2.0**64


@dataclass(frozen=True, slots=True)
class Discount:
    """A discount the creator gave one fan: a percentage off for some months, from an instant."""

    percent: int
    months: int
    started_at: float

    @property
    def finishes_at(self) -> float:
        """When the discounted months end."""
        return self.started_at + self.months * PERIOD


class Fan(NamedTuple):
    """One fan of a creator as of an instant: who they are and where their subscription stands (a named tuple:
    a members page makes one per fan per request, at under half a frozen dataclass's cost)."""

    index: int
    id: int
    subscribed_at: float
    active: bool
    renewing: bool
    expires_at: float
    renewed_at: float | None
    periods: int
    price: float
    tips: float
    messages: float
    last_seen: float
    notice: str = ""
    display_name: str = ""
    discount: Discount | None = None

    @property
    def spent(self) -> float:
        """Everything the fan has paid the creator: subscriptions, tips and unlocked messages."""
        return round(self.periods * self.price + self.tips + self.messages, 2)


class Population:
    """The fans of one creator: ``seeded`` people who subscribed between ``start`` and ``end``, oldest first,
    then the people a fixture names (``named``: id and first-subscription instant), in the order given."""

    def __init__(self, seed: int, creator_id: int, seeded: int, start: float, end: float, first_id: int,
                 active: int, renewing_off: int, price: float, named: list[tuple[int, float]] = ()) -> None:
        self.seeded, self.start, self.end, self.first_id, self.price = seeded, start, end, first_id, price
        self.named = list(named)
        self.named_index = {user_id: seeded + at for at, (user_id, _) in enumerate(self.named)}
        self.size = seeded + len(self.named)
        self.everyone = (1 << self.size) - 1
        self.active, self.renewing_off = active, renewing_off
        # What the creator set on single fans (notes, custom names, discounts): at most one entry per fan.
        self.notices: dict[int, str] = {}
        self.display_names: dict[int, str] = {}
        self.discounts: dict[int, Discount] = {}
        # One key a drawn quantity: fan i's id, first-subscription date, spending, last visit and lapse.
        self._id_key, self._date_key, self._spend_key, self._seen_key, self._expiry_key = (
            salt(seed, creator_id, name) for name in ("id", "date", "spend", "seen", "expiry"))
        self._traits: dict[int, Traits] = {}
        # What the renderers last drew of single fans, for them to reuse while it holds; they bound its size.
        self.drawn: dict[int, object] = {}

    def id_of(self, index: int) -> int:
        """The OnlyFans user id of fan ``index``."""
        if index >= self.seeded:
            return self.named[index - self.seeded][0]
        return self.first_id + index * ID_STRIDE + mix(self._id_key ^ index) % ID_STRIDE

    def index_of(self, user_id: object) -> int | None:
        """The index of the fan with that user id (an int or a string of digits), or None for a non-fan."""
        if isinstance(user_id, str) and user_id.isascii() and user_id.isdigit() and len(user_id) < 20:
            user_id = int(user_id)
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            return None
        if user_id in self.named_index:
            return self.named_index[user_id]
        if user_id < self.first_id:
            return None
        index = (user_id - self.first_id) // ID_STRIDE
        return index if index < self.seeded and self.id_of(index) == user_id else None

    def subscribed_at(self, index: int) -> float:
        """When fan ``index`` first subscribed; strictly increasing over the seeded fans."""
        if index >= self.seeded:
            return self.named[index - self.seeded][1]
        return self.start + (self.end - self.start) * (index + unit(self._date_key, index)) / self.seeded

    def joined_before(self, instant: float) -> int:
        """How many seeded fans first subscribed before ``instant``: the index where later subscribers begin."""
        if self.seeded == 0 or instant <= self.start:
            return 0
        guess = min(self.seeded, max(0, int((instant - self.start) / (self.end - self.start) * self.seeded)))
        while guess < self.seeded and self.subscribed_at(guess) < instant:
            guess += 1
        while guess > 0 and self.subscribed_at(guess - 1) >= instant:
            guess -= 1
        return guess

    def since(self, instant: float) -> int:
        """The fans who first subscribed at or after ``instant``, as a bitmap."""
        later = self.joined_before(instant)
        bits = ((1 << self.seeded) - 1) >> later << later
        for at, (_, subscribed) in enumerate(self.named):
            if subscribed >= instant:
                bits |= 1 << (self.seeded + at)
        return bits

    def fan(self, index: int, now: float) -> Fan:
        """Materialise fan ``index`` as of ``now``."""
        user_id, subscribed, spend, seen, lapse = self.traits(index)
        active = bool(self.active >> index & 1)
        lived = max(1, int((now - subscribed) // PERIOD) + 1)
        if active:
            periods, expires = lived, subscribed + lived * PERIOD
        else:
            periods, expires = _lapsed(lapse, subscribed, lived, now)
        tips = float(round(spend * 60)) if spend > 0.55 else 0.0
        messages = round(self.price * int(spend * 5), 2) if spend > 0.3 else 0.0
        seen = now - seen * (3 * DAY if active else 60 * DAY)
        return Fan(index, user_id, subscribed, active, active and not self.renewing_off >> index & 1, expires,
                   subscribed + (periods - 1) * PERIOD if periods > 1 else None, periods, self.price, tips,
                   messages, min(seen, now), self.notices.get(index, ""), self.display_names.get(index, ""),
                   self.discounts.get(index))

    def traits(self, index: int) -> Traits:
        """What the seed alone decides about fan ``index``: id, first subscription, and the draws for spending,
        last visit and lapse; kept for the last ``KEPT_TRAITS`` fans asked about, as pages are asked again."""
        kept = self._traits
        found = kept.get(index)
        if found is None:
            found = (self.id_of(index), self.subscribed_at(index), unit(self._spend_key, index),
                     unit(self._seen_key, index), unit(self._expiry_key, index))
            keep(kept, index, found, KEPT_TRAITS)
        return found


def _lapsed(lapse: float, subscribed: float, lived: int, now: float) -> tuple[int, float]:
    """How many months an expired fan paid for (at least one, at most ``lived``), and when the last one ended: a
    day or more before ``now``; ``lapse`` is the fan's draw in ``[0, 1)``."""
    periods = max(1, min(1 + int(lapse * max(1, lived - 1)), lived))
    return periods, min(subscribed + periods * PERIOD, now - DAY * (1 + lapse))


def nth(bits: int, position: int) -> int:
    """The index of the member at ``position`` (0 is the highest index, the newest fan) of a bitmap."""
    low, high = 0, bits.bit_length()
    while high - low > 1:
        middle = (low + high) // 2
        if (bits >> middle).bit_count() > position:
            low = middle
        else:
            high = middle
    return low


def newest_first(bits: int, offset: int, limit: int) -> list[int]:
    """Members ``offset`` to ``offset + limit`` of a bitmap, highest index first, without listing the rest."""
    if limit <= 0 or offset >= bits.bit_count():
        return []
    top = nth(bits, offset)
    found, rest, window = [top], bits & ((1 << top) - 1), 512
    while len(found) < limit and rest:
        low = max(0, top - window)
        digits = bin(rest >> low)[2:]
        at = digits.find("1")
        while at != -1 and len(found) < limit:
            found.append(low + len(digits) - 1 - at)
            at = digits.find("1", at + 1)
        rest &= (1 << low) - 1
        top, window = low, window * 4
    return found


def indexes(bits: int) -> list[int]:
    """Every member of a bitmap, lowest index first (for building fixtures, not for requests)."""
    found: list[int] = []
    for at, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            found.extend(at * 8 + bit for bit in BYTE_BITS[byte])
    return found


def bitmap(members: Iterable[int]) -> int:
    """The bitmap of an iterable of indexes."""
    members = list(members)
    if not members:
        return 0
    packed = bytearray(max(members) // 8 + 1)
    for index in members:
        packed[index >> 3] |= 1 << (index & 7)
    return int.from_bytes(packed, "little")


def draw(rng: random.Random, pool: int, count: int) -> int:
    """``count`` members drawn at random from the bitmap ``pool`` (each one a random key, the lowest win)."""
    candidates: range | list[int] = range(pool.bit_length()) if pool & (pool + 1) == 0 else indexes(pool)
    if count > len(candidates):
        raise ValueError(f"cannot draw {count} fans from a pool of {len(candidates)}")
    keys = [rng.random() for _ in candidates]
    return bitmap(candidates[at] for at in sorted(range(len(keys)), key=keys.__getitem__)[:count])


def newest(pool: int, count: int) -> int:
    """The ``count`` newest members of ``pool``."""
    return bitmap(newest_first(pool, 0, count))
