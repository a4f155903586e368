"""The members page's shortcuts answer exactly what drawing afresh does: instants written from looked-up pieces,
a population's kept draws, and the fan renderings a population keeps (as dicts, and as the JSON pieces a page
joins), across clock moves, notes, names, discounts, list changes and named people; and what they keep stays
bounded."""
from __future__ import annotations

import random
from datetime import UTC, datetime

import orjson
import pytest

from emulator import create_app
from emulator.domain import fans, user_lists
from emulator.domain.clock import LATEST, format_fleeting, format_instant
from emulator.domain.people import (
    DAY,
    KEPT_TRAITS,
    PERIOD,
    Fan,
    Population,
    newest_first,
    unit,
)
from emulator.render.fans import (
    KEPT_FANS,
    MARK_LISTS,
    MARK_SEEN,
    _lasting,
    onlyfans_fan,
    onlyfans_fan_json,
)

from .conftest import ACCOUNT, ONLYFANSAPI, creator_of
from .conftest import NOW as STARTED  # the same instant, as the app's config takes it

NOW = 1_795_521_600.0  # 2026-11-24T12:00:00Z, the conftest clock

MOMENTS = (NOW, NOW + 0.75, NOW + 59, NOW + 3600, NOW + DAY - 1, NOW + 31 * DAY + 7, NOW + 400 * DAY)


