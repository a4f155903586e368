"""Fans render from kept people and shared shapes: the same bytes as a fresh draw, never stale, never unbounded."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from emulator import create_app
from emulator.domain.clock import format_instant
from emulator.domain.fakes import PEOPLE_KEPT, Fakes, drawn_person
from emulator.render.fans import ONLYFANS_FAN, onlyfans_fan
from emulator.render.people import FULL_USER
from emulator.render.people import fan as full_user

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, SpecCheckingClient, creator_of

BASE = f"/api/{ACCOUNT}"
LARGE_OFAUTH = {"apiKey": "ofa_test_large_5a1e", "x-connection-id": "conn_large_main"}
# Every route that shows fans or buyers, both vendors, two pages each where they page.
FAN_ROUTES = [
    (f"{BASE}/user-lists/fans/users?limit=100", ONLYFANSAPI),
    (f"{BASE}/user-lists/1001/users?limit=20&offset=5", ONLYFANSAPI),
    (f"{BASE}/user-lists/following/users?limit=50&offset=200", ONLYFANSAPI),
    (f"{BASE}/fans/active?limit=20", ONLYFANSAPI),
    (f"{BASE}/fans/expired?limit=20&offset=20", ONLYFANSAPI),
    (f"{BASE}/fans/all?limit=20&query=an", ONLYFANSAPI),
    (f"{BASE}/fans/latest?limit=50", ONLYFANSAPI),
    ("/v2/access/users/lists/fans/users?limit=100", OFAUTH),
    ("/v2/access/users/lists/1003/users?limit=30&offset=10", OFAUTH),
    ("/v2/access/subscribers?type=all&limit=20", OFAUTH),
    ("/v2/access/subscribers?type=expired&limit=20&offset=40", OFAUTH),
]
# An OnlyFansAPI fan's keys as the emulator wrote them before its shape was shared (orjson keeps insertion order,
# so this is the order of the bytes); a buyer's full user object is the keys up to ``tipsTextEnabled``.
WIRE_ORDER = [
    "view", "id", "name", "username", "avatar", "avatarThumbs", "header", "headerSize", "headerThumbs", "displayName",
    "notice", "isVerified", "isActive", "isRestricted", "lastSeen", "canAddSubscriber", "canCommentStory", "canEarn",
    "canLookStory", "canPayInternal", "canReport", "canRestrict", "currentSubscribePrice", "subscribePrice",
    "hasNotViewedStory", "hasScheduledStream", "hasStories", "hasStream", "showMediaCount", "subscribedBy",
    "subscribedByAutoprolong", "subscribedByExpire", "subscribedByExpireDate", "subscribedIsExpiredNow",
    "subscribedOn", "subscribedOnDuration", "subscribedOnExpiredNow", "tipsEnabled", "tipsMax", "tipsMin",
    "tipsMinInternal", "tipsTextEnabled", "isPaywallRequired", "hideChat", "canReceiveChatMessage", "canTrialSend",
    "subscriptionBundles", "promoOffers", "listsStates", "subscribedByData", "subscribedOnData", "lastReplyAt",
]
USER_KEYS = WIRE_ORDER[:WIRE_ORDER.index("tipsTextEnabled") + 1]


def fresh_client() -> FlaskClient:
    """A new app on the default fixtures with the clock frozen, checking every response against the specs."""
    app = create_app({"clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    return app.test_client()


def buyer_routes(client: FlaskClient) -> list[tuple[str, dict[str, str]]]:
    """The buyers routes of both vendors for the first seeded messages that sold."""
    items = client.get(f"{BASE}/engagement/messages/mass-messages?limit=50", headers=ONLYFANSAPI).json["data"]["items"]
    sold = [item["id"] for item in items if item.get("purchasedCount", 0) > 3][:3]
    assert sold, "the default fixtures' history should have messages with buyers"
    return [route for message_id in sold for route in (
        (f"{BASE}/engagement/messages/{message_id}/buyers?limit=20", ONLYFANSAPI),
        (f"/v2/access/analytics/mass-messages/{message_id}/buyers?limit=20", OFAUTH))]


def bodies(client: FlaskClient) -> list[bytes]:
    """Every fan and buyer route's raw body, in a fixed order."""
    routes = FAN_ROUTES + buyer_routes(client)
    responses = [client.get(path, headers=headers) for path, headers in routes]
    assert all(response.status_code == 200 for response in responses)
    return [response.get_data() for response in responses]


def default_world(client: FlaskClient) -> Any:
    return client.application.extensions["emulator.sessions"].get("default").world


def first_fans(client: FlaskClient, count: int = 10) -> list[dict[str, Any]]:
    return client.get(f"{BASE}/user-lists/fans/users?limit={count}", headers=ONLYFANSAPI).json["data"]["list"]


