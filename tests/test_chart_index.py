"""The chart read from the sales index answers exactly what walking every message did (tests/chart_reference.py),
over windows on and off day boundaries, and stays exact as messages are sent, edited, published, unsent and fail."""
from __future__ import annotations

import random

import pytest

from emulator.domain import analytics, fixtures, listing
from emulator.domain.clock import parse_instant
from emulator.domain.lifecycle import progress, purchased
from emulator.domain.queue import MediaRef
from emulator.domain.sales import DAY, PURCHASE_HORIZON, day_floor
from emulator.domain.world import World
from emulator.render.charts import series

from . import chart_reference
from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI

NOW = 1_795_521_600.0  # 2026-11-24T12:00:00Z, the conftest clock
CREATOR, OTHER = 412000001, 412000002
PRICES = (0.0, 0.01, 5.0, 7.99, 9.99, 14.5, 19.99, 25.0)
LISTS = (["fans"], ["fans"], [1001], [1002], ["tagged"])
VISUAL = (4100000001, 4100000002, 4100000003, 4100000004, 4100000005, 4100000006, 4100000008)
TODAY = day_floor(NOW)
EDGES = (NOW - 30 * DAY, NOW - 366 * DAY, TODAY - 30 * DAY, TODAY, NOW - 30 * DAY - PURCHASE_HORIZON,
         NOW - 60 * DAY, TODAY - 366 * DAY, NOW)


def draft(rng: random.Random, scheduled_at: float | None = None) -> dict:
    price = rng.choice(PRICES)
    count = rng.randint(1, 3) if price else rng.randint(0, 2)
    media = [MediaRef("vault", media_id, f"media.{n}") for n, media_id in enumerate(rng.sample(VISUAL, count))]
    return {"text": "History", "media": media, "price": price, "user_lists": rng.choice(LISTS), "user_ids": [],
            "scheduled_at": scheduled_at}


def fill(world: World, seed: int) -> list[float]:
    """Queue a varied history for the creator; return the send times it used, for windows to start and end on."""
    rng, queue, creator = random.Random(seed), world.queue, world.creator(CREATOR)
    moments = []
    for number in range(260):
        kind = number % 5
        if kind == 0:
            sent_at = rng.choice(EDGES) + rng.choice((0.0, -1.0, 1.0, 0.5))
        elif kind == 1:
            sent_at = TODAY - rng.randint(0, 420) * DAY
        else:
            sent_at = NOW - rng.uniform(0, 420 * DAY)
        moments.append(sent_at)
        queue.create(creator, draft(rng), sent_at)
    for _ in range(12):
        queue.create(creator, draft(rng, NOW + rng.uniform(60, 20 * DAY)), NOW)
    created = NOW - 100 * DAY
    queue.create(creator, draft(rng, created + 3600), created)
    queue.create(creator, {"text": "Later", "saved": True, "user_lists": [], "user_ids": []}, NOW)
    other = [MediaRef("vault", 4100000102, "media.0")]
    for _ in range(20):
        queue.create(world.creator(OTHER), {**draft(rng), "media": other, "price": 9.99, "user_lists": ["fans"]},
                     NOW - rng.uniform(0, 60 * DAY))
    return moments


def windows(moments: list[float]) -> list[tuple[float | None, float | None]]:
    """Windows on and off day boundaries, on messages' own send times, beyond now and empty."""
    first, second = sorted(moments[5:7])
    return [
        (None, None), (NOW - 366 * DAY, None), (NOW - 366 * DAY, NOW), (TODAY - 30 * DAY, TODAY),
        (TODAY - 366 * DAY, TODAY - DAY), (first, second), (moments[0], None), (None, moments[3]),
        (NOW - 10 * DAY, NOW + 5 * DAY), (NOW + DAY, NOW + 10 * DAY), (moments[1], moments[1]),
        (NOW - 30 * DAY - 0.5, NOW - 0.25), (TODAY - 7 * DAY + 1, TODAY - 3 * DAY - 1),
    ]


def assert_same(world: World, start: float | None, end: float | None, now: float) -> None:
    creator = world.creator(CREATOR)
    if start is not None and end is None and now - start > 366 * DAY:
        return  # a start alone runs to now: past a year it is refused, by both
    args = (world.queue, creator, start, end, now, world.lifecycle)
    assert repr(listing.chart(*args)) == repr(chart_reference.chart(*args)), (start, end, now)


