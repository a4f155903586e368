"""Weeks of already-sent mass messages for a fixture creator, drawn from the seed, so analytics show data."""
from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from .models import Creator
from .queue import MediaRef

DAY = 86_400.0
NEWEST = 1.5 * DAY  # history ends before the fixture's own recent messages and outside the unsend window
PRICES = (5.0, 7.99, 9.99, 12.0, 14.99, 19.99, 25.0)


def history(seed: int, creator: Creator, plan: dict[str, Any], texts: list[str],
            now: float) -> Iterator[tuple[dict[str, Any], float]]:
    """Yield ``(draft, sent_at)`` for ``weeks × per_week`` messages, oldest first, spread over the weeks."""
    total = plan["weeks"] * plan["per_week"]
    if total == 0 or not creator.user_lists:
        return
    rng = random.Random(f"{seed}:history:{creator.id}")
    span = plan["weeks"] * 7 * DAY - NEWEST
    visual = [media.id for media in creator.vault.values() if media.type in ("photo", "video", "gif")]
    lists = list(creator.user_lists.values())
    for number in range(total):
        sent_at = now - NEWEST - span * (total - number - rng.random()) / total
        paid = bool(visual) and rng.random() < plan["paid_share"]
        media = rng.sample(visual, min(len(visual), rng.randint(1, 3))) if paid else (
            rng.sample(visual, 1) if visual and rng.random() < 0.5 else [])
        audience = [lists[0].id] if rng.random() < 0.6 else [rng.choice(lists).id]
        yield {
            "text": rng.choice(texts),
            "media": [MediaRef("vault", media_id, f"media.{n}") for n, media_id in enumerate(media)],
            "preview_count": 1 if paid and len(media) > 1 else 0,
            "price": rng.choice(PRICES) if paid else 0.0,
            "user_lists": audience,
            "user_ids": [],
            "scheduled_at": None,
        }, sent_at
