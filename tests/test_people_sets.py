"""The population and audiences as plain objects: set arithmetic, date filters, non-fans, paging, buyers."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from emulator.domain import audience, fixtures, user_lists
from emulator.domain.buyers import buyer_ids
from emulator.domain.models import QueueItem
from emulator.domain.people import indexes, newest_first, nth
from emulator.domain.world import World

NOW = 1_795_521_600.0


@pytest.fixture(scope="module")
def world() -> World:
    return World(fixtures.load("fixtures/default.yaml"), 7, NOW)


def ids(creator, bits: int) -> set[int]:
    return {creator.people.id_of(index) for index in indexes(bits)}


def members(creator, list_id) -> set[int]:
    return ids(creator, creator.user_list(list_id).members)


def test_population_follows_the_fixture_rules(world):
    creator = world.creator(412000001)
    people = creator.people
    assert people.size == 1550 and people.active.bit_count() == 1240
    assert {name: found.size for name, found in creator.user_lists.items()} == {
        "fans": 1240, "following": 312, "recent": 86, "rebill_off": 97, "tagged": 14, "1001": 48, "1002": 19,
        "1003": 120}
    assert members(creator, 1001) <= members(creator, "fans")
    assert members(creator, 1002) <= members(creator, 1001)
    assert members(creator, "rebill_off") <= members(creator, "fans")
    recent = creator.user_list("recent").members
    assert indexes(recent) == sorted(indexes(people.active))[-86:]
    dates = [people.subscribed_at(index) for index in range(people.size)]
    assert dates == sorted(dates) and NOW - 731 * 86400 < dates[0] and dates[-1] < NOW


def test_ids_are_stable_for_a_seed_and_map_back(world):
    again = World(fixtures.load("fixtures/default.yaml"), 7, NOW).creator(412000001)
    creator = world.creator(412000001)
    assert members(again, 1001) == members(creator, 1001)
    people = creator.people
    for index in (0, 1, 777, people.size - 1):
        assert people.index_of(people.id_of(index)) == index == people.index_of(str(people.id_of(index)))
    assert people.index_of(people.id_of(0) - 1) is None and people.index_of(5551) is None
    assert people.index_of(True) is None and people.index_of("１２") is None
    other = World(fixtures.load("fixtures/default.yaml"), 8, NOW).creator(412000001)
    assert members(other, 1001) != members(creator, 1001)


def test_audience_is_the_union_minus_exclusions_of_fans_only(world):
    creator = world.creator(412000001)
    fans, vip, tagged = members(creator, "fans"), members(creator, 1001), members(creator, "tagged")
    outsider = sorted(tagged - fans)
    named = [outsider[0], 5551, "5552"] if outsider else [5551]
    resolved = ids(creator, audience.resolve(creator, ("fans", 1001), tuple(named), ("tagged",)))
    assert resolved == (fans | vip | set(outsider[:1])) - tagged
    assert 5551 not in resolved
    assert ids(creator, audience.resolve(creator, ("following",), (), ("fans",))) == members(creator, "following") - fans
    assert audience.resolve(creator, (1001,), (), ()) is creator.user_list(1001).members  # shared, not copied


def test_date_filter_keeps_later_subscribers(world):
    creator = world.creator(412000001)
    people = creator.people
    cutoff = NOW - 30 * 86400
    resolved = audience.resolve(creator, ("fans",), (), (), cutoff)
    assert resolved and all(people.subscribed_at(index) >= cutoff for index in indexes(resolved))
    older = creator.user_list("fans").members & ~resolved
    assert all(people.subscribed_at(index) < cutoff for index in indexes(older))
    assert audience.resolve(creator, ("fans",), (), (), NOW + 5 * 365 * 86400) == 0


def test_paging_matches_the_sorted_members():
    rng = random.Random(1)
    for density in (0.001, 0.05, 0.5, 1.0):
        chosen = [index for index in range(20_000) if rng.random() < density]
        bits = sum(1 << index for index in chosen)
        descending = sorted(chosen, reverse=True)
        for offset in (0, 1, len(chosen) // 2, max(0, len(chosen) - 3), len(chosen), len(chosen) + 5):
            assert newest_first(bits, offset, 100) == descending[offset:offset + 100]
        for position in range(0, len(chosen), max(1, len(chosen) // 7)):
            assert nth(bits, position) == descending[position]


def test_buyers_are_distinct_recipients(world):
    creator = world.creator(412000001)
    item = QueueItem(id=3100000999, creator_id=creator.id, created_at=NOW, changed_at=NOW, user_lists=(1001,))
    item.audience = audience.of_message(creator, item, NOW)
    everyone = buyer_ids(world.seed, creator.people, item, 0, 1000)
    assert len(everyone) == 48 and set(everyone) == members(creator, 1001)
    assert buyer_ids(world.seed, creator.people, item, 5, 3) == everyone[5:8]


def test_list_edits_change_members_and_refuse_system_lists(world):
    creator = World(fixtures.load("fixtures/default.yaml"), 7, NOW).creator(412000001)
    created = user_lists.create(creator, "Weekend")
    assert created.id == 1004 and created.size == 0
    fan_ids = sorted(members(creator, "fans"))[:3]
    change = user_lists.add(creator, created.id, [*fan_ids, fan_ids[0]])
    assert change.changed == sorted(change.changed, key=fan_ids.index) and members(creator, 1004) == set(fan_ids)
    with pytest.raises(user_lists.UserRefused):
        user_lists.add(creator, created.id, [5551])
    assert user_lists.add(creator, created.id, [5551], skip_refused=True).refused == {
        "5551": "User not found among this creator's fans"}
    assert user_lists.remove(creator, "1004", fan_ids[0]) and not user_lists.remove(creator, 1004, fan_ids[0])
    for action in (lambda: user_lists.rename(creator, "fans", "x"), lambda: user_lists.delete(creator, "recent"),
                   lambda: user_lists.add(creator, "fans", fan_ids)):
        with pytest.raises(user_lists.ListNotEditable):
            action()
    with pytest.raises(user_lists.UserListNotFound):
        user_lists.find(creator, "999999")


@pytest.mark.parametrize("change, message", [
    (lambda c: c["user_lists"].append({"id": 1001, "members": 1}), "appears twice"),
    (lambda c: c["user_lists"].append({"id": "vip", "members": 1}), "neither a positive integer"),
    (lambda c: c["user_lists"].append({"id": 1009, "members": 49, "from": 1001}), "wants 49 fans from 1001"),
    (lambda c: c["user_lists"].append({"id": 1009}), "needs members"),
    (lambda c: c["user_lists"].append({"id": 1009, "members": 1, "from": "nobody"}), "is drawn from nobody"),
    (lambda c: c["fans"].update(active=10), "list fans is the active fans"),
])
def test_bad_population_rules_are_refused(change, message):
    import yaml
    document = yaml.safe_load(Path("fixtures/default.yaml").read_text(encoding="utf-8"))
    change(document["creators"][0])
    with pytest.raises(fixtures.FixtureError, match=message):
        fixtures.check(document)


def test_fixtures_can_name_people_by_id_and_put_them_on_lists():
    import yaml
    document = yaml.safe_load(Path("fixtures/default.yaml").read_text(encoding="utf-8"))
    creator = document["creators"][0]
    creator["fans"]["people"] = [{"id": 500012345, "name": "Jordan Lee", "username": "jordanlee"},
                                 {"id": 500067890, "days_ago": 400, "active": False}]
    creator["user_lists"].append({"id": 1009, "name": "Named", "users": [500012345, 500067890]})
    world = World(fixtures.check(document), 7, NOW)
    found = world.creator(412000001)
    people = found.people
    jordan, sam = people.index_of(500012345), people.index_of("500067890")
    assert (jordan, sam) == (1550, 1551) and people.size == 1552
    assert world.fakes.person(500012345)["name"] == "Jordan Lee"
    assert members(found, 1009) == {500012345, 500067890} and 500012345 in members(found, "fans")
    assert 500067890 not in members(found, "fans")
    assert audience.resolve(found, (), (500067890, 5551), ()) == 1 << sam
    recent = audience.resolve(found, ("fans",), (), (), NOW - 2 * 86400)
    assert recent >> jordan & 1 and not recent >> sam & 1
    assert newest_first(found.user_list(1009).members, 0, 2) == [sam, jordan]
    creator["user_lists"].append({"id": 1010, "name": "Stranger", "users": [5551]})
    with pytest.raises(fixtures.FixtureError, match="5551, who is not a fan"):
        World(fixtures.check(document), 7, NOW)
    creator["user_lists"].pop()
    creator["fans"]["people"].append({"id": 500012345})
    with pytest.raises(fixtures.FixtureError, match="names an id twice"):
        World(fixtures.check(document), 7, NOW)


def test_list_ids_only_go_up():
    creator = World(fixtures.load("fixtures/default.yaml"), 7, NOW).creator(412000001)
    first = user_lists.create(creator, "One")
    user_lists.delete(creator, first.id)
    assert user_lists.create(creator, "Two").id == first.id + 1


def test_equal_audiences_share_one_bitmap(world):
    creator = world.creator(412000001)
    first = audience.resolve(creator, ("fans",), (), ("tagged",))
    again = audience.resolve(creator, ("fans",), (), ("tagged",))
    assert first == again and first is again