@pytest.fixture(scope="module")
def filled() -> tuple[World, list[float]]:
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    return world, fill(world, 20)


@pytest.mark.parametrize("now", [NOW, NOW - 45 * DAY + 1234.5, TODAY, NOW + 3 * DAY])
def test_chart_matches_the_walk_over_every_message(filled, now):
    world, moments = filled
    for start, end in windows(moments):
        assert_same(world, start, end, now)


def assert_same_order(world: World, start: float | None, end: float | None, now: float) -> None:
    """The days' revenue comes in the order the walk first added each day: the order the totals add up in."""
    queue, creator, lifecycle = world.queue, world.creator(CREATOR), world.lifecycle
    start, end = analytics.default_window(start, end, now)
    items = list(listing.started(queue, creator, now))
    for low, high in ((start, end), (start - (end - start), start)):
        walked = chart_reference._window(items, low, high, now, lifecycle)[1]
        read = analytics.revenue_by_day(queue, creator, low, min(high, now), lifecycle)
        assert list(read.items()) == list(walked.items()), (low, high, now)


def test_days_add_up_in_the_order_the_walk_added_them(filled):
    world, moments = filled
    for now in (NOW, TODAY + 0.5):
        for start, end in windows(moments):
            assert_same_order(world, start, end, now)


def test_chart_matches_at_a_message_own_send_time(filled):
    world, moments = filled
    for moment in moments[:6]:
        assert_same(world, None, None, moment)
        assert_same(world, moment - 366 * DAY, moment, moment)


def test_chart_stays_exact_as_messages_change():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    moments = fill(world, 21)
    rng, queue, creator, lifecycle = random.Random(22), world.queue, world.creator(CREATOR), world.lifecycle
    checked = windows(moments)[:5]
    later = NOW + 3 * DAY

    def check() -> None:
        for start, end in checked:
            assert_same(world, start, end, NOW)
            assert_same(world, start, end, later)
            assert_same_order(world, start, end, NOW)

    check()  # every day the windows read is built now; each change below must drop the ones it touches
    sent = [item for item in queue.items.values() if item.creator_id == CREATOR and not item.saved
            and item.starts_at < NOW and item.price > 0 and item.media_ids]
    scheduled = [item for item in queue.items.values() if item.creator_id == CREATOR and item.starts_at > NOW]
    for item in rng.sample(sent, 4):
        queue.delete(creator, item.id, item.starts_at + 60, lifecycle)  # unsent inside its window
        check()
    for item in rng.sample(sent, 6):
        if item.id in queue.items:
            queue.fail(item.id, item.starts_at + rng.choice((5.0, 20.0, 3600.0)))
            check()
    price = 25.0 if scheduled[0].media_ids else 0.0
    queue.update(creator, scheduled[0].id, {"scheduled_at": NOW + 2 * DAY + 30, "price": price}, NOW, lifecycle)
    check()
    queue.publish(creator, scheduled[1].id, NOW - 5 * DAY, lifecycle)  # a send moved into days already built
    check()
    queue.publish(creator, next(item.id for item in queue.items.values() if item.saved), NOW - 2 * DAY, lifecycle)
    check()
    queue.delete(creator, scheduled[2].id, NOW, lifecycle)
    check()
    for _ in range(5):
        queue.create(creator, draft(rng), NOW - rng.uniform(0, 40 * DAY))
        check()
    queue.items = dict(queue.items)  # a state import replaces every item
    check()


def test_days_far_from_every_message_are_answered_but_not_kept():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    rng, queue, creator = random.Random(26), world.queue, world.creator(CREATOR)
    for cluster in (NOW - 300 * DAY, NOW - 100 * DAY):  # two bursts, months apart
        for _ in range(30):
            queue.create(creator, {**draft(rng), "price": 9.99, "media": [MediaRef("vault", VISUAL[0], "media.0")]},
                         cluster + rng.uniform(0, 3 * DAY))
    for start, end in ((NOW - 366 * DAY, NOW), (NOW - 366 * DAY, NOW), (NOW - 280 * DAY, NOW - 250 * DAY)):
        assert_same(world, start, end, NOW)
    kept = queue.sales.kept(CREATOR)
    assert 0 < kept < 120  # the bursts and the fixture's recent weeks, each with its horizon; not the year
    for year in range(5, 40, 5):
        assert_same(world, NOW - year * 366 * DAY, NOW - (year - 1) * 366 * DAY, NOW)
    assert queue.sales.kept(CREATOR) == kept


