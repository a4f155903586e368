"""OFAuth's queue lists (scheduled, sent) and the PUT that replaces an unsent message."""
from __future__ import annotations

import pytest

from .conftest import FUTURE, OFAUTH, create, queue_size

SCHEDULED = "/v2/access/mass-messages/scheduled"
SENT = "/v2/access/mass-messages"
READONLY = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}


def pages(client, url, limit):
    """Follow ``nextOffset`` to the end; return every page."""
    found, offset = [], 0
    for _ in range(100):
        body = client.get(f"{url}?limit={limit}&offset={offset}", headers=OFAUTH).json
        found.append(body)
        if not body["hasMore"]:
            return found
        offset = body["nextOffset"]
    raise AssertionError("paging did not end")


def test_scheduled_lists_unsent_messages_soonest_first(client):
    later = create(client, text="later", scheduledDate="2026-12-20T10:00:00Z").json["id"]
    sooner = create(client, text="sooner", scheduledDate="2026-11-25T10:00:00Z").json["id"]
    create(client, text="now")
    body = client.get(SCHEDULED, headers=OFAUTH).json
    ids = [entry["id"] for entry in body["list"]]
    assert ids == [sooner, 3100000001, later]
    assert body["hasMore"] is False and body["nextOffset"] is None
    assert all(entry["sentCount"] == 0 and entry["canUnsend"] is False for entry in body["list"])


def test_scheduled_list_is_readable_with_the_read_only_key(client):
    assert client.get(SCHEDULED, headers=READONLY).status_code == 200


def test_sent_list_pages_never_repeat_and_end(client):
    every = [entry["id"] for page in pages(client, SENT, 7) for entry in page["list"]]
    assert len(every) == len(set(every)) == 26  # 24 seeded history + 2 fixture messages sent
    dates = [entry for page in pages(client, SENT, 7) for entry in page["list"]]
    assert [entry["date"] for entry in dates] == sorted((entry["date"] for entry in dates), reverse=True)
    assert all(entry["sentCount"] > 0 and "purchasedCount" in entry for entry in dates)


def test_sent_list_gains_a_scheduled_message_when_the_clock_passes_it(client):
    message_id = create(client, scheduledDate=FUTURE).json["id"]
    assert message_id in [entry["id"] for entry in client.get(SCHEDULED, headers=OFAUTH).json["list"]]
    client.post("/_emulator/clock", json={"now": "2026-12-01T18:00:10Z"})
    assert message_id not in [entry["id"] for entry in client.get(SCHEDULED, headers=OFAUTH).json["list"]]
    newest = client.get(f"{SENT}?limit=1", headers=OFAUTH).json["list"][0]
    assert newest["id"] == message_id and newest["sentCount"] == 500


@pytest.mark.parametrize("query, field, message", [
    ("limit=0", "limit", "Number must be greater than or equal to 1"),
    ("limit=101", "limit", "Number must be less than or equal to 100"),
    ("limit=abc", "limit", "Expected integer, received string"),
    ("limit=%EF%BC%91%EF%BC%92", "limit", "Expected integer, received string"),
    ("offset=-1", "offset", "Number must be greater than or equal to 0"),
    ("offset=" + "9" * 5000, "offset", "Expected integer, received string"),
], ids=["zero", "over", "letters", "full-width", "negative", "5000-digits"])
def test_list_query_limits(client, query, field, message):
    response = client.get(f"{SCHEDULED}?{query}", headers=OFAUTH)
    assert response.status_code == 400
    assert response.json["type"] == "BAD_REQUEST"
    assert response.json["details"] == [{"field": field, "message": message}]
    assert response.json["error"] == f"Invalid query: {field}: {message}"


