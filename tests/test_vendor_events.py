"""Vendor events: the upstream changing under a client, now or at an instant, from the admin API, a profile at
start, and the pytest helper."""
from __future__ import annotations

import io

import pytest
import yaml

from emulator import create_app
from emulator.testing import Emulator

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, create

SCHEDULED = "2026-12-01T18:00:00Z"


def event(client, **body):
    return client.post("/_emulator/events", json=body)


def test_connection_expires_now(client):
    assert event(client, kind="connection_expired", target="conn_emulator_main").status_code == 201
    response = client.get("/v2/access/mass-messages", headers=OFAUTH)
    assert response.status_code == 401
    assert response.json["type"] == "SESSION_EXPIRED" and response.json["actionRequired"] == "relink_connection"


def test_identity_verification_at_an_instant(client):
    event(client, kind="identity_verification", target="conn_emulator_main", **{"in": 60})
    assert client.get("/v2/access/mass-messages", headers=OFAUTH).status_code == 200
    client.post("/_emulator/clock", json={"advance": 60})
    response = client.get("/v2/access/mass-messages", headers=OFAUTH)
    assert response.status_code == 401 and response.json["actionRequired"] == "verify_identity"
    assert client.get("/_emulator/events").json["events"][0]["applied"] is True


def test_the_account_api_shows_a_connection_expired_at_its_instant(client):
    event(client, kind="connection_expired", target="conn_emulator_main", **{"in": 60})
    client.post("/_emulator/clock", json={"advance": 60})
    listed = client.get("/v2/account/connections", headers=OFAUTH).json["list"]  # the first request after it
    assert [connection["status"] for connection in listed if connection["id"] == "conn_emulator_main"] == ["expired"]


def test_credits_run_out_by_account(client):
    event(client, kind="credits_exhausted", target=ACCOUNT)
    response = client.get(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI)
    assert response.status_code == 402 and "credits" in response.json["message"]


def test_an_upload_fails_processing(client):
    event(client, kind="upload_fails", target="next")
    plan = client.post("/v2/access/uploads/init", json={"filename": "a.jpg", "size": 3, "contentType": "image/jpeg"},
                       headers=OFAUTH).json
    response = client.put(f"/v2/access/uploads/{plan['mediaUploadId']}", data=b"abc",
                          headers={**OFAUTH, "Content-Type": "image/jpeg"})
    assert response.status_code == 502
    assert response.json["type"] == "UPLOAD_ERROR" and response.json["actionRequired"] == "try_again"


def test_an_onlyfansapi_upload_fails_after_it_was_accepted(client):
    accepted = client.post(f"/api/{ACCOUNT}/media/upload", data={"file": (io.BytesIO(b"abc"), "a.jpg", "image/jpeg"),
                                                                  "async": "true"}, headers=ONLYFANSAPI).json
    event(client, kind="upload_fails", target=accepted["prefixed_id"])
    client.post("/_emulator/clock", json={"advance": 30})
    status = client.get(f"/api/{ACCOUNT}/media/uploads/{accepted['prefixed_id']}/status", headers=ONLYFANSAPI).json
    assert status["status"] == "failed" and status["error"]


def test_a_message_fails_partway(client):
    message_id = create(client, scheduledDate=SCHEDULED).json["id"]
    event(client, kind="message_fails", target=message_id, at="2026-12-01T18:00:10Z")
    client.post("/_emulator/clock", json={"now": "2026-12-01T18:05:00Z"})
    queue = client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json["queue"]
    assert queue["hasError"] is True and queue["sentCount"] == 500  # 10 s at 50 a second, then nothing


def test_a_failed_message_stops_its_pending_count(client):
    sent = client.post(f"/api/{ACCOUNT}/mass-messaging", json={"text": "x", "userLists": ["fans"],
                                                               "scheduledDate": SCHEDULED}, headers=ONLYFANSAPI)
    message_id = sent.json["data"]["id"]
    event(client, kind="message_fails", target=message_id, at="2026-12-01T18:00:04Z")
    client.post("/_emulator/clock", json={"now": "2026-12-01T18:00:20Z"})
    first = client.get(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI).json["data"]
    client.post("/_emulator/clock", json={"advance": 60})
    later = client.get(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI).json["data"]
    mine = [next(item for item in listed if item["id"] == message_id) for listed in (first, later)]
    assert all(item["hasError"] for item in mine) and mine[0]["pending"] == mine[1]["pending"] == 1240 - 200


@pytest.mark.parametrize("body", [
    {"kind": "meteor", "target": "x"}, {"kind": "connection_expired", "target": "conn_nobody"},
    {"kind": "message_fails", "target": "42"}, {"kind": "credits_exhausted", "target": "key", "in": -1},
    {"kind": "upload_fails", "target": "upload:nope"}, {"kind": "connection_expired"},
    {"kind": "connection_expired", "target": "conn_emulator_main", "at": "tomorrow"},
])
def test_bad_events_are_refused(client, body):
    response = event(client, **body)
    assert response.status_code == 400 and client.get("/_emulator/events").json["events"] == []


def test_a_profile_schedules_events_at_start(tmp_path):
    profile = tmp_path / "expiring.yaml"
    profile.write_text(yaml.safe_dump({"events": [{"kind": "connection_expired", "target": "conn_emulator_main",
                                                    "in": 120}]}))
    app = create_app({"clock_start": NOW, "clock_frozen": True, "faults": str(profile)})
    client = app.test_client()
    assert client.get("/v2/access/mass-messages", headers=OFAUTH).status_code == 200
    client.post("/_emulator/clock", json={"advance": 120})
    assert client.get("/v2/access/mass-messages", headers=OFAUTH).json["type"] == "SESSION_EXPIRED"


def test_a_bad_profile_event_stops_the_start(tmp_path):
    from emulator.domain.fixtures import FixtureError

    profile = tmp_path / "bad.yaml"
    profile.write_text(yaml.safe_dump({"events": [{"kind": "meteor", "target": "x"}]}))
    with pytest.raises(FixtureError):
        create_app({"faults": str(profile)})


def test_the_pytest_helper_adds_events():
    helper = Emulator.in_process({"clock_start": NOW, "clock_frozen": True})
    added = helper.events.add("credits_exhausted", "ofapi_test_main_5d21b7", seconds=10)
    assert added["applied"] is False and helper.events.list()[0]["id"] == added["id"]
    helper.clock.advance(10)
    client = helper.onlyfansapi_client()
    from onlyfansapi import APIStatusError
    with pytest.raises(APIStatusError) as refused:
        client.mass_messaging.list(ACCOUNT)
    assert refused.value.status_code == 402
    helper.close()
