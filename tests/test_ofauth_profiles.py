"""OFAuth's user lookups: ``/v2/access/self``, ``/v2/access/users/{userId}`` and ``/v2/access/users/list``,
through the Flask test client and through the official SDK against a live emulator."""
from __future__ import annotations

import pytest
import yaml

from emulator import create_app, resources
from emulator.domain import fixtures, profiles
from emulator.domain.people import Fan
from emulator.domain.world import World

from . import test_sdk_surface
from .conftest import NOW, OFAUTH, ROOT, creator_of

onlyfans_sdk = pytest.importorskip("onlyfans_sdk")
from onlyfans_sdk import (
    OFAuthClient,
    OFAuthError,
    account,
    models,
    subscribers,
    user_lists,
    users,
)
from onlyfans_sdk import self as own

# The live-server fixtures of the SDK surface test: a fresh emulator session and the OFAuth SDK's client on it.
session, ofauth = test_sdk_surface.session, test_sdk_surface.ofauth

USERS = "/v2/access/users"
READONLY = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}
EXPIRED = {**OFAUTH, "x-connection-id": "conn_emulator_expired"}
SECOND = {**OFAUTH, "x-connection-id": "conn_emulator_second"}
CREATOR = 412000001


def subscriber(client, kind: str = "active", offset: int = 0) -> dict:
    """One of the creator's fans as the subscribers route shows them."""
    return client.get(f"/v2/access/subscribers?type={kind}&limit=1&offset={offset}", headers=OFAUTH).json["list"][0]


def member(client, list_id: str | int) -> dict:
    """The newest member of one of the creator's lists."""
    return client.get(f"{USERS}/lists/{list_id}/users?limit=1", headers=OFAUTH).json["list"][0]


def strict(profile: dict) -> dict:
    """A profile as the SDK's Python model can hold it: that model marks nothing nullable, while sdk-ts (which
    the contract follows) lets an unrenewed fan's ``renewedAt``, the discount dates and a renewing fan's ``status``
    be null. A subscription holding a null is left out, so that every other field is still checked."""
    data = profile.get("subscribedOnData")
    if data is None or None not in data.values():
        return profile
    return {**profile, "subscribedOnData": None}


def test_self_is_the_connections_creator_with_its_counts(client):
    body = client.get("/v2/access/self", headers=OFAUTH).json
    creator = creator_of(client)
    assert body == {"id": CREATOR, "username": "miarivers", "name": "Mia Rivers", "isAuth": True, "isVerified": True,
                    "avatar": creator.avatar, "subscribersCount": 1240, "postsCount": 8, "photosCount": 4,
                    "videosCount": 2}
    models.V2AccessSelfGetResponse1.model_validate(body)
    assert client.get("/v2/access/self", headers=SECOND).json["id"] == 412000002


def test_quickstart_checks_the_key_then_reads_self(client):
    who = client.get("/v2/account/whoami", headers={"apiKey": OFAUTH["apiKey"]}).json
    assert "profile:read" in who["permissions"]
    connection = client.get("/v2/account/connections", headers={"apiKey": OFAUTH["apiKey"]}).json["list"][0]
    me = client.get("/v2/access/self", headers={**OFAUTH, "x-connection-id": connection["id"]}).json
    assert str(me["id"]) == connection["userData"]["id"] and me["username"] == connection["userData"]["username"]


def test_a_fan_by_id_carries_the_subscription_and_the_lists(client):
    vip = member(client, 1001)
    profile = client.get(f"{USERS}/{vip['id']}", headers=OFAUTH).json
    people = creator_of(client).people
    shown = people.fan(people.index_of(vip["id"]), client.get("/_emulator/clock").json["epoch"])
    assert (profile["id"], profile["username"], profile["name"]) == (vip["id"], vip["username"], vip["name"])
    assert profile["subscribedOn"] is True and profile["subscribedOnExpiredNow"] is False
    data = profile["subscribedOnData"]
    assert data["price"] == shown.price and data["totalSumm"] == shown.spent and data["unsubscribeReason"] == ""
    assert {"id": 1001, "type": "custom", "name": "VIP"} in profile["lists"]
    assert {"id": "fans", "type": "fans", "name": "Fans"} in profile["lists"]
    assert "listsStates" not in profile and "subscribedByData" not in profile
    models.V2AccessUsersUserIdGetResponse1.model_validate(strict(profile))


