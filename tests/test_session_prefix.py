"""A session named by its base URL: ``/s/{session}`` in front of any route, alone or agreeing with the header."""
from __future__ import annotations

import io

import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI

CREATE = {"text": "prefixed", "userLists": ["fans"]}


def journal(client, prefix: str = "", **headers: str) -> list[dict]:
    return client.get(f"{prefix}/_emulator/requests", headers=headers).json["requests"]


def test_a_call_under_the_prefix_lands_in_that_session_only(client):
    assert client.post("/s/alpha/v2/access/mass-messages", json=CREATE, headers=OFAUTH).status_code == 200
    assert client.get(f"/s/alpha/api/{ACCOUNT}/mass-messaging/overview", headers=ONLYFANSAPI).status_code == 200
    paths = [entry["path"] for entry in journal(client, "/s/alpha")]
    assert paths == ["/v2/access/mass-messages", f"/api/{ACCOUNT}/mass-messaging/overview"]
    assert journal(client, **{"X-Emulator-Session": "alpha"}) == journal(client, "/s/alpha")
    assert journal(client) == [] and journal(client, "/s/beta") == []


def test_the_prefix_reaches_the_admin_api(client):
    client.post("/s/alpha/_emulator/clock", json={"advance": 3600})
    moved = client.get("/s/alpha/_emulator/clock").json["epoch"]
    assert moved > client.get("/_emulator/clock").json["epoch"]


def test_header_and_prefix_that_agree_are_one_session(client):
    headers = {**OFAUTH, "X-Emulator-Session": "alpha"}
    assert client.post("/s/alpha/v2/access/mass-messages", json=CREATE, headers=headers).status_code == 200
    assert len(journal(client, "/s/alpha")) == 1


@pytest.mark.parametrize(("path", "headers", "body"), [
    ("/s/alpha/v2/access/mass-messages", OFAUTH, CREATE),
    (f"/s/alpha/api/{ACCOUNT}/mass-messaging", ONLYFANSAPI, CREATE),
    ("/s/alpha/_emulator/faults", {}, {"respond": {"status": 500}}),
])
def test_header_and_prefix_that_disagree_are_refused_and_change_nothing(client, path, headers, body):
    response = client.post(path, json=body, headers={**headers, "X-Emulator-Session": "beta"})
    assert response.status_code == 400
    assert "X-Emulator-Session names session 'beta' but the path names 'alpha'" in response.get_data(as_text=True)
    for session in ("alpha", "beta"):
        assert client.get(f"/s/{session}/_emulator/faults").json["rules"] == []
        assert client.get(f"/s/{session}/_emulator/state").json["next_queue_id"] == 3100000005


def test_a_name_too_long_in_the_path_is_refused_as_in_the_header(client):
    response = client.get(f"/s/{'x' * 129}/v2/access/mass-messages", headers=OFAUTH)
    assert response.status_code == 400 and "1 to 128 visible ASCII characters" in response.json["error"]


def test_an_empty_prefix_is_no_session_but_an_unknown_route(client):
    assert client.get("/s//v2/access/mass-messages", headers=OFAUTH).status_code == 404


def test_next_page_keeps_the_prefix(client):
    for _ in range(3):
        client.post(f"/s/alpha/api/{ACCOUNT}/mass-messaging", json=CREATE, headers=ONLYFANSAPI)
    body = client.get(f"/s/alpha/api/{ACCOUNT}/engagement/messages/mass-messages?limit=1", headers=ONLYFANSAPI).json
    assert f"/s/alpha/api/{ACCOUNT}/engagement/messages/mass-messages?" in body["_pagination"]["next_page"]


def test_urls_the_emulator_hands_out_keep_the_prefix(client):
    plan = client.post("/s/alpha/v2/access/uploads/init", headers=OFAUTH,
                       json={"filename": "a.mp4", "size": 12_000_000, "contentType": "video/mp4"}).json
    assert plan["completeUrl"] == "http://localhost/s/alpha/v2/access/uploads/complete"
    assert all(part["uploadUrl"].startswith("http://localhost/s/alpha/v2/access/uploads/") for part in plan["parts"])
    accepted = client.post(f"/s/alpha/api/{ACCOUNT}/media/upload", headers=ONLYFANSAPI,
                           data={"file": (io.BytesIO(b"abc"), "a.jpg", "image/jpeg"), "async": "true"}).json
    polling = accepted["polling_url"]
    assert polling.startswith(f"http://localhost/s/alpha/api/{ACCOUNT}/media/uploads/")
    path = polling.removeprefix("http://localhost")
    assert client.get(path, headers=ONLYFANSAPI).json["status"] == "pending"  # found in session alpha
    assert client.get(path.removeprefix("/s/alpha"), headers=ONLYFANSAPI).status_code == 404  # not in the default
