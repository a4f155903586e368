"""The fans who bought a mass message: a seeded, stable sequence drawn from the message's own recipients."""
from __future__ import annotations

import math
import random

from .models import QueueItem
from .people import Population, nth


def buyer_ids(seed: int, people: Population | None, item: QueueItem, start: int, count: int) -> list[int]:
    """User ids of buyers ``start`` to ``start + count`` of a message, in the order they bought it.

    Buyers are recipients: the sequence walks the message's audience with a seeded stride coprime to its size,
    so it depends on the seed and the message alone, a buyer keeps its place as more fans buy, and no fan appears
    twice. The lifecycle never lets purchases exceed recipients, so the walk never wraps.
    """
    total = item.audience.bit_count()
    if people is None or total == 0:
        return []
    rng = random.Random(f"{seed}:buyers:{item.id}")
    stride, offset = rng.randrange(1, total + 1), rng.randrange(total)
    while math.gcd(stride, total) != 1:
        stride += 1
    positions = ((offset + position * stride) % total for position in range(start, min(start + count, total)))
    return [people.id_of(nth(item.audience, position)) for position in positions]