def test_kept_people_are_the_people_a_fresh_draw_gives():
    drawn_person.cache_clear()
    ids = [300_000_000 + 7 * number for number in range(PEOPLE_KEPT + 300)]  # enough to evict the first ones
    fakes = Fakes(7)
    first = [fakes.person(user_id) for user_id in ids]
    again = [fakes.person(user_id) for user_id in reversed(ids)][::-1]
    fresh = [drawn_person.__wrapped__(7, user_id) for user_id in ids]
    assert first == again == fresh
    assert drawn_person.cache_info().hits > 0
    assert Fakes(8).person(ids[0]) != first[0]  # another seed is another person, though the ids are kept


def test_every_fan_route_gives_the_same_bytes_with_cold_and_warm_people():
    drawn_person.cache_clear()
    cold = bodies(fresh_client())
    misses = drawn_person.cache_info().misses
    warm = bodies(fresh_client())
    assert drawn_person.cache_info().misses == misses  # the second app drew nobody: all came from the cache
    assert cold == warm


def test_an_onlyfansapi_fan_fills_every_key_of_its_shape_with_the_fan(client):
    creator, world = creator_of(client), default_world(client)
    people = creator.people
    now = 1_795_521_600.0
    for index in range(0, people.size, 37):
        fan = people.fan(index, now)
        rendered = onlyfans_fan(creator, fan, world.fakes)
        person = drawn_person.__wrapped__(world.seed, fan.id)
        assert list(rendered) == WIRE_ORDER
        assert (rendered["id"], rendered["name"], rendered["username"], rendered["avatar"]) == (
            fan.id, person["name"], person["username"], person["avatar"])
        assert rendered["avatarThumbs"]["c50"] == person["avatar"].replace("avatar.jpg", "50x50_avatar.jpg")
        assert rendered["lastSeen"] == format_instant(fan.last_seen)
        assert (rendered["view"], rendered["isActive"], rendered["subscribedOn"]) == ("x", fan.active, fan.active)
        assert rendered["subscribePrice"] == fan.price and rendered["canTrialSend"] is (not fan.active)
        shown = [state["id"] for state in rendered["listsStates"]]
        assert shown == [str(found.id) for found in creator.user_lists.values() if found.members >> index & 1]


def test_fans_and_buyers_keep_the_wire_key_order_and_share_nothing_mutable(client):
    assert list(first_fans(client)[0]) == WIRE_ORDER
    buyers = client.get(buyer_routes(client)[0][0], headers=ONLYFANSAPI).json["data"]["list"]
    assert buyers and all(list(buyer) == USER_KEYS for buyer in buyers)
    assert list(FULL_USER) == USER_KEYS and list(ONLYFANS_FAN) == WIRE_ORDER
    shared = [key for key, value in {**FULL_USER, **ONLYFANS_FAN}.items() if isinstance(value, (dict, list, set))]
    assert shared == []
    world = default_world(client)
    one, two = full_user(world.fakes, 412000001, 0.0), full_user(world.fakes, 412000001, 0.0)
    assert one == two and one["avatarThumbs"] is not two["avatarThumbs"]
    creator, fan = creator_of(client), creator_of(client).people.fan(3, 1_795_521_600.0)
    first, second = onlyfans_fan(creator, fan, world.fakes), onlyfans_fan(creator, fan, world.fakes)
    for key in ("subscriptionBundles", "promoOffers", "listsStates", "subscribedOnData", "avatarThumbs"):
        assert first[key] is not second[key]


def test_list_changes_show_on_the_next_page(client):
    fans = first_fans(client)
    target = fans[4]["id"]
    before = {state["id"] for state in fans[4]["listsStates"]}
    created = client.post("/v2/access/users/lists", json={"name": "Cache check"}, headers=OFAUTH).json["id"]
    client.post(f"/v2/access/users/lists/{created}/users/{target}", headers=OFAUTH)
    after = {state["id"] for state in first_fans(client)[4]["listsStates"]}
    assert after == before | {str(created)}
    client.delete(f"{BASE}/user-lists/{created}/users/{target}", headers=ONLYFANSAPI)
    assert {state["id"] for state in first_fans(client)[4]["listsStates"]} == before
    client.put(f"{BASE}/user-lists/{created}", json={"name": "Renamed list", "isPinnedToFeed": False},
               headers=ONLYFANSAPI)
    client.post(f"{BASE}/user-lists/{created}/users", json={"ids": [target]}, headers=ONLYFANSAPI)
    names = [state["name"] for state in first_fans(client)[4]["listsStates"]]
    assert "Renamed list" in names and "Cache check" not in names


