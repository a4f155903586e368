"""OFAuth's upload flow: the SDK's upload_media in one part and in several, the plan, and every refusal."""
from __future__ import annotations

import hashlib

import pytest

from .conftest import OFAUTH, create, queue_size
from .media_live import live_ofauth_client, live_session  # noqa: F401  (fixtures)

INIT = "/v2/access/uploads/init"
SMALL = b"\xff\xd8\xff\xe0" + b"photo bytes " * 2000
SMALL_SIZE = len(SMALL)
LARGE = bytes(range(256)) * (11 * 1024 * 1024 // 256)  # 11 MiB: three parts of at most 5 MiB


def start(client, size=SMALL_SIZE, content_type="image/jpeg", **extra):
    body = {"filename": "photo.jpg", "size": size, "contentType": content_type, **extra}
    return client.post(INIT, json=body, headers=OFAUTH)


def put(client, path, data, content_type="image/jpeg"):
    return client.put(path, data=data, headers={**OFAUTH, "Content-Type": content_type})


def test_sdk_single_part_upload_then_ppv_send_waits_for_processing(live, live_ofauth):
    from onlyfans_sdk import messages

    result = live_ofauth.upload_media("conn_emulator_main", "beach.jpg", SMALL, "image/jpeg")
    reference, media = result["mediaUploadId"], result["media"]
    assert reference.startswith("upload:") and media["type"] == "photo" and media["isReady"] is False
    assert media["files"]["full"]["size"] == len(SMALL)
    receipt = messages.create_mass_messages(live_ofauth, body={
        "text": "New set 📸", "userLists": ["fans"], "mediaItems": [reference], "price": 9.99})
    assert receipt["isReady"] is False and receipt["pending"] == receipt["total"]
    live.advance(5)
    again = messages.get_mass_messages(live_ofauth, str(receipt["id"]))
    assert again["isNew"] is False and [item["id"] for item in again["media"]] == [media["id"]]
    from onlyfans_sdk import OFAuthError
    with pytest.raises(OFAuthError) as refused:
        messages.create_mass_messages(live_ofauth, body={
            "text": "again", "userLists": ["fans"], "mediaItems": [reference], "price": 9.99})
    assert refused.value.status == 400


def test_sdk_multipart_upload_reports_progress_and_makes_a_video(live, live_ofauth):
    from onlyfans_sdk import messages

    seen = []
    result = live_ofauth.upload_media("conn_emulator_main", "clip.mp4", LARGE, "video/mp4",
                                      on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(5 * 1024 * 1024, len(LARGE)), (10 * 1024 * 1024, len(LARGE)), (len(LARGE), len(LARGE))]
    assert result["media"]["type"] == "video" and result["media"]["files"]["full"]["size"] == len(LARGE)
    receipt = messages.create_mass_messages(live_ofauth, body={
        "text": "Full clip", "userLists": [1001], "mediaItems": [result["mediaUploadId"]], "price": 15,
        "scheduledDate": "2026-11-24T12:00:05Z"})
    assert receipt["isReady"] is False
    live.advance(6)  # the schedule has passed, but the 11 MiB video is still processing (10 s + 1.2 s)
    assert messages.get_mass_messages(live_ofauth, str(receipt["id"]))["isNew"] is True
    live.advance(10)
    assert messages.get_mass_messages(live_ofauth, str(receipt["id"]))["isNew"] is False
    listed = live.http.get("/v2/access/vault/media", params={"type": "video"}, headers=OFAUTH).json()["list"]
    assert listed[0]["id"] == result["media"]["id"] and listed[0]["isReady"] is True
    assert {"type": "media_stickers", "name": "Uploads"}.items() <= {
        **next(folder for folder in listed[0]["lists"] if folder["type"] == "media_stickers")}.items()


def test_plan_follows_the_guide(client):
    response = start(client, size=6_825_499, content_type="video/mp4")
    plan = response.json
    assert response.headers["x-ofauth-upload-total-parts"] == "2" == str(plan["totalParts"])
    assert response.headers["x-ofauth-upload-part-size"] == "5242880" == str(plan["partSize"])
    assert plan["uploadType"] == "multipart" and plan["completeUrl"].endswith("/v2/access/uploads/complete")
    assert [part["byteRange"] for part in plan["parts"]] == [{"start": 0, "end": 5242879},
                                                             {"start": 5242880, "end": 6825498}]
    assert "%3A" in plan["parts"][0]["uploadUrl"] and plan["parts"][1]["uploadUrl"].endswith("/parts/2")


def test_single_part_through_the_encoded_url(client):
    plan = start(client).json
    assert plan["uploadType"] == "single" and "completeUrl" not in plan
    path = plan["parts"][0]["uploadUrl"].split("localhost", 1)[1]
    done = put(client, path, SMALL)
    assert done.status_code == 200 and done.json["mediaUploadId"] == plan["mediaUploadId"]


@pytest.mark.parametrize("body, status, field", [
    ({"filename": "a.pdf", "size": 10, "contentType": "application/pdf"}, 415, None),
    ({"filename": "a.jpg", "size": 60_000_000, "contentType": "image/jpeg"}, 413, None),
    ({"filename": "a.mp4", "size": 6_000_000_000, "contentType": "video/mp4"}, 413, None),
    ({"filename": "", "size": 10, "contentType": "image/jpeg"}, 400, "filename"),
    ({"filename": "a.jpg", "size": 0, "contentType": "image/jpeg"}, 400, "size"),
    ({"filename": "a.jpg", "size": 1.5, "contentType": "image/jpeg"}, 400, "size"),
    ({"filename": "a.jpg", "contentType": "image/jpeg"}, 400, "size"),
    ({"filename": "a.jpg", "size": 10}, 400, "contentType"),
    ({"filename": "a.jpg", "size": 10, "contentType": "image/jpeg", "vaultUpload": {"mode": "post"}}, 400,
     "vaultUpload.mode"),
])
def test_init_refuses_bad_files(client, body, status, field):
    response = client.post(INIT, json=body, headers=OFAUTH)
    assert response.status_code == status and response.json["type"] == "BAD_REQUEST"
    if field:
        assert response.json["details"][0]["field"] == field


def test_parts_out_of_range_of_wrong_length_or_missing_are_refused(client):
    plan = start(client, size=6_825_499, content_type="video/mp4").json
    base = f"/v2/access/uploads/{plan['mediaUploadId']}"
    assert put(client, f"{base}/parts/3", b"x", "video/mp4").json["details"][0]["field"] == "partNumber"
    short = put(client, f"{base}/parts/1", b"x" * 100, "video/mp4")
    assert short.status_code == 400 and short.json["details"][0]["field"] == "body"
    assert put(client, base, b"x" * 100, "video/mp4").status_code == 400  # multipart: no single PUT
    first = put(client, f"{base}/parts/1", b"a" * 5242880, "video/mp4")
    assert first.json["etag"] == f'"{hashlib.md5(b"a" * 5242880).hexdigest()}"'
    missing = client.post("/v2/access/uploads/complete", json={"mediaUploadId": plan["mediaUploadId"]},
                          headers=OFAUTH)
    assert missing.status_code == 400 and "missing parts [2]" in missing.json["error"]
    assert put(client, f"{base}/parts/2", b"b" * 1582619, "video/mp4").status_code == 200
    done = client.post("/v2/access/uploads/complete", json={"mediaUploadId": plan["mediaUploadId"]}, headers=OFAUTH)
    assert done.status_code == 200 and done.json["media"]["type"] == "video"
    twice = client.post("/v2/access/uploads/complete", json={"mediaUploadId": plan["mediaUploadId"]}, headers=OFAUTH)
    assert twice.status_code == 400 and "already complete" in twice.json["error"]


def test_an_oversized_body_is_refused_and_changes_nothing(client):
    plan = start(client).json
    path = f"/v2/access/uploads/{plan['mediaUploadId']}"
    assert put(client, path, SMALL + b"!").status_code == 413
    assert put(client, path, SMALL).status_code == 200


def test_unknown_upload_is_not_found_and_unready_reference_is_refused(client):
    missing = put(client, "/v2/access/uploads/upload:00000000-0000-4000-8000-000000000000", SMALL)
    assert missing.status_code == 404 and missing.json["type"] == "RESOURCE_NOT_FOUND"
    plan = start(client).json
    before = queue_size(client)
    response = create(client, mediaItems=[plan["mediaUploadId"]], price=5)
    assert response.status_code == 400 and response.json["details"][0]["field"] == "mediaItems.0"
    assert queue_size(client) == before


def test_upload_needs_vault_write(client):
    readonly = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}
    response = client.post(INIT, json={"filename": "a.jpg", "size": 1, "contentType": "image/jpeg"},
                           headers=readonly)
    assert response.status_code == 403 and response.json["type"] == "FORBIDDEN"