def test_a_fan_agrees_with_the_subscribers_route(client):
    listed = subscriber(client, offset=3)
    profile = client.get(f"{USERS}/{listed['id']}", headers=OFAUTH).json
    subscription = listed["subscription"]
    assert profile["subscribedOnData"]["subscribeAt"] == subscription["subscribedAt"]
    assert profile["subscribedOnData"]["expiredAt"] == subscription["expiresAt"]
    assert profile["subscribedOnData"]["renewedAt"] == subscription["renewedAt"]
    assert [entry["id"] for entry in profile["lists"]] == [entry["id"] for entry in listed["lists"]]
    assert profile["lastSeen"] == listed["lastSeen"] and profile["avatar"] == listed["avatar"]


def test_a_fan_by_username_is_the_same_profile_in_any_case(client):
    fan = subscriber(client, offset=7)
    by_id = client.get(f"{USERS}/{fan['id']}", headers=OFAUTH).get_data()
    assert client.get(f"{USERS}/{fan['username']}", headers=OFAUTH).get_data() == by_id
    assert client.get(f"{USERS}/{fan['username'].upper()}", headers=OFAUTH).get_data() == by_id


def test_the_creator_is_found_by_id_and_by_username(client):
    by_id = client.get(f"{USERS}/{CREATOR}", headers=OFAUTH).json
    assert client.get(f"{USERS}/MiaRivers", headers=OFAUTH).json == by_id
    assert (by_id["id"], by_id["username"], by_id["lists"]) == (CREATOR, "miarivers", [])
    assert by_id["subscribedOn"] is False and by_id["isPerformer"] is True and "subscribedOnData" not in by_id
    assert (by_id["subscribersCount"], by_id["photosCount"], by_id["videosCount"]) == (1240, 4, 2)
    models.V2AccessUsersUserIdGetResponse1.model_validate(by_id)


def test_an_expired_fan_is_found_with_the_ended_subscription(client):
    fan = subscriber(client, "expired")
    profile = client.get(f"{USERS}/{fan['id']}", headers=OFAUTH).json
    assert profile["subscribedOn"] is False and profile["subscribedOnExpiredNow"] is True
    assert profile["subscribedOnData"]["status"] == "cancelled"
    assert profile["subscribedOnData"]["expiredAt"] == fan["subscription"]["expiresAt"]
    assert all(entry["id"] != "fans" for entry in profile["lists"])


def test_a_named_fixture_person_is_found_by_the_fixtures_username():
    document = yaml.safe_load((ROOT / "fixtures" / "default.yaml").read_text(encoding="utf-8"))
    document["creators"][0]["fans"]["people"] = [{"id": 500012345, "name": "Jordan Lee", "username": "JordanLee"},
                                                 {"id": 500067890, "days_ago": 400, "active": False}]
    world = World(fixtures.check(document), 7, 1_795_521_600.0)
    creator = world.creator(CREATOR)
    jordan = profiles.find(creator, world.fakes, "jordanlee", 1_795_521_600.0)
    assert isinstance(jordan, Fan) and jordan.id == 500012345 and jordan.active
    seeded_name = world.fakes.person(500067890)["username"]
    assert profiles.find(creator, world.fakes, seeded_name, 1_795_521_600.0).id == 500067890


