"""OFAuth's user lists, subscribers and account routes over the population, with the vendor's limits."""
from __future__ import annotations

import pytest

from .conftest import OFAUTH, create

LISTS = "/v2/access/users/lists"
READONLY = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}


def members(client, list_id) -> list[int]:
    """Every member of a list, read through the members route page by page."""
    found, offset = [], 0
    while True:
        page = client.get(f"{LISTS}/{list_id}/users?limit=100&offset={offset}", headers=OFAUTH).json
        found += [user["id"] for user in page["list"]]
        if not page["hasMore"]:
            return found
        offset = page["nextOffset"]


def test_lists_are_listed_system_first_with_sizes(client):
    body = client.get(f"{LISTS}?limit=100", headers=OFAUTH).json
    assert [(entry["id"], entry["type"], entry["usersCount"]) for entry in body["list"]] == [
        ("fans", "fans", 1240), ("following", "following", 312), ("recent", "recent", 86),
        ("rebill_off", "rebill_off", 97), ("tagged", "tagged", 14), (1001, "custom", 48), (1002, "custom", 19),
        (1003, "custom", 120)]
    assert body["hasMore"] is False
    fans, vip = body["list"][0], body["list"][5]
    assert fans["canUpdate"] is fans["canAddUsers"] is False and vip["canDelete"] is vip["canManageUsers"] is True
    assert [user["id"] for user in vip["users"]] == members(client, 1001)[:3]


def test_lists_page_and_search_by_name(client):
    first = client.get(f"{LISTS}?limit=2", headers=OFAUTH).json
    second = client.get(f"{LISTS}?limit=2&offset=2", headers=OFAUTH).json
    assert [entry["id"] for entry in first["list"] + second["list"]] == ["fans", "following", "recent", "rebill_off"]
    assert first["hasMore"] is True
    assert [entry["name"] for entry in client.get(f"{LISTS}?query=vi", headers=OFAUTH).json["list"]] == ["VIP"]


def test_members_page_newest_first_without_repeats(client):
    everyone = members(client, "fans")
    assert len(everyone) == len(set(everyone)) == 1240
    page = client.get(f"{LISTS}/fans/users?limit=5&offset=1237", headers=OFAUTH).json
    assert [user["id"] for user in page["list"]] == everyone[1237:] and page["hasMore"] is False
    subscribers = client.get("/v2/access/subscribers?type=active&limit=20", headers=OFAUTH).json["list"]
    assert [fan["id"] for fan in subscribers] == everyone[:20]
    dates = [fan["subscription"]["subscribedAt"] for fan in subscribers]
    assert dates == sorted(dates, reverse=True)


def test_audience_is_set_arithmetic_over_the_listed_members(client):
    fans, vip, tagged = set(members(client, "fans")), set(members(client, 1001)), set(members(client, "tagged"))
    following = set(members(client, "following"))
    assert vip <= fans and following - fans  # following holds expired fans too
    outsider = min(following - fans)
    receipt = create(client, userLists=["fans", 1001], userIds=[outsider, 5551], excludeUserLists=["tagged"]).json
    assert receipt["total"] == len((fans | vip | {outsider}) - tagged)
    only_following = create(client, userLists=["following"], excludeUserLists=["fans"]).json
    assert only_following["total"] == len(following - fans)
    nobody = create(client, userLists=["fans"], subscribedAfterDate="2031-01-01T00:00:00Z").json
    assert nobody["total"] == 0 and nobody["pending"] == 0
    recent = create(client, userLists=["fans"], subscribedAfterDate="2026-11-01T00:00:00Z").json
    joined, offset = [], 0
    while True:
        page = client.get(f"/v2/access/subscribers?type=latest&startDate=2026-11-01T00:00:00Z&limit=20"
                          f"&offset={offset}", headers=OFAUTH).json
        joined += [fan["id"] for fan in page["list"] if fan["subscription"]["isActive"]]
        offset += len(page["list"])
        if not page["hasMore"]:
            break
    assert recent["total"] == len(set(joined) & fans) == len(joined) > 20


