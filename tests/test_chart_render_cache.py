"""A chart's kept whole days (domain/whole_days.py) answer exactly what working every day out afresh does: as the
clock runs within a day and across midnight, and as messages are sent, edited, published, fail, are unsent or
replaced by an import; the memo stays bounded, and a run worked out while the queue changed is not kept."""
from __future__ import annotations

import random

import orjson

from emulator.domain import fixtures, listing
from emulator.domain.clock import format_instant
from emulator.domain.sales import DAY, day_floor
from emulator.domain.whole_days import LIMIT, WholeDayMemo, WholeDays
from emulator.domain.world import World
from emulator.render.charts import series, series_json

from . import chart_reference
from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI
from .test_chart_index import CREATOR, NOW, draft, fill

MIDNIGHT = day_floor(NOW) + DAY
# Requests a running clock makes: within the hour, then across midnight, then the next day.
STEPS = (0.0, 1.0, 1.5, 59.0, 3600.0, MIDNIGHT - NOW - 1, MIDNIGHT - NOW, MIDNIGHT - NOW + 0.5, DAY + 7.0)
WINDOWS = ((None, None), (NOW - 90 * DAY, None), (NOW - 40 * DAY, NOW + 3 * DAY), (NOW - 12.5 * DAY, NOW - DAY))


def fresh(world: World, start: float | None, end: float | None, now: float) -> str:
    """The chart with nothing kept: the memo is replaced by an empty one first."""
    world.queue.whole_days = WholeDayMemo()
    return repr(listing.chart(world.queue, world.creator(CREATOR), start, end, now, world.lifecycle))


def kept(world: World, start: float | None, end: float | None, now: float) -> str:
    """The chart as a repeated request reads it, from whatever the memo holds."""
    return repr(listing.chart(world.queue, world.creator(CREATOR), start, end, now, world.lifecycle))


def assert_kept_is_fresh(world: World, now: float) -> None:
    """Each window, read twice from the memo (warm), matches the reference and a cold computation."""
    for start, end in WINDOWS:
        warm = kept(world, start, end, now)
        assert warm == kept(world, start, end, now)
        args = (world.queue, world.creator(CREATOR), start, end, now, world.lifecycle)
        assert warm == repr(chart_reference.chart(*args)), (start, end, now)


def test_kept_days_match_fresh_ones_as_the_clock_runs_past_midnight():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(world, 31)
    for step in STEPS:
        now = NOW + step
        for start, end in WINDOWS:
            warm = kept(world, start, end, now)
            assert warm == kept(world, start, end, now)
            assert warm == fresh(world, start, end, now), (start, end, step)
    assert_kept_is_fresh(world, NOW + DAY + 60)


def test_kept_days_follow_every_change_to_the_queue():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(world, 32)
    rng, queue, creator, lifecycle = random.Random(33), world.queue, world.creator(CREATOR), world.lifecycle
    assert_kept_is_fresh(world, NOW)
    sold = [item for item in queue.items.values() if item.creator_id == CREATOR and not item.saved
            and NOW - 20 * DAY < item.starts_at < NOW - DAY and item.for_sale]
    queue.fail(sold[0].id, sold[0].starts_at + 20.0)  # a sale in a kept whole day stops
    assert_kept_is_fresh(world, NOW)
    yesterday = queue.create(creator, {**draft(rng), "price": 9.99}, day_floor(NOW) - 5 * 3600)
    assert_kept_is_fresh(world, NOW)
    queue.delete(creator, yesterday.id, NOW, lifecycle)  # unsent the next day: a kept whole day loses it
    assert_kept_is_fresh(world, NOW)
    waiting = [item for item in queue.items.values() if item.creator_id == CREATOR and item.starts_at > NOW + DAY]
    queue.update(creator, waiting[0].id, {"scheduled_at": NOW + 30, "price": 19.99}, NOW, lifecycle)
    assert_kept_is_fresh(world, NOW + DAY + 5)  # the edited message sent and sold in a day now whole
    queue.publish(creator, waiting[1].id, NOW - 3 * DAY, lifecycle)  # a send moved into a kept day
    assert_kept_is_fresh(world, NOW)
    queue.create(creator, draft(rng), NOW - 6 * DAY - 10)  # a new sale in a kept day
    assert_kept_is_fresh(world, NOW)
    queue.items = {item_id: item for item_id, item in queue.items.items() if item_id != sold[1].id}  # an import
    assert_kept_is_fresh(world, NOW)


def test_the_memo_keeps_at_most_its_limit_and_forgets_on_a_change():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(world, 34)
    for back in range(3 * LIMIT):
        kept(world, NOW - (40 + back) * DAY, NOW - back * DAY, NOW)
    assert 0 < len(world.queue.whole_days) <= LIMIT
    world.queue.fail(next(iter(world.queue.items)), NOW)
    assert len(world.queue.whole_days) == 0


def test_a_run_worked_out_while_the_queue_changed_is_not_kept():
    memo = WholeDayMemo()
    run = WholeDays(0.0, (1,), ())
    token = memo.token
    memo.forget()  # the queue changed while the run was being worked out
    memo.keep("run", run, token)
    assert memo.recall("run") is None
    memo.keep("run", run, memo.token)
    assert memo.recall("run") is run


def test_both_vendors_charts_answer_the_same_warm_and_cold(app, client):
    paths = [("/v2/access/analytics/mass-messages/chart", OFAUTH),
             (f"/api/{ACCOUNT}/engagement/messages/mass-messages/chart", ONLYFANSAPI),
             ("/v2/access/analytics/mass-messages/chart?startDate=2026-08-01T00:00:00Z", OFAUTH)]
    queue = app.extensions["emulator.sessions"].get("default").world.queue
    for path, headers in paths:
        warm = [charted(client, path, headers) for _ in range(2)]
        queue.whole_days = WholeDayMemo()
        assert warm[0] == warm[1] == charted(client, path, headers)


def charted(client, path: str, headers: dict) -> bytes:
    """A chart response's bytes without OnlyFansAPI's ``_meta``, whose credit count moves with every request."""
    body = client.get(path, headers=headers).data
    assert b"group_messages_purchases" in body
    return body.split(b',"_meta"', 1)[0]


def test_a_series_renders_its_dates_the_same_from_the_kept_ones():
    world = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    fill(world, 35)
    chart = listing.chart(world.queue, world.creator(CREATOR), None, None, NOW, world.lifecycle)
    first, again = series(chart.purchases, gross=True), series(chart.purchases, gross=True)
    assert first == again and first["chart"] is not again["chart"]
    assert [point["date"] for point in first["chart"]][:2] == ["2026-10-25T00:00:00+00:00",
                                                                 "2026-10-26T00:00:00+00:00"]
    assert [point["date"] for point in first["chart"]] == [format_instant(day) for day, _ in chart.purchases.chart]
    assert orjson.dumps(series_json(chart.purchases, gross=True)) == orjson.dumps(first)
