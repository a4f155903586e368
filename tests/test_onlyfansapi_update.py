"""PUT /api/{account}/mass-messaging/{id}: Laravel validation, auth, credits and _meta."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, FUTURE, ONLYFANSAPI, create


def put(client, message_id, body, headers=ONLYFANSAPI, account=ACCOUNT):
    return client.put(f"/api/{account}/mass-messaging/{message_id}", json=body, headers=headers)


@pytest.fixture
def scheduled_id(client):
    return create(client, text="Before", scheduledDate=FUTURE).json["id"]


def test_update_returns_receipt_and_meta(client, scheduled_id):
    response = put(client, scheduled_id, {"text": "After", "userLists": ["fans", "1001"], "userIds": ["77"]})
    assert response.status_code == 200
    body = response.json
    assert body["data"]["id"] == scheduled_id
    assert body["data"]["total"] == 1240  # the VIPs are fans already, and 77 is not a fan
    assert body["_meta"]["_credits"] == {"used": 1, "balance": 999_999, "note": "Always"}
    limits = body["_meta"]["_rate_limits"]
    assert {name: limits[name] for name in ("limit_minute", "limit_day", "remaining_minute", "remaining_day")} == {
        "limit_minute": 1000, "limit_day": None, "remaining_minute": 999, "remaining_day": None}
    assert limits["notice"].startswith("Daily rate limits have been removed")
    assert response.headers["X-RateLimit-Remaining"] == "999"


def test_update_credits_drop_by_one_per_successful_call(client, scheduled_id):
    balances = [put(client, scheduled_id, {"text": f"v{n}"}).json["_meta"]["_credits"]["balance"] for n in range(3)]
    put(client, scheduled_id, {})
    assert balances == [999_999, 999_998, 999_997]
    assert put(client, scheduled_id, {"text": "v4"}).json["_meta"]["_credits"]["balance"] == 999_996


def test_update_paid_message_with_media_and_previews(client, scheduled_id):
    body = {"text": "Paid", "price": 25, "mediaFiles": ["4100000002", "ofapi_media_k3n8q2w7", 4100000005],
            "previews": ["4100000002"], "lockedText": True, "giphyId": "WAGC3LeqJvXglm5H7a",
            "scheduledDate": "2026-12-24T20:00:00.000Z"}
    assert put(client, scheduled_id, body).status_code == 200
    from .conftest import OFAUTH
    message = client.get(f"/v2/access/mass-messages/{scheduled_id}", headers=OFAUTH).json
    ids = [media["id"] for media in message["media"]]
    assert ids[0] == 4100000002 and ids[2] == 4100000005 and ids[1] >= 4200000001
    assert message["previews"] == [4100000002]
    assert message["giphyId"] == "WAGC3LeqJvXglm5H7a" and message["lockedText"] is True
    assert message["isFree"] is False


@pytest.mark.parametrize("body, field, message", [
    ({}, "text", "The text field is required."),
    ({"text": ""}, "text", "The text field is required."),
    ({"text": 12}, "text", "The text field must be a string."),
    ({"text": "x", "price": 2}, "price", "The price field must be 0 or between 3 and 200."),
    ({"text": "x", "price": 201, "mediaFiles": ["4100000001"]}, "price",
     "The price field must be 0 or between 3 and 200."),
    ({"text": "x", "price": 9.99, "mediaFiles": ["4100000001"]}, "price", "The price field must be an integer."),
    ({"text": "x", "price": 10}, "mediaFiles", "The media files field is required unless price is in 0."),
    ({"text": "x", "mediaFiles": ["4100000001"], "previews": ["4100000002"]}, "previews.0",
     "The previews.0 field must exist in mediaFiles."),
    ({"text": "x", "mediaFiles": ["nope"]}, "mediaFiles.0",
     "The media files.0 field must be an upload id (ofapi_media_...) or a vault media id."),
    ({"text": "x", "mediaFiles": ["999"]}, "mediaFiles.0", "Media 999 is not in this creator's vault."),
    ({"text": "x", "lockedText": "yes"}, "lockedText", "The locked text field must be true or false."),
    ({"text": "x", "userLists": "fans"}, "userLists", "The user lists field must be an array."),
    ({"text": "x", "userLists": ["unknown"]}, "userLists.0", "User list unknown does not exist."),
    ({"text": "x", "scheduledDate": "soon"}, "scheduledDate", "The scheduled date field must be a valid date."),
    ({"text": "x", "scheduledDate": "2020-01-01T00:00:00.000Z"}, "scheduledDate",
     "The scheduled date must be in the future."),
    ({"text": "x", "blockBannedWords": "everything"}, "blockBannedWords",
     "The selected block banned words is invalid."),
    ({"text": "Pay me on PayPal", "blockBannedWords": "strict_ban"}, "text",
     "The text field contains banned words: paypal."),
])
def test_update_rejects_with_laravel_422(client, scheduled_id, body, field, message):
    response = put(client, scheduled_id, body)
    assert response.status_code == 422
    assert message in response.json["errors"][field]
    assert response.json["message"].startswith(response.json["errors"][next(iter(response.json["errors"]))][0])


def test_update_banned_word_tiers(client, scheduled_id):
    assert put(client, scheduled_id, {"text": "DM me on Snapchat", "blockBannedWords": "replace_soften"}).status_code == 200
    assert put(client, scheduled_id, {"text": "DM me on Snapchat", "blockBannedWords": "risky"}).status_code == 422


def test_update_counts_every_error_in_message(client, scheduled_id):
    response = put(client, scheduled_id, {"price": 2, "lockedText": "x"})
    assert response.json["message"] == "The text field is required. (and 3 more errors)"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_update_without_valid_key_is_unauthenticated(client, scheduled_id, headers):
    response = put(client, scheduled_id, {"text": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.json == {"message": "Unauthenticated."}


def test_update_unknown_account_is_account_not_found(client, scheduled_id):
    response = put(client, scheduled_id, {"text": "x"}, account="acct_00000000000000000000000000000000")
    assert response.status_code == 404
    assert response.json["code"] == "account_not_found"


def test_update_account_of_another_key_is_forbidden(client, scheduled_id):
    response = put(client, scheduled_id, {"text": "x"}, account="acct_795f3202b17cb6bc3d4b771d8c6c9eaf")
    assert response.status_code == 403
    assert response.json == {"message": "This action is unauthorized."}


def test_update_without_credits_is_payment_required(client, scheduled_id):
    response = put(client, scheduled_id, {"text": "x"}, account="acct_c944634550c698febdd9c868db908d9d",
                   headers={"Authorization": "Bearer ofapi_test_nocredits_77"})
    assert response.status_code == 402
    assert "credits" in response.json["message"]


def test_update_unknown_message_is_not_found(client):
    response = put(client, 999, {"text": "x"})
    assert response.status_code == 404
    assert response.json["message"] == "Mass message 999 not found."


def test_update_sent_message_is_refused(client):
    response = put(client, 3100000002, {"text": "too late"})
    assert response.status_code == 400
    assert "scheduled" in response.json["message"]


def test_update_failure_changes_nothing(client, scheduled_id):
    from .conftest import OFAUTH
    before = client.get(f"/v2/access/mass-messages/{scheduled_id}", headers=OFAUTH).json
    put(client, scheduled_id, {"text": "changed", "mediaFiles": ["4100000001", "999"]})
    after = client.get(f"/v2/access/mass-messages/{scheduled_id}", headers=OFAUTH).json
    assert after == before
