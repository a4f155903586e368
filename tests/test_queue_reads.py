"""The queue's reads start where their window does: the live queue, a scheduled window and the saved list answer
what scanning every unsent message did, however many wait, media holding a send back included."""
from __future__ import annotations

import random
from datetime import UTC, datetime
from itertools import islice

import pytest

from emulator.domain import fixtures, listing
from emulator.domain.lifecycle import progress
from emulator.domain.queue import MediaRef
from emulator.domain.world import World

from .conftest import ACCOUNT, ONLYFANSAPI

NOW = 1_795_521_600.0  # 2026-11-24T12:00:00Z, the conftest clock
DAY = 86_400.0
CREATOR = 412000001
API = f"/api/{ACCOUNT}"


def old_current(queue, creator, now, lifecycle):
    """``listing.current`` as it was: every unsent item listed, then reversed."""
    waiting = list(listing.unsent(queue, creator, now))[::-1]
    recent = listing.started(queue, creator, now, start=now - lifecycle.unsend_window)
    stated = ((item, progress(item, now, lifecycle)) for item in (*waiting, *recent))
    return list(islice(((item, state) for item, state in stated if state.status != "sent" or state.can_unsend),
                       listing.LIVE_LIMIT))


def old_scheduled(queue, creator, now, start, end):
    """The queue route's window as it was: every unsent item, filtered."""
    return [item for item in listing.unsent(queue, creator, now)
            if not item.saved and item.scheduled_at is not None and start <= item.scheduled_at <= end]


def fill(world: World, seed: int, count: int) -> None:
    """Scheduled, saved and just-sent messages; some wait for media still processing past their date."""
    rng, queue, creator = random.Random(seed), world.queue, world.creator(CREATOR)
    creator.vault[4100000005].ready_at = NOW + 3 * DAY + 17  # still processing: holds back what carries it
    for number in range(count):
        media = [MediaRef("vault", 4100000005 if number % 7 == 0 else 4100000001, "media.0")]
        if number % 11 == 0:
            draft = {"text": "Later", "saved": True, "user_lists": [], "user_ids": []}
        elif number % 13 == 0:
            draft = {"text": "Now", "media": media, "user_lists": ["fans"], "user_ids": [], "scheduled_at": None}
        else:
            at = NOW + rng.choice((rng.uniform(1, 40 * DAY), rng.randint(1, 40) * DAY))
            draft = {"text": "Soon", "media": media, "user_lists": ["fans"], "user_ids": [], "scheduled_at": at}
        queue.create(creator, draft, NOW - rng.choice((0.0, 3600.0)))
    held = [MediaRef("vault", 4100000005, "media.0")]
    for offset in (DAY, 2 * DAY, 2.5 * DAY):
        draft = {"text": "Held", "media": held, "user_lists": ["fans"], "user_ids": [], "scheduled_at": NOW + offset}
        queue.create(creator, draft, NOW)


@pytest.fixture(scope="module")
def world() -> World:
    built = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(built, 30, 400)
    return built


@pytest.mark.parametrize("now", [NOW, NOW + 2 * DAY + 5, NOW + 3 * DAY + 17, NOW + 50 * DAY])
def test_reads_match_the_scan_of_every_unsent_message(world, now):
    queue, creator = world.queue, world.creator(CREATOR)
    assert listing.current(queue, creator, now, world.lifecycle) == old_current(queue, creator, now, world.lifecycle)
    assert list(listing.saved(queue, creator)) == [item for item in listing.unsent(queue, creator, now) if item.saved]
    for start, end in ((NOW, NOW + 40 * DAY), (NOW + DAY, NOW + 2 * DAY), (NOW + 2 * DAY, NOW + 3 * DAY),
                       (NOW + 3 * DAY + 17, NOW + 3 * DAY + 17), (NOW + 10 * DAY, NOW + 9 * DAY),
                       (NOW - 5 * DAY, NOW + 4 * DAY - 1)):
        assert list(listing.scheduled_between(queue, creator, now, start, end)) == old_scheduled(
            queue, creator, now, start, end), (start, end)
    held = old_scheduled(queue, creator, now, NOW + DAY, NOW + 3 * DAY)
    assert now > NOW + 3 * DAY or any(item.starts_at > NOW + 3 * DAY for item in held)


def test_media_holding_a_send_back_widens_the_read_only_as_far_as_it_must():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    assert world.queue.longest_hold == 0
    fill(world, 31, 60)
    assert world.queue.longest_hold > 0
    world.queue.items = dict(world.queue.items)
    assert world.queue.longest_hold > 0


def utc(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d")


def test_queue_routes_answer_the_scan(app, client):
    client.get(f"{API}/queue/counts", headers=ONLYFANSAPI)  # builds the session's world
    session = app.extensions["emulator.sessions"].get("default")
    world = session.world
    fill(world, 32, 300)
    queue, creator, now = world.queue, world.creator(CREATOR), session.clock.now()
    for start, end in ((NOW, NOW + 40 * DAY), (NOW + 3 * DAY, NOW + 5 * DAY)):
        window = {"publishDateStart": utc(start), "publishDateEnd": utc(end), "timezone": "UTC"}
        bounds = (start - start % DAY, end - end % DAY + DAY - 1e-6)
        expected = old_scheduled(queue, creator, now, *bounds)
        listed = client.get(f"{API}/queue", query_string={**window, "limit": 100}, headers=ONLYFANSAPI)
        assert [entry["id"] for entry in listed.json["data"]["list"]] == [item.id for item in expected[:100]]
        counted = client.get(f"{API}/queue/counts", query_string=window, headers=ONLYFANSAPI).json["data"]["list"]
        assert sum(day["chat"] for day in counted.values()) == len(expected)
    saved = [item.id for item in listing.unsent(queue, creator, now) if item.saved]
    page = client.get(f"{API}/saved-for-later/messages", query_string={"offset": 3, "limit": 5}, headers=ONLYFANSAPI)
    assert [entry["id"] for entry in page.json["data"]["list"]] == saved[3:8]
    live = client.get(f"{API}/mass-messaging", headers=ONLYFANSAPI).json["data"]
    assert [entry["id"] for entry in live] == [item.id for item, _ in old_current(queue, creator, now,
                                                                                   world.lifecycle)]
