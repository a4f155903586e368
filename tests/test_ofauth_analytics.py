"""OFAuth's mass-message analytics: chart, sent, purchased and buyers, all derived from one queue and clock."""
from __future__ import annotations

import pytest

from .conftest import OFAUTH, create

BASE = "/v2/access/analytics/mass-messages"
READONLY = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}


def sent_ids(client, **query):
    body = client.get(BASE + "/sent", query_string=query, headers=OFAUTH).json
    return [item["id"] for item in body["items"]], body


@pytest.mark.parametrize("route", ["/chart", "/sent", "/purchased", "/3099000001/buyers"])
def test_analytics_need_the_analytics_permission(client, route):
    response = client.get(BASE + route, headers=READONLY)
    assert response.status_code == 403 and response.json["type"] == "FORBIDDEN"
    assert "analytics:read" in response.json["error"]


def test_chart_sends_both_key_sets_with_daily_points(client):
    body = client.get(f"{BASE}/chart?startDate=2026-10-25T00:00:00Z&endDate=2026-11-24T12:00:00Z",
                      headers=OFAUTH).json
    assert body["messages"] == body["group_messages"] and body["purchases"] == body["group_messages_purchases"]
    points = body["group_messages"]["chart"]
    assert len(points) == 31 and points[0]["date"] == "2026-10-25T00:00:00+00:00"
    assert sum(point["count"] for point in points) == body["group_messages"]["total"] > 0
    revenue = body["group_messages_purchases"]
    assert round(sum(point["count"] for point in revenue["chart"]), 2) == revenue["total"] == revenue["gross"] > 0
    assert body["direct_messages"]["total"] == 0 and body["direct_messages_purchases"]["total"] == 0


def test_chart_counts_match_the_sent_list(client):
    start, end = "2026-11-01T00:00:00Z", "2026-11-24T12:00:00Z"
    chart = client.get(f"{BASE}/chart?startDate={start}&endDate={end}", headers=OFAUTH).json
    ids, _ = sent_ids(client, startDate=start, endDate=end, limit=100)
    assert chart["group_messages"]["total"] == len(ids)


def test_chart_without_totals_and_a_new_message(client):
    before = client.get(f"{BASE}/chart?withTotal=false", headers=OFAUTH).json
    assert set(before["group_messages"]) == {"chart"}
    create(client, text="today")
    after = client.get(f"{BASE}/chart?withTotal=false", headers=OFAUTH).json
    assert after["group_messages"]["chart"][-1]["count"] == before["group_messages"]["chart"][-1]["count"] + 1


@pytest.mark.parametrize("query, field", [
    ("startDate=yesterday", "startDate"), ("endDate=2026-01-01T00:00:00Z&startDate=2026-02-01T00:00:00Z", "endDate"),
    ("startDate=2020-01-01T00:00:00Z&endDate=2026-01-01T00:00:00Z", "endDate"), ("withTotal=1", "withTotal"),
])
def test_chart_query_limits(client, query, field):
    response = client.get(f"{BASE}/chart?{query}", headers=OFAUTH)
    assert response.status_code == 400 and response.json["details"][0]["field"] == field


def test_sent_list_by_date_range_and_limit(client):
    everything, body = sent_ids(client, limit=100)
    assert body["hasMore"] is False and len(everything) == 26
    first, body = sent_ids(client, limit=5)
    assert first == everything[:5] and body["hasMore"] is True
    item = body["items"][0]
    assert item["text"].startswith("<p>") and item["rawText"] in item["text"]
    assert all(isinstance(preview, dict) for entry in body["items"] for preview in entry["previews"])
    window, _ = sent_ids(client, startDate="2026-11-20T00:00:00Z", endDate="2026-11-23T00:00:00Z", limit=100)
    assert window and set(window) < set(everything) and len(window) < len(everything)


def test_purchased_lists_only_bought_messages_and_pages_by_offset(client):
    body = client.get(f"{BASE}/purchased?limit=100", headers=OFAUTH).json
    assert body["items"] and all(item["purchasedCount"] > 0 and item["isFree"] is False for item in body["items"])
    seen, offset = [], 0
    while True:
        page = client.get(f"{BASE}/purchased?limit=3&offset={offset}", headers=OFAUTH).json
        seen += [item["id"] for item in page["items"]]
        offset += len(page["items"])
        if not page["hasMore"]:
            break
    assert seen == [item["id"] for item in body["items"]]


def purchased_count(client, message_id):
    items = client.get(f"{BASE}/purchased?limit=100", headers=OFAUTH).json["items"]
    return next(item["purchasedCount"] for item in items if item["id"] == message_id)


def test_buyers_equal_purchased_count_and_page_by_marker_to_the_end(client):
    message_id = client.get(f"{BASE}/purchased?limit=1", headers=OFAUTH).json["items"][0]["id"]
    expected = purchased_count(client, message_id)
    buyers, marker, pages = [], None, 0
    while True:
        query = f"?marker={marker}" if marker is not None else ""
        page = client.get(f"{BASE}/{message_id}/buyers{query}", headers=OFAUTH).json
        pages += 1
        buyers += page["list"]
        assert len(page["list"]) <= 10
        if not page["hasMore"]:
            assert page["nextMarker"] is None
            break
        assert page["nextMarker"] == page["marker"]
        marker = page["marker"]
    assert len(buyers) == expected and pages == -(-expected // 10)
    assert len({buyer["id"] for buyer in buyers}) == expected
    assert all(buyer["isVerified"] is False and buyer["avatar"].startswith("https://") for buyer in buyers)


def test_buyers_are_stable_and_grow_with_purchases(client):
    message_id = create(client, text="Paid", mediaItems=[4100000001, 4100000004], price=10,
                        userLists=["fans"]).json["id"]
    assert client.get(f"{BASE}/{message_id}/buyers", headers=OFAUTH).json["list"] == []
    client.post("/_emulator/clock", json={"advance": 3 * 3600})
    early = client.get(f"{BASE}/{message_id}/buyers?limit=20", headers=OFAUTH).json["list"]
    early_count = purchased_count(client, message_id)
    client.post("/_emulator/clock", json={"advance": 2 * 86400})
    later = client.get(f"{BASE}/{message_id}/buyers?limit=20", headers=OFAUTH).json["list"]
    assert 0 < early_count < purchased_count(client, message_id)
    assert later[:len(early)] == early


@pytest.mark.parametrize("query, field", [("limit=21", "limit"), ("limit=0", "limit"), ("marker=-1", "marker"),
                                          ("offset=x", "offset")])
def test_buyers_query_limits(client, query, field):
    response = client.get(f"{BASE}/3099000001/buyers?{query}", headers=OFAUTH)
    assert response.status_code == 400 and response.json["details"][0]["field"] == field


def test_buyers_of_unknown_or_foreign_messages_are_not_found(client):
    assert client.get(f"{BASE}/1/buyers", headers=OFAUTH).status_code == 404
    other = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_second"}
    assert client.get(f"{BASE}/3099000001/buyers", headers=other).status_code == 404
