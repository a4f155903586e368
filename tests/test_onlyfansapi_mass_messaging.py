"""OnlyFansAPI's mass-messaging routes: send, list, retrieve, delete and the overview, with envelope and headers."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, FUTURE, OFAUTH, ONLYFANSAPI, creator_of

BASE = f"/api/{ACCOUNT}/mass-messaging"


def send(client, **body):
    body.setdefault("text", "Hello from OnlyFansAPI")
    body.setdefault("userLists", ["fans"])
    return client.post(BASE, json=body, headers=ONLYFANSAPI)


def test_send_now_answers_a_receipt_and_charges_a_credit(client):
    response = send(client, mediaFiles=["4100000001", 4100000004], previews=[0], price=12, userIds=["777", 778])
    assert response.status_code == 200
    data, meta = response.json["data"], response.json["_meta"]
    assert data["id"] == 3100000005 and data["isReady"] is True and data["total"] == 1240  # 777 and 778 are not fans
    assert meta["_credits"] == {"used": 1, "balance": 999999, "note": "Always"}
    assert meta["_rate_limits"]["limit_day"] is None and "notice" in meta["_rate_limits"]
    message = client.get(f"/v2/access/mass-messages/{data['id']}", headers=OFAUTH).json
    assert [media["id"] for media in message["media"]] == [4100000001, 4100000004]
    assert message["previews"] == [4100000001] and message["isFree"] is False


def test_send_scheduled_and_saved_for_later_stay_unsent(client):
    scheduled = send(client, scheduledDate=FUTURE).json["data"]
    saved = send(client, saveForLater=True, userLists=[]).json["data"]
    assert scheduled["isReady"] is False and scheduled["date"] == "2026-12-01T18:00:00+00:00"
    assert saved["isReady"] is False and saved["total"] == 0
    unsent = [entry["id"] for entry in client.get("/v2/access/mass-messages/scheduled", headers=OFAUTH).json["list"]]
    assert unsent[-1] == saved["id"] and scheduled["id"] in unsent
    client.post("/_emulator/clock", json={"advance": 30 * 86400})
    assert send(client).status_code == 200
    assert client.get(f"{BASE}/{saved['id']}", headers=ONLYFANSAPI).json["data"]["queue"]["sentCount"] == 0


def test_send_audience_rules(client):
    within = send(client, subscribedWithinLastDays=3).json["data"]
    people = creator_of(client).people  # the active fans who first subscribed in the last three days
    assert within["total"] == (people.active & people.since(people.end - 3 * 86400)).bit_count() == 7
    excluded = send(client, userLists=["fans"], excludedLists=[1001]).json["data"]
    assert excluded["total"] == 1240 - 48
    tagged = send(client, rfTag="5001,5002", rfGuest=[6001]).json["data"]
    queue = client.get(f"{BASE}/{tagged['id']}", headers=ONLYFANSAPI).json["data"]["queue"]
    assert [(form["id"], form["type"]) for form in queue["releaseForms"]] == [(5001, "user"), (5002, "user"),
                                                                               (6001, "guest")]


@pytest.mark.parametrize("body, field, message", [
    ({"text": ""}, "text", "The text field is required."),
    ({"price": 2, "mediaFiles": ["4100000001"]}, "price", "The price field must be 0 or between 3 and 200."),
    ({"price": 9.99, "mediaFiles": ["4100000001"]}, "price", "The price field must be an integer."),
    ({"price": 5}, "mediaFiles", "The media files field is required unless price is in 0."),
    ({"mediaFiles": ["4100000001"], "previews": [3]}, "previews.0", "The previews.0 field must exist in mediaFiles."),
    ({"subscribedWithinLastDays": 31}, "subscribedWithinLastDays",
     "The subscribed within last days field must be between 1 and 30."),
    ({"subscribedWithinLastDays": 2, "scheduledDate": FUTURE}, "subscribedWithinLastDays",
     "The subscribed within last days field prohibits scheduled date from being present."),
    ({"excludedLists": ["nope"]}, "excludedLists.0", "User list nope does not exist."),
    ({"userLists": []}, "userLists", "Choose at least one recipient: a user list or a user id."),
    ({"scheduledDate": "2020-01-01T00:00:00.000Z"}, "scheduledDate", "The scheduled date must be in the future."),
    ({"mediaFiles": ["9"]}, "mediaFiles.0", "Media 9 is not in this creator's vault."),
    ({"rfTag": "a,b"}, "rfTag", "The rf tag field must be an integer."),
    ({"text": "dm me on telegram", "blockBannedWords": "risky"}, "text",
     "The text field contains banned words: telegram."),
])
def test_send_validation_is_laravel_shaped_and_changes_nothing(client, body, field, message):
    before = client.get(BASE, headers=ONLYFANSAPI).json["data"]
    response = send(client, **body)
    assert response.status_code == 422
    assert response.json["errors"][field] == [message]
    assert client.get(BASE, headers=ONLYFANSAPI).json["data"] == before


def test_list_is_the_live_queue_newest_first(client):
    sent = send(client).json["data"]["id"]
    ids = [entry["id"] for entry in client.get(BASE, headers=ONLYFANSAPI).json["data"]]
    assert ids == [3100000001, sent, 3100000003]  # scheduled, just sent, sent an hour ago; older ones are done


def test_retrieve_and_delete_share_the_vendor_shape(client):
    retrieved = client.get(f"{BASE}/3100000003", headers=ONLYFANSAPI).json["data"]
    assert retrieved["success"] is True
    queue = retrieved["queue"]
    assert queue["price"] == "14.50" and queue["mediaTypes"] == {"video": 1, "photo": 1}
    assert queue["isCanceled"] is False and queue["canUnsend"] is True
    deleted = client.delete(f"{BASE}/3100000003", headers=ONLYFANSAPI).json["data"]
    assert deleted["queue"]["isCanceled"] is True and deleted["queue"]["id"] == 3100000003
    assert client.get(f"{BASE}/3100000003", headers=ONLYFANSAPI).status_code == 404
    assert client.get("/v2/access/mass-messages/3100000003", headers=OFAUTH).status_code == 404


def test_free_message_has_null_media_types(client):
    queue = client.get(f"{BASE}/3100000001", headers=ONLYFANSAPI).json["data"]["queue"]
    assert client.get(f"{BASE}/{send(client).json['data']['id']}", headers=ONLYFANSAPI).json["data"]["queue"][
        "mediaTypes"] is None
    assert queue["mediaTypes"] == {"photo": 1, "video": 1}


def test_delete_past_the_unsend_window_is_refused(client):
    response = client.delete(f"{BASE}/3100000002", headers=ONLYFANSAPI)
    assert response.status_code == 400 and "unsend window" in response.json["message"]


@pytest.mark.parametrize("method, path", [("GET", BASE), ("POST", BASE), ("GET", f"{BASE}/3100000001"),
                                          ("DELETE", f"{BASE}/9"), ("GET", f"{BASE}/overview?limit=0")])
def test_every_response_carries_the_credit_and_rate_limit_headers(client, method, path):
    response = client.open(path, method=method, json={"text": "x", "userLists": ["fans"]}, headers=ONLYFANSAPI)
    headers = response.headers
    assert headers["x-ofapi-is-cached"] == "false"
    assert int(headers["x-ofapi-credits-used"]) == (1 if response.status_code == 200 else 0)
    assert int(headers["x-ofapi-credits-balance"]) <= 1_000_000
    assert headers["x-rate-limit-limit-minute"] == "1000"
    assert int(headers["x-rate-limit-remaining-minute"]) < 1000
    assert "x-rate-limit-limit-day" not in headers  # daily limits were removed; see README


def overview_pages(client, **query):
    """Page the overview the way its docs say: move endDate to the last item's date minus a second."""
    seen, query = [], {"limit": 4, **query}
    for _ in range(100):
        body = client.get(f"{BASE}/overview", query_string=query, headers=ONLYFANSAPI).json["data"]
        seen += body["items"]
        if not body["hasMore"]:
            return seen
        last = int(__import__("datetime").datetime.fromisoformat(body["items"][-1]["date"]).timestamp()) - 1
        query["endDate"] = __import__("datetime").datetime.utcfromtimestamp(last).strftime("%Y-%m-%d %H:%M:%S")
    raise AssertionError("paging did not end")