def test_a_shared_username_finds_a_named_person_first_then_the_lowest_id():
    document = fixtures.load(resources.bundled("fixtures")["large"])
    world = World(document, 20261124, 1_795_521_600.0)
    creator, fakes = world.creator(412000101), world.fakes
    people, first_seen = creator.people, {}
    for index in range(people.seeded):  # the seed gives some usernames twice; find the first pair
        username = fakes.person(people.id_of(index))["username"]
        if username in first_seen:
            break
        first_seen[username] = index
    assert profiles.find(creator, fakes, username, 1_795_521_600.0).index == first_seen[username] < index
    document = yaml.safe_load((ROOT / "fixtures" / "default.yaml").read_text(encoding="utf-8"))
    document["creators"][0]["fans"]["people"] = [{"id": 500012345, "username": username}]
    world = World(fixtures.check(document), 7, 1_795_521_600.0)
    assert profiles.find(world.creator(CREATOR), world.fakes, username, 1_795_521_600.0).id == 500012345


def test_every_fan_is_found_by_the_username_the_seed_gave_them(client):
    creator, fakes = creator_of(client), client.application.extensions["emulator.sessions"].get("default").world.fakes
    people = creator.people
    for index in range(people.size):
        username = fakes.person(people.id_of(index))["username"]
        found = profiles.find(creator, fakes, username, 1_795_521_600.0)
        assert fakes.person(found.id)["username"] == username, username


@pytest.mark.parametrize("reference", [
    "412000002",  # another creator of the world, not a fan of this one
    "5551", "0", "nobody", "miarivers2", "elizabeths297x"])
def test_anyone_but_the_creator_and_their_fans_is_not_found(client, reference):
    answer = client.get(f"{USERS}/{reference}", headers=OFAUTH)
    assert answer.status_code == 404 and answer.json["type"] == "RESOURCE_NOT_FOUND"
    assert answer.json["requestId"].startswith("req_") and reference in answer.json["error"]


def test_a_fan_of_another_creator_is_not_found(client):
    theirs = client.get("/v2/access/subscribers?limit=1", headers=SECOND).json["list"][0]
    assert client.get(f"{USERS}/{theirs['id']}", headers=SECOND).status_code == 200
    assert client.get(f"{USERS}/{theirs['id']}", headers=OFAUTH).status_code == 404
    assert client.get(f"{USERS}/{theirs['username']}", headers=OFAUTH).status_code == 404


@pytest.mark.parametrize("reference", [
    "..", "%2e%2e", "9" * 5000, "99999999999999999999", "412000001.0", "-412000001", "+412000001", " 412000001",
    "４１２０００００１", "²", "%F0%9F%94%A5", "%00", "%C0%AE", "a" * 300, "miarivers%20", "mia%0Arivers",
    "%EF%BF%BD",
    "ǅ" * 40, "%2F", "%2F%2E%2E"])
def test_odd_path_values_are_not_found_never_a_500(client, reference):
    answer = client.get(f"{USERS}/{reference}", headers=OFAUTH)
    assert answer.status_code == 404 and answer.json["type"] in ("RESOURCE_NOT_FOUND", "ROUTE_NOT_FOUND")
    assert len(answer.json["error"]) < 300


def test_several_users_by_repeated_and_comma_separated_ids(client):
    first, second = subscriber(client, offset=1), subscriber(client, "expired")
    repeated = client.get(f"{USERS}/list?userIds={second['id']}&userIds={CREATOR}&userIds={first['id']}",
                          headers=OFAUTH)
    comma = client.get(f"{USERS}/list?userIds={second['id']},{CREATOR}, {first['id']}", headers=OFAUTH)
    mixed = client.get(f"{USERS}/list?userIds={second['id']},{CREATOR}&userIds={first['id']}", headers=OFAUTH)
    assert repeated.status_code == 200 and repeated.get_data() == comma.get_data() == mixed.get_data()
    found = repeated.json["users"]
    assert [user["id"] for user in found] == [second["id"], CREATOR, first["id"]]
    one = client.get(f"{USERS}/{second['id']}", headers=OFAUTH).json
    assert found[0] == one
    models.V2AccessUsersListGetResponse.model_validate({"users": [strict(user) for user in found]})