def test_purchased_is_progress_purchased():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(world, 23)
    rng = random.Random(24)
    for number, item in enumerate(world.queue.items.values()):
        if number % 3 == 0:
            world.queue.fail(item.id, item.starts_at + rng.choice((-10.0, 0.0, 7.0, 24.0, 25.0, 4000.0)))
        for elapsed in (-1.0, 0.0, 0.5, 10.0, 24.9, 25.0, 3600.0, DAY, 3.3 * DAY, PURCHASE_HORIZON, 30 * DAY):
            moment = item.starts_at + elapsed
            assert purchased(item, moment, world.lifecycle) == progress(item, moment, world.lifecycle).purchased


CHART_WINDOWS = ["", "?startDate=2025-11-23T12:00:00Z&endDate=2026-11-24T12:00:00Z",
                 "?startDate=2026-10-25T00:00:00Z&endDate=2026-11-24T00:00:00Z", "?startDate=2026-11-20T06:30:00Z",
                 "?startDate=2026-09-01T00:00:00Z&endDate=2026-12-20T00:00:00Z"]


def route_world(app):
    session = app.extensions["emulator.sessions"].get("default")
    return session, session.world


def expected(world, asked: str, now: float):
    """The reference chart for the query string ``asked``."""
    query = dict(part.split("=") for part in asked.lstrip("?").split("&") if part)
    start, end = (parse_instant(query[name]).timestamp() if name in query else None
                  for name in ("startDate", "endDate"))
    return chart_reference.chart(world.queue, world.creator(CREATOR), start, end, now, world.lifecycle)


@pytest.mark.parametrize("asked", CHART_WINDOWS)
def test_both_vendors_charts_answer_the_reference(app, client, asked):
    client.get("/v2/access/mass-messages", headers=OFAUTH)  # builds the session's world
    session, world = route_world(app)
    fill(world, 25)
    for _ in range(2):  # the second answer reads the days the first one built
        ofauth = client.get(f"/v2/access/analytics/mass-messages/chart{asked}", headers=OFAUTH)
        ofapi = client.get(f"/api/{ACCOUNT}/engagement/messages/mass-messages/chart{asked}", headers=ONLYFANSAPI)
        assert ofauth.status_code == ofapi.status_code == 200
        reference = expected(world, asked, session.clock.now())
        sent, bought = series(reference.messages), series(reference.purchases, gross=True)
        assert ofauth.json["group_messages"] == ofauth.json["messages"] == sent
        assert ofauth.json["group_messages_purchases"] == ofauth.json["purchases"] == bought
        assert ofapi.json["data"]["group_messages"] == sent
        assert ofapi.json["data"]["group_messages_purchases"] == series(reference.purchases)


def test_a_chart_follows_sends_failures_and_unsends_through_the_routes(app, client):
    chart = "/v2/access/analytics/mass-messages/chart"
    session, world = route_world(app)
    paid = {"text": "Flash sale", "userLists": ["fans"], "mediaItems": [4100000001], "price": 12.0}

    def same(step: str) -> dict:
        body = client.get(chart, headers=OFAUTH).json
        reference = expected(world, "", session.clock.now())
        assert body["group_messages_purchases"] == series(reference.purchases, gross=True), step
        assert body["group_messages"] == series(reference.messages), step
        return body

    same("built")
    doomed = client.post("/v2/access/mass-messages", json=paid, headers=OFAUTH).json["id"]
    failing = client.post("/v2/access/mass-messages", json=paid, headers=OFAUTH).json["id"]
    assert client.post("/v2/access/mass-messages", json=paid, headers=OFAUTH).status_code == 200  # kept
    same("sent")
    assert client.delete(f"/v2/access/mass-messages/{doomed}", headers=OFAUTH).status_code == 200
    same("unsent")
    response = client.post("/_emulator/events", json={"kind": "message_fails", "target": str(failing), "in": 10})
    assert response.status_code == 201
    client.post("/_emulator/clock", json={"advance": 6 * 3600})
    same("failed while sending")
    client.post("/_emulator/clock", json={"advance": 3 * 86_400})  # today is now a whole day of the window
    today = same("days later")["group_messages_purchases"]["chart"][-4]
    assert today["count"] >= 12.0