def test_overview_pages_by_end_date_without_repeats_even_within_one_second(client):
    for _ in range(3):  # three messages in the same (frozen) second: the page of 4 ends before them
        send(client, text="Same second")
    items = overview_pages(client)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 26 + 3
    assert items[0]["rawText"] == "Same second" and "purchasedCount" not in items[0]


def test_overview_filters_by_text_and_dates(client):
    matching = overview_pages(client, query="GOOD MORNING")
    assert matching and all("good morning" in item["rawText"].lower() for item in matching)
    window = overview_pages(client, startDate="2026-11-20 00:00:00", endDate="2026-11-23 00:00:00")
    assert window and all("2026-11-20" <= item["date"][:10] <= "2026-11-23" for item in window)


@pytest.mark.parametrize("query, field, message", [
    ("limit=0", "limit", "The limit field must be at least 1."),
    ("limit=%EF%BC%91", "limit", "The limit field must be an integer."),
    ("startDate=2026-02-01&endDate=2026-01-01", "endDate", "The end date field must be a date after start date."),
    ("endDate=soon", "endDate", "The end date field must be a valid date."),
])
def test_overview_query_validation(client, query, field, message):
    response = client.get(f"{BASE}/overview?{query}", headers=ONLYFANSAPI)
    assert response.status_code == 422 and response.json["errors"][field] == [message]