def test_buyers_are_recipients(client):
    sent = create(client, userLists=["fans"], excludeUserLists=[1001], text="PPV", mediaItems=[4100000001],
                  price=9.99).json
    client.post("/_emulator/clock", json={"advance": 3 * 86400})
    bought, marker = [], 0
    while True:
        page = client.get(f"/v2/access/analytics/mass-messages/{sent['id']}/buyers?limit=20&marker={marker}",
                          headers=OFAUTH).json
        bought += [buyer["id"] for buyer in page["list"]]
        if not page["hasMore"]:
            break
        marker = page["nextMarker"]
    recipients = set(members(client, "fans")) - set(members(client, 1001))
    assert len(bought) > 20 and set(bought) <= recipients and len(set(bought)) == len(bought)


def test_create_rename_fill_and_delete_a_list(client):
    created = client.post(LISTS, json={"name": "Weekend"}, headers=OFAUTH).json
    assert created["id"] == 1004 and created["usersCount"] == 0 and created["type"] == "custom"
    fans = members(client, "fans")
    added = client.post(f"{LISTS}/1004/users/{fans[0]}", headers=OFAUTH).json
    assert added["userState"]["hasUser"] is True and added["list"]["usersCount"] == 1
    assert client.post(f"{LISTS}/1004/users/{fans[0]}", headers=OFAUTH).json["list"]["usersCount"] == 1
    many = client.post(f"/v2/access/users/{fans[1]}/lists", json={"listIds": [1004, 1001, 999]}, headers=OFAUTH).json
    assert many["success"] == [{"listId": 1004, "success": True}, {"listId": 1001, "success": True}]
    assert many["errors"][0]["listId"] == 999
    assert members(client, 1004) == sorted(fans[:2], reverse=True)
    left = client.delete(f"{LISTS}/1004/users/{fans[0]}", headers=OFAUTH).json
    assert [user["id"] for user in left["list"]] == [fans[1]]
    renamed = client.patch(f"{LISTS}/1004", json={"name": "Weekend VIP"}, headers=OFAUTH).json
    assert renamed["name"] == "Weekend VIP"
    assert client.delete(f"{LISTS}/1004", headers=OFAUTH).json == {}
    assert client.get(f"{LISTS}/1004", headers=OFAUTH).status_code == 404
    assert create(client, userLists=[1004]).status_code == 400


@pytest.mark.parametrize("method, path, body, status", [
    ("post", LISTS, {"name": ""}, 400), ("post", LISTS, {"name": "x" * 101}, 400), ("post", LISTS, {}, 400),
    ("post", LISTS, {"name": 5}, 400), ("patch", f"{LISTS}/fans", {"name": "Mine"}, 400),
    ("delete", f"{LISTS}/recent", None, 400), ("delete", f"{LISTS}/424242", None, 404),
    ("get", f"{LISTS}/nope/users", None, 404), ("post", f"{LISTS}/fans/users/1", None, 400),
    ("post", f"{LISTS}/1001/users/5551", None, 400), ("post", "/v2/access/users/1/lists", {"listIds": []}, 400),
    ("post", "/v2/access/users/1/lists", {"listIds": [1, 2, 3, 4, 5, 6]}, 400),
    ("post", "/v2/access/users/1/lists", {"listIds": ["fans"]}, 400),
    ("get", f"{LISTS}?limit=0", None, 400), ("get", f"{LISTS}?limit=101", None, 400),
    ("get", f"{LISTS}/fans/users?offset=-1", None, 400), ("get", "/v2/access/subscribers?type=vip", None, 400),
    ("get", "/v2/access/subscribers?latestType=old", None, 400),
    ("get", "/v2/access/subscribers?startDate=2026-11-02T00:00:00Z&endDate=2026-11-01T00:00:00Z", None, 400),
])
def test_bad_requests_answer_the_vendor_error_and_change_nothing(client, method, path, body, status):
    before = client.get(f"{LISTS}?limit=100", headers=OFAUTH).json
    response = getattr(client, method)(path, json=body, headers=OFAUTH)
    assert response.status_code == status, response.json
    assert response.json["type"] == {400: "BAD_REQUEST", 404: "RESOURCE_NOT_FOUND"}[status]
    assert client.get(f"{LISTS}?limit=100", headers=OFAUTH).json == before


