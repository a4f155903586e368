"""GET and DELETE of OFAuth mass messages: rendered from state, consistent with the create."""
from __future__ import annotations

import pytest

from .conftest import FUTURE, OFAUTH, create


def test_get_renders_message_from_state(client):
    receipt = create(client, text="**Hi** there", mediaItems=[4100000001, 4100000007], previewMediaCount=1,
                     price=0, isMarkdown=False, isLockedText=True, scheduledDate=FUTURE).json
    message = client.get(f"/v2/access/mass-messages/{receipt['id']}", headers=OFAUTH).json
    assert message["id"] == message["queueId"] == receipt["id"]
    assert message["rawText"] == "**Hi** there"
    assert message["fromUser"] == {"id": 412000001, "name": "Mia Rivers"}
    assert message["isMarkdownDisabled"] is True and message["lockedText"] is True
    assert message["isFree"] is True
    assert message["previews"] == [4100000001]
    audio = message["media"][1]
    assert audio["type"] == "audio" and audio["duration"] == 42
    assert message["media"][0]["files"]["full"]["url"].startswith("https://cdn2.onlyfans.com/files/")


@pytest.mark.parametrize("message_id", ["999", "abc", "3100000001x", "-1"])
def test_get_unknown_id_is_resource_not_found(client, message_id):
    response = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH)
    assert response.status_code == 404
    assert response.json["type"] == "RESOURCE_NOT_FOUND"


def test_fixture_messages_are_there_on_first_start(client):
    scheduled = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).json
    assert scheduled["media"][1]["type"] == "video" and scheduled["isFree"] is False
    assert client.get("/v2/access/mass-messages/3100000003", headers=OFAUTH).status_code == 200


@pytest.mark.parametrize("path", ["/v2/access/mass-messages/{id}", "/v2/access/mass-messages/scheduled/{id}"])
def test_delete_scheduled_cancels_and_returns_queue(client, path):
    receipt = create(client, text="Weekend drop", mediaItems=[4100000001, 4100000004, 4100000006],
                     previewMediaCount=1, price=9.99, scheduledDate=FUTURE).json
    response = client.delete(path.format(id=receipt["id"]), headers=OFAUTH)
    assert response.status_code == 200
    body = response.json
    assert body["success"] is True
    queue = body["queue"]
    assert queue["id"] == receipt["id"] and queue["price"] == "9.99"
    assert queue["mediaTypes"] == {"video": 1, "photo": 1, "gif": 1, "audio": 0}
    assert queue["textCropped"] == "Weekend drop" and queue["isCanceled"] is True
    assert queue["sentCount"] == 0
    gone = client.get(f"/v2/access/mass-messages/{receipt['id']}", headers=OFAUTH)
    assert gone.status_code == 404
    again = client.delete(path.format(id=receipt["id"]), headers=OFAUTH)
    assert again.status_code == 404 and again.json["type"] == "RESOURCE_NOT_FOUND"


def test_delete_sent_within_unsend_window_unsends(client):
    response = client.delete("/v2/access/mass-messages/3100000003", headers=OFAUTH)
    assert response.status_code == 200
    queue = response.json["queue"]
    assert queue["sentCount"] == 48 and queue["canUnsend"] is True
    assert queue["viewedCount"] <= queue["sentCount"]


def test_delete_sent_outside_unsend_window_is_bad_request(client):
    response = client.delete("/v2/access/mass-messages/3100000002", headers=OFAUTH)
    assert response.status_code == 400
    assert response.json["type"] == "BAD_REQUEST"
    assert client.get("/v2/access/mass-messages/3100000002", headers=OFAUTH).status_code == 200


def test_text_cropped_cuts_long_text_on_a_word(client):
    text = "word " * 60
    message_id = create(client, text=text, scheduledDate=FUTURE).json["id"]
    queue = client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json["queue"]
    assert queue["textCropped"].endswith("…") and len(queue["textCropped"]) <= 101