def test_check_finds_a_finished_upload_by_etag_and_size(client):
    plan = start(client).json
    put(client, f"/v2/access/uploads/{plan['mediaUploadId']}", SMALL)
    etag = hashlib.md5(SMALL).hexdigest()
    found = client.post("/v2/access/uploads/check", json={"etag": f'"{etag}"', "size": len(SMALL)}, headers=OFAUTH)
    assert found.json["exists"] is True and found.json["media"]["files"]["full"]["size"] == len(SMALL)
    other = client.post("/v2/access/uploads/check", json={"etag": etag, "size": 5}, headers=OFAUTH)
    assert other.json == {"exists": False}


def test_uploads_are_deterministic(app):
    from emulator import create_app

    def first_reference():
        fresh = create_app({"clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True}).test_client()
        return start(fresh).json["mediaUploadId"]

    assert first_reference() == first_reference()


def test_the_journal_keeps_the_size_not_the_bytes(client):
    plan = start(client).json
    put(client, f"/v2/access/uploads/{plan['mediaUploadId']}", SMALL)
    entry = client.get("/_emulator/requests").json["requests"][-1]
    assert entry["method"] == "PUT" and entry["body_size"] == len(SMALL) and entry["body"] is None


@pytest.mark.parametrize("number", ["0", "-1", "１", "1e2", "9999999"])
def test_odd_part_numbers_are_refused(client, number):
    plan = start(client, size=6_825_499, content_type="video/mp4").json
    response = put(client, f"/v2/access/uploads/{plan['mediaUploadId']}/parts/{number}", b"x", "video/mp4")
    assert response.status_code == 400 and response.json["details"][0]["field"] == "partNumber"


@pytest.mark.parametrize("filename", ["a\x00.jpg", "\u202egpj.exe", "a\nb.jpg", "x" * 256])
def test_odd_file_names_are_refused(client, filename):
    response = client.post(INIT, json={"filename": filename, "size": 3, "contentType": "image/jpeg"}, headers=OFAUTH)
    assert response.status_code == 400 and response.json["details"][0]["field"] == "filename"


def test_a_long_unknown_id_is_not_echoed_whole(client):
    response = put(client, "/v2/access/uploads/upload:" + "x" * 5000, b"a")
    assert response.status_code == 404 and len(response.json["error"]) < 200


def test_part_transfers_spend_no_rate_limit_tokens(client):
    session = client.application.extensions["emulator.sessions"].get("default")
    session.world.ofauth_keys["ofa_test_main_2f7c9e41"].burst = 3  # init and complete take a token each
    plan = start(client, size=6_825_499, content_type="video/mp4").json
    for part in plan["parts"] * 3:  # each part sent three times: six transfers
        length = part["byteRange"]["end"] - part["byteRange"]["start"] + 1
        response = put(client, f"/v2/access/uploads/{plan['mediaUploadId']}/parts/{part['partNumber']}",
                       b"v" * length, "video/mp4")
        assert response.status_code == 200 and response.headers["X-RateLimit-Remaining"] == "2"
    done = client.post("/v2/access/uploads/complete", json={"mediaUploadId": plan["mediaUploadId"]}, headers=OFAUTH)
    assert done.status_code == 200 and done.headers["X-RateLimit-Remaining"] == "1"


def test_a_slow_upload_does_not_stall_its_session(live):
    import socket
    import time
    from urllib.parse import urlsplit

    plan = live.http.post(INIT, json={"filename": "slow.jpg", "size": 1000, "contentType": "image/jpeg"},
                          headers=OFAUTH).json()
    address = urlsplit(live.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as slow:
        head = (f"PUT /v2/access/uploads/{plan['mediaUploadId']} HTTP/1.1\r\nHost: x\r\n"
                f"apiKey: {OFAUTH['apiKey']}\r\nx-connection-id: {OFAUTH['x-connection-id']}\r\n"
                f"X-Emulator-Session: {live.name}\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n")
        slow.sendall(head.encode() + b"x" * 10)  # 990 bytes still to come
        time.sleep(0.3)
        started = time.perf_counter()
        other = live.http.get("/v2/access/mass-messages/scheduled", headers=OFAUTH)
        assert other.status_code == 200 and time.perf_counter() - started < 2
        slow.sendall(b"x" * 990)
        assert b" 200 " in slow.recv(4096).split(b"\r\n", 1)[0] + b" "


def test_a_full_vault_refuses_new_uploads_and_changes_nothing(client, monkeypatch):
    from emulator.domain import uploads

    monkeypatch.setattr(uploads, "MAX_VAULT", 9)  # the fixture vault holds 8
    plan = start(client).json
    assert put(client, f"/v2/access/uploads/{plan['mediaUploadId']}", SMALL).status_code == 200
    world = client.application.extensions["emulator.sessions"].get("default").world
    before = len(world.uploads.items)
    refused = start(client)
    assert refused.status_code == 400 and "vault holds 9 media" in refused.json["error"]
    assert len(world.uploads.items) == before