def drawn_afresh(people: Population, index: int, now: float) -> Fan:
    """``Population.fan`` as it was written before it kept draws: every quantity drawn from the seed again."""
    subscribed, active = people.subscribed_at(index), bool(people.active >> index & 1)
    lived = max(1, int((now - subscribed) // PERIOD) + 1)
    if active:
        periods, expires = lived, subscribed + lived * PERIOD
    else:
        lapse = unit(people._expiry_key, index)
        periods = max(1, min(1 + int(lapse * max(1, lived - 1)), lived))
        expires = min(subscribed + periods * PERIOD, now - DAY * (1 + lapse))
    spend = unit(people._spend_key, index)
    seen = now - unit(people._seen_key, index) * (3 * DAY if active else 60 * DAY)
    return Fan(index=index, id=people.id_of(index), subscribed_at=subscribed, active=active,
               renewing=active and not people.renewing_off >> index & 1, expires_at=expires,
               renewed_at=subscribed + (periods - 1) * PERIOD if periods > 1 else None, periods=periods,
               price=people.price, tips=float(round(spend * 60)) if spend > 0.55 else 0.0,
               messages=round(people.price * int(spend * 5), 2) if spend > 0.3 else 0.0, last_seen=min(seen, now),
               notice=people.notices.get(index, ""), display_name=people.display_names.get(index, ""),
               discount=people.discounts.get(index))


@pytest.fixture()
def world():
    app = create_app({"clock_start": STARTED, "clock_frozen": True})
    return app.extensions["emulator.sessions"].get("default").world


def cold(world, fan: Fan) -> dict:
    """The fan rendered with nothing kept."""
    people = world.creator(412000001).people
    kept = dict(people.drawn)
    people.drawn.clear()
    try:
        return onlyfans_fan(world.creator(412000001), fan, world.fakes)
    finally:
        people.drawn.clear()
        people.drawn.update(kept)


def assert_warm_is_cold(world, indexes: list[int], now: float) -> None:
    creator = world.creator(412000001)
    for index in indexes:
        fan = creator.people.fan(index, now)
        warm = onlyfans_fan(creator, fan, world.fakes)
        assert warm == onlyfans_fan(creator, fan, world.fakes) == cold(world, fan), (index, now)
        assert_json_is_dict(world, fan)


def assert_json_is_dict(world, fan: Fan) -> None:
    """The fan's JSON pieces, joined (twice: cut, then reused), are byte for byte what orjson writes for it."""
    creator = world.creator(412000001)
    written = orjson.dumps(cold(world, fan))
    for _ in range(2):
        assert orjson.dumps(onlyfans_fan_json(creator, fan, world.fakes)) == written, fan.index


def test_instants_are_written_as_datetime_writes_them():
    rng = random.Random(5)
    seconds = [0, 59, 60, 3599, 3600, 86_399, 86_400, 951_782_400, LATEST - 1]
    seconds += [rng.uniform(0, LATEST) for _ in range(20_000)] + [NOW + rng.uniform(-5e7, 5e7) for _ in range(20_000)]
    for moment in seconds:
        expected = datetime.fromtimestamp(int(moment), UTC).isoformat()
        assert format_fleeting(moment) == expected == format_instant(moment), moment


def test_kept_draws_give_the_fresh_fan_at_every_moment(world):
    people = world.creator(412000001).people
    indexes = list(range(people.size - 1, people.size - 40, -1)) + list(range(0, 3 * KEPT_TRAITS, 2))
    for now in MOMENTS:
        for index in indexes:
            assert people.fan(index, now) == drawn_afresh(people, index, now), (index, now)
    assert len(people._traits) <= KEPT_TRAITS


def test_kept_renderings_match_fresh_ones_as_the_clock_runs(world):
    people = world.creator(412000001).people
    indexes = newest_first(people.everyone, 0, 12) + newest_first(people.everyone & ~people.active, 0, 8)
    for now in MOMENTS:
        assert_warm_is_cold(world, indexes, now)


def test_kept_renderings_follow_notes_names_discounts_lists_and_people(world):
    creator = world.creator(412000001)
    people = creator.people
    index = newest_first(user_lists.find(creator, 1001).members, 0, 1)[0]
    user_id = str(people.id_of(index))
    assert_warm_is_cold(world, [index], NOW)
    changes = [
        lambda: fans.set_notice(creator, user_id, "Met at the meetup"),
        lambda: fans.set_display_name(creator, user_id, "Bestie"),
        lambda: fans.set_discount(creator, user_id, 30, 2, NOW),
        lambda: user_lists.rename(creator, 1001, "Inner circle"),
        lambda: user_lists.remove(creator, 1001, user_id),
        lambda: user_lists.add(creator, user_lists.create(creator, "New list").id, [user_id]),
        lambda: world.fakes.name(int(user_id), "Renamed Person", "renamed"),
        lambda: fans.set_notice(creator, user_id, ""),
    ]
    for change in changes:
        before = onlyfans_fan(creator, people.fan(index, NOW), world.fakes)
        change()
        after = onlyfans_fan(creator, people.fan(index, NOW), world.fakes)
        assert after == cold(world, people.fan(index, NOW)) and after != before
        assert_json_is_dict(world, people.fan(index, NOW))


@pytest.mark.parametrize("name, pieces", [(MARK_SEEN, 1), (MARK_LISTS, 1), (f"Ann {MARK_SEEN}", 4), ("Ann", 4)])
def test_a_name_that_is_a_stand_in_is_written_whole(world, name, pieces):
    """A name equal to a stand-in would cut the JSON in the wrong place: that fan is written whole (one piece);
    a name merely holding one is written inside its quotes and cut as usual (four pieces)."""
    creator = world.creator(412000001)
    index = newest_first(creator.people.everyone, 0, 1)[0]
    world.fakes.name(creator.people.id_of(index), name, None)
    fan = creator.people.fan(index, NOW)
    assert_json_is_dict(world, fan)
    assert orjson.loads(orjson.dumps(onlyfans_fan_json(creator, fan, world.fakes)))["name"] == name
    assert len(_lasting(creator.people, fan, world.fakes).pieces) == pieces


def test_renderings_share_nothing_a_caller_could_change(world):
    creator = world.creator(412000001)
    fan = creator.people.fan(newest_first(creator.people.everyone, 0, 1)[0], NOW)
    first = onlyfans_fan(creator, fan, world.fakes)
    expected = cold(world, fan)
    first["avatarThumbs"]["c50"] = "changed"
    first["subscribedOnData"]["subscribes"].append(1)
    first["subscribedOnData"]["status"] = "changed"
    first["listsStates"].clear()
    first["promoOffers"].append(1)
    first["name"] = "changed"
    assert onlyfans_fan(creator, fan, world.fakes) == expected


def test_a_population_keeps_at_most_its_limit_of_renderings(world):
    creator = world.creator(412000001)
    indexes = newest_first(creator.people.everyone, 0, 3 * KEPT_FANS)
    for index in indexes:
        onlyfans_fan(creator, creator.people.fan(index, NOW), world.fakes)
    assert len(creator.people.drawn) == KEPT_FANS
    assert_warm_is_cold(world, indexes[:5], NOW + 5)  # dropped ones are drawn again, the same


def test_the_members_page_answers_the_same_warm_and_cold():
    app = create_app({"clock_start": STARTED, "clock_frozen": True})
    client, session = app.test_client(), app.extensions["emulator.sessions"].get("default")
    paths = [f"/api/{ACCOUNT}/user-lists/fans/users", f"/api/{ACCOUNT}/user-lists/1001/users?offset=5&limit=30",
             f"/api/{ACCOUNT}/fans/expired?limit=20"]
    for step in (0.0, 1.0, 3600.0, 40 * DAY):
        session.clock.set(NOW + step)
        for path in paths:
            warm = [client.get(path, headers=ONLYFANSAPI).get_json()["data"] for _ in range(2)]
            creator_of(client, 412000001).people.drawn.clear()
            assert warm[0] == warm[1] == client.get(path, headers=ONLYFANSAPI).get_json()["data"], (path, step)


def test_a_fan_on_many_lists_has_them_written_afresh(world):
    from emulator.render.fans import FEW_LISTS, _states_json

    creator = world.creator(412000001)
    index = newest_first(creator.people.everyone, 0, 1)[0]
    user_id = str(creator.people.id_of(index))
    for number in range(FEW_LISTS + 2):
        user_lists.add(creator, user_lists.create(creator, f"List {number}").id, [user_id])
    _states_json.cache_clear()
    fan = creator.people.fan(index, NOW)
    assert_json_is_dict(world, fan)
    assert len(orjson.loads(orjson.dumps(onlyfans_fan_json(creator, fan, world.fakes)))["listsStates"]) > FEW_LISTS
    assert _states_json.cache_info().currsize == 0  # not kept: a long list of lists is written each time
