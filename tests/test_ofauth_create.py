"""POST /v2/access/mass-messages: the receipt, every documented limit, media and recipients."""
from __future__ import annotations

import pytest

from .conftest import FUTURE, OFAUTH, create, creator_of


def test_create_send_now_returns_receipt_counting_recipients(client):
    response = create(client, userLists=["fans", 1001], userIds=[5551, "5552"], excludeUserLists=["tagged"])
    assert response.status_code == 200
    receipt = response.json
    assert receipt["id"] >= 3100000001
    assert receipt["date"] == "2026-11-24T12:00:00+00:00"
    lists = creator_of(client).user_lists  # VIP are fans, 5551 and 5552 are not: only tagged fans come off
    assert receipt["total"] == (lists["fans"].members & ~lists["tagged"].members).bit_count() == 1232
    assert receipt["pending"] == receipt["total"]
    assert receipt["isReady"] is True and receipt["isDone"] is False
    assert receipt["canUnsend"] is True and receipt["unsendSeconds"] == 86400


def test_create_scheduled_is_not_ready_and_cannot_be_unsent(client):
    receipt = create(client, scheduledDate=FUTURE).json
    assert receipt["date"] == "2026-12-01T18:00:00+00:00"
    assert receipt["isReady"] is False and receipt["canUnsend"] is False


def test_create_ids_increase_and_are_never_reused(client):
    first = create(client).json["id"]
    client.delete(f"/v2/access/mass-messages/{first}", headers=OFAUTH)
    second = create(client).json["id"]
    assert second == first + 1


def test_create_accepts_text_of_exactly_10000_utf16_units(client):
    assert create(client, text="a" * 10000).status_code == 200
    response = create(client, text="😀" * 5001)
    assert response.status_code == 400
    assert response.json["details"][0]["field"] == "text"


def test_create_resolves_media_in_order_with_previews(client):
    receipt = create(client, mediaItems=[4100000004, "4100000001", "https://example.com/clip.mp4"],
                     previewMediaCount=2, price=12.5, scheduledDate=FUTURE).json
    message = client.get(f"/v2/access/mass-messages/{receipt['id']}", headers=OFAUTH).json
    ids = [media["id"] for media in message["media"]]
    assert ids[:2] == [4100000004, 4100000001]
    assert ids[2] >= 4200000001
    assert [media["type"] for media in message["media"]] == ["video", "photo", "video"]
    assert message["previews"] == ids[:2]
    assert message["mediaCount"] == 3 and message["isFree"] is False


def test_create_upload_reference_is_single_use(client):
    upload = "upload:6f1c2a4e-8b3d-4c5e-9a7f-1b2c3d4e5f60"
    assert create(client, mediaItems=[upload]).status_code == 200
    response = create(client, mediaItems=[upload])
    assert response.status_code == 400
    assert response.json["details"] == [{"field": "mediaItems.0",
                                          "message": f"Upload {upload} is unknown or has already been used."}]


@pytest.mark.parametrize("body, field", [
    ({"text": 5}, "text"),
    ({"text": "a" * 10001}, "text"),
    ({"price": -1}, "price"),
    ({"price": 200.01}, "price"),
    ({"price": "9.99"}, "price"),
    ({"previewMediaCount": -1}, "previewMediaCount"),
    ({"previewMediaCount": 1.5}, "previewMediaCount"),
    ({"previewMediaCount": 2, "mediaItems": [4100000001]}, "previewMediaCount"),
    ({"mediaItems": [0]}, "mediaItems.0"),
    ({"mediaItems": [""]}, "mediaItems.0"),
    ({"mediaItems": ["ftp://example.com/a.jpg"]}, "mediaItems.0"),
    ({"mediaItems": ["upload:not-a-uuid"]}, "mediaItems.0"),
    ({"mediaItems": [999]}, "mediaItems.0"),
    ({"mediaItems": "4100000001"}, "mediaItems"),
    ({"isLockedText": "true"}, "isLockedText"),
    ({"isMarkdown": 1}, "isMarkdown"),
    ({"isForwardedMessage": "no"}, "isForwardedMessage"),
    ({"releaseForms": {"users": [0]}}, "releaseForms.users.0"),
    ({"releaseForms": []}, "releaseForms"),
    ({"userTags": [-3]}, "userTags.0"),
    ({"userIds": [0]}, "userIds.0"),
    ({"userIds": [True]}, "userIds.0"),
    ({"userLists": ["no-such-list"]}, "userLists.0"),
    ({"excludeUserLists": [424242]}, "excludeUserLists.0"),
    ({"userLists": [], "userIds": []}, "userLists"),
    ({"scheduledDate": "next tuesday"}, "scheduledDate"),
    ({"scheduledDate": "2026-11-24T11:59:59Z"}, "scheduledDate"),
    ({"subscribedAfterDate": 20260101}, "subscribedAfterDate"),
    ({"replyToMessageId": ""}, "replyToMessageId"),
    ({"text": "   ", "mediaItems": []}, "text"),
])
def test_create_rejects_bad_field_with_bad_request(client, body, field):
    before = len(client.application.extensions["emulator.sessions"].get("default").world.queue.items)
    response = create(client, **body)
    assert response.status_code == 400
    error = response.json
    assert error["type"] == "BAD_REQUEST"
    assert error["requestId"].startswith("req_")
    assert field in [detail["field"] for detail in error["details"]]
    after = len(client.application.extensions["emulator.sessions"].get("default").world.queue.items)
    assert after == before


def test_create_accepts_nulls_where_the_spec_allows_them(client):
    response = create(client, price=None, previewMediaCount=None, isLockedText=None, isMarkdown=None,
                      scheduledDate=None, releaseForms=None)
    assert response.status_code == 200


def test_create_ignores_unknown_fields(client):
    assert create(client, somethingElse={"x": 1}).status_code == 200


def test_create_rejection_does_not_consume_upload(client):
    upload = "upload:6f1c2a4e-8b3d-4c5e-9a7f-1b2c3d4e5f60"
    assert create(client, mediaItems=[upload, 999]).status_code == 400
    assert create(client, mediaItems=[upload]).status_code == 200
