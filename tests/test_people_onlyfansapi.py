"""OnlyFansAPI's accounts, whoami, user lists and fans over the same population OFAuth shows."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI

BASE = f"/api/{ACCOUNT}"
NO_CREDITS = {"Authorization": "Bearer ofapi_test_nocredits_77"}
OTHER = {"Authorization": "Bearer ofapi_test_other_a913"}


def members(client, list_id) -> list[int]:
    found, offset = [], 0
    while True:
        data = client.get(f"{BASE}/user-lists/{list_id}/users?limit=100&offset={offset}", headers=ONLYFANSAPI).json
        found += [fan["id"] for fan in data["data"]["list"]]
        if not data["data"]["hasMore"]:
            return found
        offset = data["data"]["nextOffset"]


def test_accounts_and_whoami_are_bare_and_free(client):
    accounts = client.get("/api/accounts", headers=ONLYFANSAPI)
    assert [account["id"] for account in accounts.json] == [ACCOUNT, "acct_c944634550c698febdd9c868db908d9d"]
    assert accounts.json[0]["onlyfans_username"] == "miarivers" and accounts.headers["x-ofapi-credits-used"] == "0"
    assert accounts.json[0]["onlyfans_user_data"]["subscribersCount"] == 1240
    assert client.get("/api/accounts?onlyfans_username=nobody", headers=ONLYFANSAPI).json == []
    assert [a["onlyfans_id"] for a in client.get("/api/accounts", headers=OTHER).json] == [412000003]
    whoami = client.get("/api/whoami", headers=ONLYFANSAPI).json
    assert whoami["team"] == {"name": "Rivers Creative", "slug": "rivers-creative"}
    assert whoami["api_key"]["name"] == "Production"
    assert client.get("/api/whoami").status_code == 401


def test_a_team_shares_one_rate_limit_window(client):
    first = client.get("/api/whoami", headers=ONLYFANSAPI)
    second = client.get("/api/whoami", headers=NO_CREDITS)
    other = client.get("/api/whoami", headers=OTHER)
    remaining = [int(response.headers["x-rate-limit-remaining-minute"]) for response in (first, second, other)]
    assert remaining == [999, 998, 999]


def test_lists_match_ofauth_and_changes_show_in_both_vendors(client):
    lists = client.get(f"{BASE}/user-lists", headers=ONLYFANSAPI).json
    assert [(entry["id"], entry["usersCount"]) for entry in lists["data"]][:2] == [("fans", 1240), ("following", 312)]
    assert lists["_meta"]["_credits"]["used"] == 1
    created = client.post("/v2/access/users/lists", json={"name": "From OFAuth"}, headers=OFAUTH).json
    fans = members(client, "fans")
    client.post(f"/v2/access/users/lists/{created['id']}/users/{fans[5]}", headers=OFAUTH)
    assert members(client, created["id"]) == [fans[5]]
    added = client.post(f"{BASE}/user-lists/{created['id']}/users", json={"ids": [str(fans[7]), fans[9]]},
                        headers=ONLYFANSAPI).json["data"]
    assert added == {str(created["id"]): [fans[7], fans[9]]}
    shown = client.get(f"/v2/access/users/lists/{created['id']}/users", headers=OFAUTH).json["list"]
    assert [user["id"] for user in shown] == [fans[5], fans[7], fans[9]]
    removed = client.delete(f"{BASE}/user-lists/{created['id']}/users/{fans[7]}", headers=ONLYFANSAPI).json["data"]
    assert removed["userState"]["hasUser"] is False and removed["list"]["usersCount"] == 2
    renamed = client.put(f"{BASE}/user-lists/{created['id']}", json={"name": "Both", "isPinnedToFeed": True},
                         headers=ONLYFANSAPI).json["data"]
    assert renamed["isPinnedToFeed"] is True
    assert client.get(f"/v2/access/users/lists/{created['id']}", headers=OFAUTH).json["name"] == "Both"
    assert client.delete(f"{BASE}/user-lists/{created['id']}/users", headers=ONLYFANSAPI).json["data"]["usersCount"] == 0
    assert client.delete(f"{BASE}/user-lists/{created['id']}", headers=ONLYFANSAPI).json["data"] == {"success": True}
    assert client.get(f"/v2/access/users/lists/{created['id']}", headers=OFAUTH).status_code == 404


def test_skip_invalid_reports_refused_ids_and_costs_a_retry(client):
    fan = members(client, 1001)[0]
    response = client.post(f"{BASE}/user-lists/1002/users", json={"ids": [fan, "5551"], "skip_invalid": True},
                           headers=ONLYFANSAPI).json
    assert response["data"] == {"added": [fan], "failed": {"5551": "User not found among this creator's fans"}}
    assert response["_meta"]["_credits"]["used"] == 2
    refused = client.post(f"{BASE}/user-lists/1002/users", json={"ids": ["5551"]}, headers=ONLYFANSAPI)
    assert refused.status_code == 400 and set(refused.json) == {"message"}


def test_fans_routes_page_by_next_page(client):
    seen, url = [], f"{BASE}/fans/active?limit=20"
    while url and len(seen) < 100:
        body = client.get(url.replace("http://localhost", ""), headers=ONLYFANSAPI).json
        seen += [fan["id"] for fan in body["data"]["list"]]
        url = body["_pagination"]["next_page"]
    assert seen == members(client, "fans")[:100] and len(set(seen)) == 100
    expired = client.get(f"{BASE}/fans/all?type=expired&limit=20", headers=ONLYFANSAPI).json["data"]["list"]
    assert expired and all(fan["subscribedOnExpiredNow"] for fan in expired)
    big = client.get(f"{BASE}/fans/active?filter[total_spent]=200&limit=20", headers=ONLYFANSAPI).json["data"]["list"]
    assert big and all(fan["subscribedOnData"]["totalSumm"] >= 200 for fan in big)
    latest = client.get(f"{BASE}/fans/latest?start_date=2026-11-01&end_date=2026-11-24&type=new&limit=50",
                        headers=ONLYFANSAPI).json["data"]
    assert latest["users"] and all("2026-11-01" <= fan["subscribedOnData"]["subscribeAt"] < "2026-11-24"
                                   for fan in latest["users"])


@pytest.mark.parametrize("method, path, body, status", [
    ("get", "/user-lists?limit=9", None, 422), ("get", "/user-lists?limit=51", None, 422),
    ("get", "/user-lists?view=all", None, 422), ("post", "/user-lists", {"name": "x" * 65}, 422),
    ("post", "/user-lists", {}, 422), ("put", "/user-lists/fans", {"name": "Mine"}, 400),
    ("delete", "/user-lists/424242", None, 404), ("get", "/user-lists/1001/users?limit=101", None, 422),
    ("post", "/user-lists/1001/users", {"ids": []}, 422), ("post", "/user-lists/recent/users", {"ids": [1]}, 400),
    ("get", "/fans/active?limit=21", None, 422), ("get", "/fans/all?type=vip", None, 422),
    ("get", "/fans/all?filter.duration=1", None, 422),
    ("get", "/fans/active?filter[max_total_spent]=0&filter[online]=1", None, 422),
    ("get", "/fans/latest?start_date=2026-01-01", None, 422), ("get", "/fans/latest?limit=51", None, 422),
    ("get", "/fans/latest?type=old", None, 422),
])
def test_bad_requests_answer_laravel_errors_and_change_nothing(client, method, path, body, status):
    before = client.get(f"{BASE}/user-lists", headers=ONLYFANSAPI).json["data"]
    response = getattr(client, method)(BASE + path, json=body, headers=ONLYFANSAPI)
    assert response.status_code == status, response.json
    assert set(response.json) <= {"message", "errors"} and response.headers["x-ofapi-credits-used"] == "0"
    assert client.get(f"{BASE}/user-lists", headers=ONLYFANSAPI).json["data"] == before


def test_accounts_of_another_team_are_refused(client):
    assert client.get(f"{BASE}/user-lists", headers=OTHER).status_code == 403
    assert client.get(f"{BASE}/fans/active", headers=NO_CREDITS).status_code == 402


def test_members_can_be_pinned_on_any_list_and_listed(client):
    fans = members(client, "fans")
    pinned = client.post(f"{BASE}/user-lists/fans/users/{fans[3]}/pin", headers=ONLYFANSAPI)
    assert pinned.status_code == 200 and pinned.json["data"] == {"success": True}
    shown = client.get(f"{BASE}/user-lists/fans/users/pinned", headers=ONLYFANSAPI).json["data"]
    assert [fan["id"] for fan in shown["list"]] == [fans[3]] and shown["hasMore"] is False
    assert client.post(f"{BASE}/user-lists/1001/users/5551/pin", headers=ONLYFANSAPI).status_code == 400
    vip = members(client, 1001)[0]
    client.post(f"{BASE}/user-lists/1001/users/{vip}/pin", headers=ONLYFANSAPI)
    client.delete(f"{BASE}/user-lists/1001/users/{vip}", headers=ONLYFANSAPI)
    assert client.get(f"{BASE}/user-lists/1001/users/pinned", headers=ONLYFANSAPI).json["data"]["list"] == []


def test_a_fans_custom_name_and_subscription_history(client):
    fan = client.get(f"{BASE}/fans/all?limit=20&offset=300", headers=ONLYFANSAPI).json["data"]["list"][0]
    named = client.put(f"{BASE}/fans/{fan['id']}/custom-name", json={"custom_name": "Old pal"}, headers=ONLYFANSAPI)
    assert named.json["data"]["displayName"] == "Old pal" and named.json["data"]["id"] == fan["id"]
    seen = client.get("/v2/access/subscribers?type=all&limit=20&offset=300", headers=OFAUTH).json["list"][0]
    assert seen["id"] == fan["id"] and seen["displayName"] == "Old pal"
    history = client.get(f"{BASE}/fans/{fan['id']}/subscriptions-history", headers=ONLYFANSAPI).json["data"]
    starts = [row["subscribeDate"] for row in history["list"]]
    assert starts == sorted(starts, reverse=True) and starts[-1] == fan["subscribedOnData"]["subscribeAt"]
    assert client.put(f"{BASE}/fans/{fan['id']}/custom-name", json={"custom_name": None},
                      headers=ONLYFANSAPI).json["data"]["displayName"] == ""
    assert client.put(f"{BASE}/fans/{fan['id']}/custom-name", json={"custom_name": "x" * 101},
                      headers=ONLYFANSAPI).status_code == 422
    assert client.get(f"{BASE}/fans/5551/subscriptions-history", headers=ONLYFANSAPI).status_code == 404
