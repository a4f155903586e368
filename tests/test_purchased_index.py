"""The purchased list reads only the messages for sale: it answers what scanning every sent message did, however
many free ones were sent since, through changes, deletions and a state import."""
from __future__ import annotations

import random

import pytest

from emulator.domain import fixtures, listing
from emulator.domain.lifecycle import progress
from emulator.domain.queue import MediaRef
from emulator.domain.world import World

from .conftest import OFAUTH

NOW = 1_795_521_600.0  # 2026-11-24T12:00:00Z, the conftest clock
DAY = 86_400.0
CREATOR = 412000001
MEDIA = [MediaRef("vault", 4100000001, "media.0")]


def scanned(queue, creator, now, lifecycle):
    """The purchased list as it was: every sent message read, the free ones skipped."""
    stated = ((item, progress(item, now, lifecycle)) for item in listing.started(queue, creator, now)
              if item.price > 0 and item.media_ids)
    return [(item, state) for item, state in stated if state.purchased > 0]


def draft(rng: random.Random, paid: bool, at: float | None) -> dict:
    media = MEDIA if paid or rng.random() < 0.5 else []
    return {"text": "Paid" if paid else "Free", "media": media, "price": 9.99 if paid else 0.0,
            "user_lists": ["fans"], "user_ids": [], "scheduled_at": at}


def fill(world: World, seed: int, count: int) -> list[int]:
    """Sent and scheduled messages, paid and free, created over the 20 days before NOW; returns the ids of
    those still scheduled at NOW."""
    rng, queue, creator = random.Random(seed), world.queue, world.creator(CREATOR)
    waiting = []
    for number in range(count):
        created = NOW - rng.uniform(0, 20 * DAY)
        at = None if number % 4 else NOW + rng.uniform(1, 5 * DAY)
        item = queue.create(creator, draft(rng, paid=number % 3 == 0, at=at), created)
        if at is not None:
            waiting.append(item.id)
    return waiting


@pytest.fixture()
def world() -> World:
    return World(fixtures.load("fixtures/default.yaml"), 7, NOW)


def test_only_the_messages_for_sale_are_indexed_through_every_change(world):
    queue, creator, lifecycle = world.queue, world.creator(CREATOR), world.lifecycle
    waiting = fill(world, 40, 300)
    for number, item_id in enumerate(waiting):
        if number % 3 == 0:  # paid becomes free, free becomes paid, before either is sent
            item = queue.get(creator, item_id)
            changes = {"price": 0.0} if item.for_sale else {"price": 4.5, "media": MEDIA}
            queue.update(creator, item_id, changes, NOW, lifecycle)
        elif number % 3 == 1:
            queue.delete(creator, item_id, NOW, lifecycle)
    indexed = set(queue.paid.backwards(CREATOR, (float("inf"), 2**63)))
    mine = [item for item in queue.items.values() if item.creator_id == CREATOR]
    assert indexed == {item.id for item in mine if item.for_sale}
    assert 0 < len(indexed) < len(mine)
    for now in (NOW, NOW + 2 * DAY, NOW + 10 * DAY):
        found = list(listing.purchased(queue, creator, now, lifecycle))
        assert found == scanned(queue, creator, now, lifecycle) and found, now
    queue.items = dict(queue.items)  # a state import rebuilds every index
    assert set(queue.paid.backwards(CREATOR, (float("inf"), 2**63))) == indexed


def test_the_purchased_route_pages_the_same_messages(app, client):
    client.get("/v2/access/analytics/mass-messages/purchased", headers=OFAUTH)  # builds the session's world
    session = app.extensions["emulator.sessions"].get("default")
    world = session.world
    fill(world, 41, 200)
    now = session.clock.now()
    expected = [item.id for item, _ in scanned(world.queue, world.creator(CREATOR), now, world.lifecycle)]
    listed = []
    for offset in range(0, len(expected) + 10, 10):
        page = client.get("/v2/access/analytics/mass-messages/purchased", query_string={"limit": 10, "offset": offset},
                          headers=OFAUTH).json
        listed += [entry["id"] for entry in page["list"]]
        assert page["hasMore"] == (offset + 10 < len(expected))
    assert listed == expected and len(expected) > 10
