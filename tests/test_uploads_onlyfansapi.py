"""OnlyFansAPI's media upload: a file, a file_url, async with polling, single use, credits and refusals."""
from __future__ import annotations

import io

import pytest

from .conftest import ACCOUNT, ONLYFANSAPI
from .media_live import live_onlyfansapi_client, live_session  # noqa: F401  (fixtures)

UPLOAD = f"/api/{ACCOUNT}/media/upload"
PHOTO = b"\xff\xd8\xff\xe0" + b"jpeg" * 250_000  # 1,000,004 bytes: 4 credits at 3 per decimal MB


def send(client, media_files, **extra):
    body = {"text": "New drop", "userLists": ["fans"], "mediaFiles": media_files, "price": 12, **extra}
    return client.post(f"/api/{ACCOUNT}/mass-messaging", json=body, headers=ONLYFANSAPI)


def test_sdk_uploads_a_file_sends_it_once_and_the_message_waits(live, live_onlyfansapi):
    from onlyfansapi import UnprocessableEntityError

    uploaded = live_onlyfansapi.media.upload(ACCOUNT, file=("beach.jpg", io.BytesIO(PHOTO), "image/jpeg"))
    assert uploaded.prefixed_id.startswith("ofapi_media_") and uploaded.file_name == "beach.jpg"
    assert uploaded.additional.user == "412000001"
    vault = live.http.get(f"/api/{ACCOUNT}/media/vault", headers=ONLYFANSAPI).json()["data"]["list"]
    assert len(vault) == 8  # not in the vault until a message carries it
    sent = live_onlyfansapi.mass_messaging.send(ACCOUNT, text="New drop", user_lists=["fans"], price=12,
                                                media_files=[uploaded.prefixed_id])
    assert sent.data.is_ready is False
    live.advance(3)
    listed = live_onlyfansapi.mass_messaging.list(ACCOUNT)
    assert next(item for item in listed.data if item.id == sent.data.id).is_ready is True
    with pytest.raises(UnprocessableEntityError):
        live_onlyfansapi.mass_messaging.send(ACCOUNT, text="Again", user_lists=["fans"], price=12,
                                             media_files=[uploaded.prefixed_id])
    vault = live.http.get(f"/api/{ACCOUNT}/media/vault", headers=ONLYFANSAPI).json()["data"]["list"]
    assert len(vault) == 9


def test_sdk_async_upload_polls_to_completed(live, live_onlyfansapi):
    accepted = live_onlyfansapi.media.upload(ACCOUNT, file_url="https://example.com/media/clip.mp4", async_=True)
    upload_id = accepted.prefixed_id
    assert accepted.to_dict()["polling_url"].endswith(f"/api/{ACCOUNT}/media/uploads/{upload_id}/status")
    states = []
    for _ in range(40):
        status = live_onlyfansapi.media.uploads.get_status(upload_id, account=ACCOUNT).to_dict()
        states.append(status["status"])
        if status["status"] == "completed":
            break
        live.advance(1)
    assert states[0] == "pending" and "processing" in states and states[-1] == "completed"
    assert status["credits_used"] >= 1 and status["media"]["prefixed_id"] == upload_id


def test_file_url_as_json_is_simulated_without_fetching(client):
    response = client.post(UPLOAD, json={"file_url": "https://example.com/media/photo.jpg"}, headers=ONLYFANSAPI)
    assert response.status_code == 200 and response.json["file_name"] == "photo.jpg"
    assert int(response.headers["x-ofapi-credits-used"]) >= 1
    assert send(client, [response.json["prefixed_id"]]).status_code == 200


def test_credits_are_three_per_decimal_megabyte(client):
    before = client.get(f"/api/{ACCOUNT}/media/vault", headers=ONLYFANSAPI).json["_meta"]["_credits"]["balance"]
    response = client.post(UPLOAD, data={"file": (io.BytesIO(PHOTO), "a.jpg", "image/jpeg")}, headers=ONLYFANSAPI)
    assert response.headers["x-ofapi-credits-used"] == "4"
    assert int(response.headers["x-ofapi-credits-balance"]) == before - 4


def test_status_is_free_and_a_sync_upload_is_completed(client):
    uploaded = client.post(UPLOAD, data={"file": (io.BytesIO(PHOTO), "a.jpg", "image/jpeg")}, headers=ONLYFANSAPI)
    client.post("/_emulator/clock", json={"advance": 10})
    status = client.get(f"/api/{ACCOUNT}/media/uploads/{uploaded.json['prefixed_id']}/status", headers=ONLYFANSAPI)
    assert status.json["status"] == "completed" and status.headers["x-ofapi-credits-used"] == "0"