def test_update_changes_only_the_fields_the_body_names(client):
    message_id = create(client, text="first", mediaItems=[4100000001], price=9, previewMediaCount=1,
                        scheduledDate=FUTURE).json["id"]
    updated = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH,
                         json={"text": "second", "userLists": [1001], "scheduledDate": "2026-12-02T09:00:00Z"})
    assert updated.status_code == 200
    assert updated.json["id"] == message_id and updated.json["total"] == 48
    assert updated.json["date"] == updated.json["scheduledDate"] == "2026-12-02T09:00:00+00:00"
    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["text"] == "<p>second</p>" and message["rawText"] == "second"
    assert [media["id"] for media in message["media"]] == [4100000001] and message["isFree"] is False


def test_update_with_the_guides_body_keeps_the_audience(client):
    message_id = create(client, userLists=[1001], scheduledDate=FUTURE).json["id"]
    body = {"text": "Updated message text", "scheduledDate": "2026-12-03T10:00:00Z"}
    receipt = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH, json=body).json
    assert receipt["total"] == 48 and receipt["scheduledDate"] == "2026-12-03T10:00:00+00:00"


def test_update_with_a_null_date_sends_now(client):
    message_id = create(client, scheduledDate=FUTURE).json["id"]
    receipt = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH,
                         json={"text": "right away", "scheduledDate": None}).json
    assert receipt["isReady"] is True and receipt["date"] == "2026-11-24T12:00:00+00:00"


@pytest.mark.parametrize("body, field", [
    ({"text": "x", "userLists": ["fans"], "price": 500}, "price"),
    ({"text": "x", "userLists": ["nope"]}, "userLists.0"),
    ({"text": "x", "userLists": ["fans"], "mediaItems": [1]}, "mediaItems.0"),
    ({"text": "x", "userLists": ["fans"], "scheduledDate": "2020-01-01T00:00:00Z"}, "scheduledDate"),
    ({"text": ""}, "text"),
    ({"userLists": []}, "userLists"),
    ({"price": 10}, "mediaItems"),
])
def test_replace_validates_like_create_and_changes_nothing(client, body, field):
    message_id = create(client, text="keep me", scheduledDate=FUTURE).json["id"]
    before = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    response = client.put(f"/v2/access/mass-messages/{message_id}", json=body, headers=OFAUTH)
    assert response.status_code == 400
    assert response.json["details"][0]["field"] == field
    assert client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json == before


def test_replace_refuses_sent_messages_and_unknown_ids(client):
    sent = client.put("/v2/access/mass-messages/3100000003", json={"text": "x", "userLists": ["fans"]},
                      headers=OFAUTH)
    assert sent.status_code == 400 and "already been sent" in sent.json["error"]
    missing = client.put("/v2/access/mass-messages/9", json={"text": "x", "userLists": ["fans"]}, headers=OFAUTH)
    assert missing.status_code == 404 and missing.json["type"] == "RESOURCE_NOT_FOUND"


def test_replace_needs_messages_write(client):
    response = client.put("/v2/access/mass-messages/3100000001", json={"text": "x"}, headers=READONLY)
    assert response.status_code == 403 and response.json["type"] == "FORBIDDEN"


def test_replace_uses_an_upload_only_when_it_succeeds(client):
    message_id = create(client, scheduledDate=FUTURE).json["id"]
    upload = "upload:6f1c2a4e-8b3d-4c5e-9a7f-1b2c3d4e5f60"
    body = {"text": "x", "userLists": ["fans"], "mediaItems": [upload], "scheduledDate": FUTURE}
    failed = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH, json={**body, "userLists": ["no"]})
    assert failed.status_code == 400
    count = queue_size(client)
    worked = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH, json=body)
    assert worked.status_code == 200 and queue_size(client) == count
    again = client.put(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH, json=body)
    assert again.status_code == 400 and again.json["details"][0]["field"] == "mediaItems.0"


@pytest.mark.parametrize("media_id", ["²", "１２", "١٢", "9" * 5000, "+4100000001", "4_100_000_001"])
def test_odd_digit_strings_are_not_media_ids(client, media_id):
    response = create(client, mediaItems=[media_id])
    assert response.status_code == 400 and response.json["details"][0]["field"] == "mediaItems.0"