def test_unknown_ids_are_left_out_and_repeats_shown_once(client):
    fan = subscriber(client)
    theirs = client.get("/v2/access/subscribers?limit=1", headers=SECOND).json["list"][0]["id"]
    body = client.get(f"{USERS}/list?userIds=5551,{fan['id']},{theirs},{fan['id']},412000002,"
                      "99999999999999999", headers=OFAUTH).json
    assert [user["id"] for user in body["users"]] == [fan["id"]]
    assert client.get(f"{USERS}/list?userIds=5551", headers=OFAUTH).json == {"users": []}


def test_ten_ids_are_taken(client):
    ids = [member["id"] for member in client.get(f"{USERS}/lists/fans/users?limit=10", headers=OFAUTH).json["list"]]
    body = client.get(f"{USERS}/list?userIds={','.join(map(str, ids))}", headers=OFAUTH).json
    assert [user["id"] for user in body["users"]] == ids


@pytest.mark.parametrize(("query", "field"), [
    ("", "userIds"), ("userIds=", "userIds.0"), ("userId=412000001", "userIds"),
    ("userIds=" + ",".join(str(n) for n in range(1, 12)), "userIds"),
    ("&".join(f"userIds={n}" for n in range(1, 12)), "userIds"),
    ("userIds=1,2,3,4,5,6&userIds=7,8,9,10,11", "userIds"),
    ("userIds=miarivers", "userIds.0"), ("userIds=0", "userIds.0"), ("userIds=1.5", "userIds.0"),
    ("userIds=-3", "userIds.0"), ("userIds=" + "9" * 30, "userIds.0"), ("userIds=%EF%BC%91", "userIds.0"),
    ("userIds=412000001,,1", "userIds.1")])
def test_no_ids_more_than_ten_or_a_non_id_are_refused(client, query, field):
    answer = client.get(f"{USERS}/list?{query}", headers=OFAUTH)
    assert answer.status_code == 400 and answer.json["type"] == "BAD_REQUEST"
    assert answer.json["details"][0]["field"] == field and answer.json["error"].startswith("Invalid query: ")


@pytest.mark.parametrize("path", ["/v2/access/self", f"{USERS}/{CREATOR}", f"{USERS}/list?userIds={CREATOR}"])
def test_the_routes_need_profile_read_and_a_live_connection(client, path):
    refused = client.get(path, headers=READONLY)
    assert refused.status_code == 403 and refused.json["type"] == "FORBIDDEN"
    assert "profile:read" in refused.json["error"]
    expired = client.get(path, headers=EXPIRED)
    assert expired.status_code == 401 and expired.json["type"] == "SESSION_EXPIRED"
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"apiKey": OFAUTH["apiKey"]}).json["type"] == "SESSION_NOT_PROVIDED"


def test_the_literal_paths_win_over_a_user_id(client):
    lists = client.get(f"{USERS}/lists", headers=OFAUTH)
    assert lists.status_code == 200 and lists.json["list"][0]["id"] == "fans"
    assert client.get(f"{USERS}/list", headers=OFAUTH).status_code == 400  # not a user named "list"


def test_each_lookup_spends_a_token_and_answers_under_a_session_prefix(client):
    first = client.get("/v2/access/self", headers=OFAUTH)
    second = client.get(f"{USERS}/list?userIds={CREATOR}", headers=OFAUTH)
    assert int(second.headers["X-RateLimit-Remaining"]) == int(first.headers["X-RateLimit-Remaining"]) - 1
    assert client.get("/s/other/v2/access/self", headers=OFAUTH).json["id"] == CREATOR
    paths = [entry["path"] for entry in client.get("/s/other/_emulator/requests").json["requests"]]
    assert paths == ["/v2/access/self"]


def test_fault_rules_name_the_lookups_by_operation(client):
    client.post("/_emulator/faults", json={"match": {"route": "get_user"}, "respond": {"status": 503}, "times": 1})
    assert client.get(f"{USERS}/{CREATOR}", headers=OFAUTH).status_code == 503
    assert client.get(f"{USERS}/{CREATOR}", headers=OFAUTH).status_code == 200
    for route, path in (("get_self", "/v2/access/self"), ("list_users", f"{USERS}/list?userIds={CREATOR}")):
        client.post("/_emulator/faults", json={"match": {"route": route}, "respond": {"status": 429}, "times": 1})
        assert client.get(path, headers=OFAUTH).json["type"] == "RATE_LIMIT_EXCEEDED"


