"""OnlyFansAPI's engagement routes: sent mass messages with figures, their chart, and a message's buyers."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import ACCOUNT, ONLYFANSAPI

BASE = f"/api/{ACCOUNT}/engagement/messages"


def follow(client, url):
    """Follow ``_pagination.next_page`` to the end; return every page's body."""
    bodies = []
    for _ in range(200):
        body = client.get(url, headers=ONLYFANSAPI).json
        bodies.append(body)
        next_page = body["_pagination"]["next_page"]
        if next_page is None:
            return bodies
        parts = urlsplit(next_page)
        assert parts.scheme == "http" and parts.path.startswith("/api/")
        url = f"{parts.path}?{parts.query}"
    raise AssertionError("paging did not end")


def test_engagement_list_follows_next_page_to_the_end_without_repeats(client):
    for _ in range(5):  # five messages sent in the same frozen second
        client.post(f"/api/{ACCOUNT}/mass-messaging", json={"text": "burst", "userLists": ["fans"]},
                    headers=ONLYFANSAPI)
    bodies = follow(client, f"{BASE}/mass-messages?limit=3")
    ids = [item["id"] for body in bodies for item in body["data"]["items"]]
    assert len(ids) == len(set(ids)) == 26 + 5
    assert bodies[-1]["data"]["hasMore"] is False
    assert "endDate=" in bodies[0]["_pagination"]["next_page"] and "limit=3" in bodies[0]["_pagination"]["next_page"]
    paid = [item for body in bodies for item in body["data"]["items"] if not item["isFree"]]
    assert paid and all(item["purchasedCount"] >= 0 and item["price"] for item in paid)


def test_engagement_next_page_drops_start_date_and_query_as_the_vendor_does(client):
    first = client.get(f"{BASE}/mass-messages?limit=1&query=a&startDate=2026-10-01+00:00:00",
                       headers=ONLYFANSAPI).json
    next_page = first["_pagination"]["next_page"]
    assert next_page and "query=" not in next_page and "startDate=" not in next_page


def test_chart_counts_sends_and_revenue_per_day(client):
    body = client.get(f"{BASE}/mass-messages/chart?startDate=2026-10-25+00:00:00&endDate=2026-11-24+12:00:00",
                      headers=ONLYFANSAPI).json["data"]
    sent, revenue = body["group_messages"], body["group_messages_purchases"]
    assert len(sent["chart"]) == 31 and sent["chart"][0]["date"] == "2026-10-25T00:00:00+00:00"
    assert sum(point["count"] for point in sent["chart"]) == sent["total"] > 0
    assert revenue["total"] > 0 and isinstance(revenue["delta"], float)
    bare = client.get(f"{BASE}/mass-messages/chart?withTotal=false", headers=ONLYFANSAPI).json["data"]
    assert set(bare["group_messages"]) == {"chart"}


def test_chart_agrees_with_ofauth(client):
    window = "startDate=2026-11-01T00:00:00Z&endDate=2026-11-24T12:00:00Z"
    ofapi = client.get(f"{BASE}/mass-messages/chart?{window}", headers=ONLYFANSAPI).json["data"]
    ofauth = client.get(f"/v2/access/analytics/mass-messages/chart?{window}",
                        headers={"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}).json
    assert ofapi["group_messages"] == ofauth["group_messages"]
    assert ofapi["group_messages_purchases"]["chart"] == ofauth["group_messages_purchases"]["chart"]


def test_buyers_follow_next_page_and_match_purchases(client):
    paid = next(item for body in follow(client, f"{BASE}/mass-messages?limit=50") for item in body["data"]["items"]
                if item.get("purchasedCount", 0) > 3)
    bodies = follow(client, f"{BASE}/{paid['id']}/buyers?limit=3")
    users = [user for body in bodies for user in body["data"]["list"]]
    assert len(users) == len({user["id"] for user in users}) == paid["purchasedCount"]
    assert all(user["view"] == "m" and user["subscribedOn"] is True for user in users)
    assert bodies[0]["data"]["marker"] == 3


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("marker=-2", "marker"),
                                          ("skip_users_dups=2", "skip_users_dups")])
def test_buyers_query_validation(client, query, field):
    response = client.get(f"{BASE}/3099000001/buyers?{query}", headers=ONLYFANSAPI)
    assert response.status_code == 422 and field in response.json["errors"]


def test_buyers_of_an_unknown_message_is_not_found(client):
    response = client.get(f"{BASE}/12345/buyers", headers=ONLYFANSAPI)
    assert response.status_code == 404 and "message" in response.json
