"""The fans who bought a mass message: a seeded, stable sequence per message, as long as its purchases."""
from __future__ import annotations

import random

FIRST_FAN_ID = 100_000_000
FAN_SPACE = 2_147_483_629  # prime, so every stride walks the whole space without repeating a fan


def buyer_ids(seed: int, message_id: int, start: int, count: int) -> list[int]:
    """User ids of buyers ``start`` to ``start + count`` of a message, in the order they bought it.

    The sequence depends on the seed and the message alone, so a buyer keeps its place as more fans buy, and
    no fan appears twice in one message's list.
    """
    rng = random.Random(f"{seed}:buyers:{message_id}")
    stride, offset = rng.randrange(1, FAN_SPACE), rng.randrange(FAN_SPACE)
    return [FIRST_FAN_ID + (offset + position * stride) % FAN_SPACE for position in range(start, start + count)]