def transcript(seed: int) -> list[bytes]:
    """The three lookups on a fresh app with ``seed``, as raw bodies."""
    client = create_app({"seed": seed, "clock_start": NOW, "clock_frozen": True}).test_client()
    fans = client.get(f"{USERS}/lists/1002/users?limit=3", headers=OFAUTH).json["list"]
    ids = ",".join(str(fan["id"]) for fan in fans)
    return [client.get(path, headers=OFAUTH).get_data() for path in (
        "/v2/access/self", f"{USERS}/{fans[0]['id']}", f"{USERS}/{fans[1]['username']}", f"{USERS}/list?userIds={ids}",
        f"{USERS}/nobody")]


def test_the_same_seed_gives_the_same_bytes():
    first = transcript(7)
    assert first == transcript(7)
    assert first[1] != transcript(8)[1]


# Through the official SDK, against a live emulator.

def test_sdk_quickstart_whoami_then_self(ofauth):
    who = account.whoami(ofauth)
    assert "profile:read" in who["permissions"]
    me = own.list_selfs(ofauth)
    models.V2AccessSelfGetResponse1.model_validate(me)
    connections = account.list_connections(ofauth)["list"]
    connection = next(entry for entry in connections if entry["id"] == "conn_emulator_main")
    assert str(me["id"]) == connection["userData"]["id"] and me["isAuth"] is True


def test_sdk_gets_users_by_id_and_username(ofauth):
    # A fan with every date set (renewed, discounted, auto-renew off), so the SDK's model reads every field.
    candidates = user_lists.list_users_lists_users(ofauth, "rebill_off", limit=40)["list"]
    profile = next(found for candidate in candidates
                   if (found := users.get_users(ofauth, str(candidate["id"])))["subscribedOnData"]["renewedAt"])
    subscribers.set_discount(ofauth, str(profile["id"]), {"discount": 20, "period": 2})
    profile = users.get_users(ofauth, str(profile["id"]))
    assert None not in profile["subscribedOnData"].values() and profile["subscribedOnData"]["discountPercent"] == 20
    models.V2AccessUsersUserIdGetResponse1.model_validate(profile)
    assert users.get_users(ofauth, profile["username"]) == profile
    creator = users.get_users(ofauth, "miarivers")
    models.V2AccessUsersUserIdGetResponse1.model_validate(creator)
    assert creator["id"] == CREATOR
    with pytest.raises(OFAuthError) as missing:
        users.get_users(ofauth, "5551")
    assert missing.value.status == 404


def test_sdk_lists_users_by_ids(ofauth):
    fans = [entry["id"] for entry in user_lists.list_users_lists_users(ofauth, "1001", limit=3)["list"]]
    as_list = users.list_lists(ofauth, [str(fan) for fan in fans] + ["5551"])
    as_text = users.list_lists(ofauth, ",".join(str(fan) for fan in fans))
    assert as_list == as_text and [user["id"] for user in as_list["users"]] == fans
    models.V2AccessUsersListGetResponse.model_validate({"users": [strict(user) for user in as_list["users"]]})
    for refused in ([], [str(n) for n in range(1, 12)]):
        with pytest.raises(OFAuthError) as error:
            users.list_lists(ofauth, refused)
        assert error.value.status == 400


def test_sdk_key_without_profile_read_is_refused(server, session):
    client = OFAuthClient(api_key=READONLY["apiKey"], connection_id=READONLY["x-connection-id"],
                          base_url=server.base_url)
    client._client.headers["X-Emulator-Session"] = session[0]
    try:
        for call in (lambda: own.list_selfs(client), lambda: users.get_users(client, str(CREATOR)),
                     lambda: users.list_lists(client, [str(CREATOR)])):
            with pytest.raises(OFAuthError) as refused:
                call()
            assert refused.value.status == 403
    finally:
        client.close()