def test_notes_custom_names_and_discounts_show_on_the_next_page(client):
    target = first_fans(client)[2]["id"]
    client.put(f"/v2/access/subscribers/{target}/note", json={"notice": "Tips on Fridays"}, headers=OFAUTH)
    client.put(f"/v2/access/subscribers/{target}/custom-name", json={"displayName": "Friday"}, headers=OFAUTH)
    client.put(f"/v2/access/subscribers/{target}/discount", json={"discount": 25, "period": 2}, headers=OFAUTH)
    shown = first_fans(client)[2]
    assert (shown["notice"], shown["displayName"]) == ("Tips on Fridays", "Friday")
    assert shown["subscribedOnData"]["discountPercent"] == 25 and shown["subscribedOnData"]["discountPeriod"] == 2
    subscriber = next(entry for entry in client.get("/v2/access/subscribers?limit=20", headers=OFAUTH).json["list"]
                      if entry["id"] == target)
    assert subscriber["displayName"] == "Friday" and subscriber["subscription"]["discountPercent"] == 25
    client.put(f"{BASE}/fans/{target}/custom-name", json={"custom_name": "Saturday"}, headers=ONLYFANSAPI)
    assert first_fans(client)[2]["displayName"] == "Saturday"
    client.put(f"{BASE}/fans/{target}/custom-name", json={"custom_name": None}, headers=ONLYFANSAPI)
    client.put(f"/v2/access/subscribers/{target}/note", json={"notice": ""}, headers=OFAUTH)
    assert (first_fans(client)[2]["displayName"], first_fans(client)[2]["notice"]) == ("", "")


def test_a_rename_shows_at_once_in_every_route_and_in_no_other_session(client):
    fans = first_fans(client, 3)
    target, drawn = fans[1]["id"], fans[1]["name"]
    default_world(client).fakes.name(target, "Renamed Person", "renamedperson")
    shown = first_fans(client, 3)[1]
    assert (shown["name"], shown["username"]) == ("Renamed Person", "renamedperson")
    ofauth = client.get("/v2/access/users/lists/fans/users?limit=3", headers=OFAUTH).json["list"][1]
    subscribers = client.get("/v2/access/subscribers?type=active&limit=3", headers=OFAUTH).json["list"]
    assert ofauth["name"] == next(entry for entry in subscribers if entry["id"] == target)["name"] == "Renamed Person"
    other = client.get(f"{BASE}/user-lists/fans/users?limit=3", headers={**ONLYFANSAPI, "X-Emulator-Session": "other"})
    assert other.json["data"]["list"][1]["name"] == drawn  # the kept people are shared; a rename is not


def test_a_fixture_name_wins_over_a_kept_draw(tmp_path: Path):
    document = yaml.safe_load(Path("fixtures/default.yaml").read_text(encoding="utf-8"))
    document["creators"][0]["fans"]["people"] = [{"id": 500012345, "name": "Jordan Lee", "username": "jordanlee"}]
    (tmp_path / "named.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    drawn = drawn_person(7, 500012345)  # kept before the app names them
    app = create_app({"fixtures": str(tmp_path / "named.yaml"), "seed": 7, "clock_start": NOW, "clock_frozen": True})
    newest = app.test_client().get(f"{BASE}/user-lists/fans/users?limit=1", headers=ONLYFANSAPI).json["data"]["list"]
    assert (newest[0]["id"], newest[0]["name"], newest[0]["username"]) == (500012345, "Jordan Lee", "jordanlee")
    assert newest[0]["avatar"] == drawn["avatar"] and drawn_person(7, 500012345)["name"] == drawn["name"]


def test_the_kept_people_stay_bounded_however_many_fans_are_shown():
    drawn_person.cache_clear()
    app = create_app({"fixtures": "large", "clock_start": NOW, "clock_frozen": True})
    client = app.test_client()
    shown: set[int] = set()
    for offset in range(0, PEOPLE_KEPT + 1000, 100):
        page = client.get(f"/v2/access/users/lists/fans/users?limit=100&offset={offset}", headers=LARGE_OFAUTH)
        shown.update(member["id"] for member in page.json["list"])
        assert drawn_person.cache_info().currsize <= PEOPLE_KEPT
    assert len(shown) > PEOPLE_KEPT and drawn_person.cache_info().currsize == PEOPLE_KEPT


@pytest.mark.parametrize("user_id, other", [(5, 5.0), (1, True)])
def test_ids_equal_in_python_but_written_differently_are_drawn_apart(user_id, other):
    assert drawn_person(7, user_id) == drawn_person.__wrapped__(7, user_id)
    assert drawn_person(7, other) == drawn_person.__wrapped__(7, other) != drawn_person(7, user_id)