@pytest.mark.parametrize("make, field", [
    (lambda: {"data": {}}, "file"),
    (lambda: {"data": {"file": (io.BytesIO(b"x"), "a.jpg", "image/jpeg"), "file_url": "https://e.com/a.jpg"}},
     "file"),
    (lambda: {"data": {"file": (io.BytesIO(b"%PDF"), "a.pdf", "application/pdf")}}, "file"),
    (lambda: {"json": {"file_url": "ftp://example.com/a.jpg"}}, "file_url"),
    (lambda: {"json": {"file_url": "https://example.com/a.jpg", "type": "banner"}}, "type"),
    (lambda: {"json": {"file_url": "https://example.com/a.jpg", "async": "soon"}}, "async"),
])
def test_bad_uploads_are_422_and_cost_nothing(client, make, field):
    response = client.post(UPLOAD, headers=ONLYFANSAPI, **make())
    assert response.status_code == 422 and field in response.json["errors"]
    assert response.headers["x-ofapi-credits-used"] == "0"


def test_unknown_upload_status_is_404(client):
    response = client.get(f"/api/{ACCOUNT}/media/uploads/ofapi_media_nope/status", headers=ONLYFANSAPI)
    assert response.status_code == 404 and "message" in response.json


def test_an_upload_costing_more_than_the_balance_is_402(client):
    session = client.application.extensions["emulator.sessions"].get("default")
    session.world.onlyfansapi_keys["ofapi_test_main_5d21b7"].credits = 2
    response = client.post(UPLOAD, data={"file": (io.BytesIO(PHOTO), "a.jpg", "image/jpeg")}, headers=ONLYFANSAPI)
    assert response.status_code == 402


def test_a_file_name_with_control_characters_is_refused(client):
    response = client.post(UPLOAD, data={"file": (io.BytesIO(b"abc"), "a\x01.jpg", "image/jpeg")},
                           headers=ONLYFANSAPI)
    assert response.status_code == 422 and "filename" in response.json["errors"]


def test_same_seed_and_requests_give_identical_answers():
    from emulator import create_app

    def answers():
        fresh = create_app({"clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True}).test_client()
        bodies = [fresh.post(UPLOAD, data={"file": (io.BytesIO(PHOTO), "a.jpg", "image/jpeg")},
                             headers=ONLYFANSAPI).data,
                  fresh.post(UPLOAD, json={"file_url": "https://e.com/v.mp4", "async": True},
                             headers=ONLYFANSAPI).data,
                  fresh.get(f"/api/{ACCOUNT}/media/vault", headers=ONLYFANSAPI).data]
        return bodies

    assert answers() == answers()


def test_sdk_file_url_upload_is_used_once_in_a_ppv_message(live, live_onlyfansapi):
    from onlyfansapi import UnprocessableEntityError

    uploaded = live_onlyfansapi.media.upload(ACCOUNT, file_url="https://example.com/media/set/sunset.jpg")
    assert uploaded.file_name == "sunset.jpg" and uploaded.thumbs[0].url.startswith("https://")
    sent = live_onlyfansapi.mass_messaging.send(ACCOUNT, text="Sunset set", user_lists=["1001"], price=8,
                                                media_files=[uploaded.prefixed_id], previews=[0])
    assert sent.data.is_ready is False  # the photo is still processing
    live.advance(5)
    assert next(item for item in live_onlyfansapi.mass_messaging.list(ACCOUNT).data
                if item.id == sent.data.id).is_ready is True
    with pytest.raises(UnprocessableEntityError):
        live_onlyfansapi.mass_messaging.send(ACCOUNT, text="Again", user_lists=["1001"], price=8,
                                             media_files=[uploaded.prefixed_id])


def test_a_url_without_a_known_extension_is_taken_as_a_photo(client):
    response = client.post(UPLOAD, json={"file_url": "https://cdn.example.com/p/abc123"}, headers=ONLYFANSAPI)
    assert response.status_code == 200 and response.json["file_name"] == "abc123"
    sent = send(client, [response.json["prefixed_id"]])
    client.post("/_emulator/clock", json={"advance": 10})
    media = client.get(f"/api/{ACCOUNT}/media/vault", query_string={"type": "photo"}, headers=ONLYFANSAPI)
    assert sent.status_code == 200 and len(media.json["data"]["list"]) == 5