def test_permissions_are_checked_per_route(client):
    for path in (LISTS, "/v2/access/subscribers"):
        response = client.get(path, headers=READONLY)
        assert response.status_code == 403 and response.json["type"] == "FORBIDDEN"
    assert "lists:read" in response.json["error"] or "subscribers:read" in response.json["error"]


def test_subscribers_cap_pages_at_twenty_and_filter(client):
    body = client.get("/v2/access/subscribers?limit=100", headers=OFAUTH).json
    assert len(body["list"]) == 20 and body["hasMore"] is True
    expired = client.get("/v2/access/subscribers?type=expired&limit=20", headers=OFAUTH).json["list"]
    assert expired and all(fan["subscription"]["isExpired"] for fan in expired)
    name = body["list"][3]["name"].split()[0]
    found = client.get(f"/v2/access/subscribers?query={name}&limit=20", headers=OFAUTH).json["list"]
    assert found and all(name.lower() in fan["name"].lower() for fan in found)
    spenders = client.get("/v2/access/subscribers?filter[total_spent]=200&limit=20", headers=OFAUTH).json["list"]
    assert spenders and all(fan["spending"]["total"] >= 200 for fan in spenders)
    odd = client.get("/v2/access/subscribers?filter=%5Bobject+Object%5D&limit=3", headers=OFAUTH)
    assert odd.status_code == 200 and len(odd.json["list"]) == 3


def test_account_routes_need_only_the_key(client):
    whoami = client.get("/v2/account/whoami", headers={"apiKey": OFAUTH["apiKey"]}).json
    assert whoami["name"] == "Rivers Creative" and "lists:write" in whoami["permissions"]
    connections = client.get("/v2/account/connections", headers={"apiKey": OFAUTH["apiKey"]}).json
    assert [(entry["id"], entry["status"]) for entry in connections["list"]] == [
        ("conn_emulator_main", "active"), ("conn_emulator_second", "active"), ("conn_emulator_expired", "expired")]
    assert connections["list"][0]["userData"]["username"] == "miarivers"
    expired = client.get("/v2/account/connections?status=expired", headers=OFAUTH).json["list"]
    assert [entry["id"] for entry in expired] == ["conn_emulator_expired"]
    assert client.get("/v2/account/connections?limit=1", headers=OFAUTH).json["hasMore"] is True
    assert client.get("/v2/account/whoami").status_code == 401
    assert client.get("/v2/account/connections?status=gone", headers=OFAUTH).status_code == 400


@pytest.mark.parametrize("name", ["a\u0000b", "line\nbreak", "   ", "\u0085x"])
def test_list_names_refuse_control_characters_and_blanks_in_both_vendors(client, name):
    from .conftest import ACCOUNT, ONLYFANSAPI
    refused = client.post(LISTS, json={"name": name}, headers=OFAUTH)
    assert refused.status_code == 400 and refused.json["type"] == "BAD_REQUEST"
    assert client.put(f"/api/{ACCOUNT}/user-lists/1001", json={"name": name}, headers=ONLYFANSAPI).status_code == 422
    assert client.get(f"{LISTS}/1001", headers=OFAUTH).json["name"] == "VIP"
    kept = client.post(LISTS, json={"name": "Café ☕ “quoted”"}, headers=OFAUTH)
    assert kept.status_code == 200 and kept.json["name"] == "Café ☕ “quoted”"
