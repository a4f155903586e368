"""The harness covers every route: fault rules by operation name, the journal, state snapshots, the pytest helper."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI

OPERATIONS = [
    ("ofauth", "list_scheduled_mass_messages", "GET", "/v2/access/mass-messages/scheduled"),
    ("ofauth", "list_mass_messages", "GET", "/v2/access/mass-messages"),
    ("ofauth", "replace_mass_message", "PUT", "/v2/access/mass-messages/3100000001"),
    ("ofauth", "mass_messages_chart", "GET", "/v2/access/analytics/mass-messages/chart"),
    ("ofauth", "list_sent_mass_messages", "GET", "/v2/access/analytics/mass-messages/sent"),
    ("ofauth", "list_purchased_mass_messages", "GET", "/v2/access/analytics/mass-messages/purchased"),
    ("ofauth", "list_mass_message_buyers", "GET", "/v2/access/analytics/mass-messages/3099000001/buyers"),
    ("onlyfansapi", "send_mass_message", "POST", f"/api/{ACCOUNT}/mass-messaging"),
    ("onlyfansapi", "list_mass_messages", "GET", f"/api/{ACCOUNT}/mass-messaging"),
    ("onlyfansapi", "retrieve_mass_message", "GET", f"/api/{ACCOUNT}/mass-messaging/3100000001"),
    ("onlyfansapi", "delete_mass_message", "DELETE", f"/api/{ACCOUNT}/mass-messaging/3100000001"),
    ("onlyfansapi", "retrieve_mass_messages_overview", "GET", f"/api/{ACCOUNT}/mass-messaging/overview"),
    ("onlyfansapi", "list_engagement_mass_messages", "GET", f"/api/{ACCOUNT}/engagement/messages/mass-messages"),
    ("onlyfansapi", "mass_messages_chart", "GET", f"/api/{ACCOUNT}/engagement/messages/mass-messages/chart"),
    ("onlyfansapi", "get_message_buyers", "GET", f"/api/{ACCOUNT}/engagement/messages/3099000001/buyers"),
]
BODY = {"text": "x", "userLists": ["fans"], "scheduledDate": "2026-12-05T00:00:00Z"}


def call(client, vendor, method, path):
    headers = OFAUTH if vendor == "ofauth" else ONLYFANSAPI
    return client.open(path, method=method, json=BODY if method in ("POST", "PUT") else None, headers=headers)


@pytest.mark.parametrize("vendor, operation, method, path", OPERATIONS, ids=[f"{o[0]}.{o[1]}" for o in OPERATIONS])
def test_fault_rules_match_every_route_by_operation_and_the_journal_records_it(client, vendor, operation, method,
                                                                              path):
    added = client.post("/_emulator/faults", json={"match": {"vendor": vendor, "route": operation}, "times": 1,
                                                   "respond": {"status": 503}})
    assert added.status_code == 201
    faulted = call(client, vendor, method, path)
    assert faulted.status_code == 503 and faulted.headers["X-Emulator-Fault"] == added.json["id"]
    assert call(client, vendor, method, path).status_code == 200
    entries = client.get("/_emulator/requests", query_string={"vendor": vendor, "method": method}).json["requests"]
    assert [entry["status"] for entry in entries[-2:]] == [503, 200]
    assert entries[-1]["path"] == path and entries[-2]["fault"] == added.json["id"]


def test_state_snapshot_round_trips_new_message_kinds(client):
    saved = client.post(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI,
                        json={"text": "keep for later", "saveForLater": True}).json["data"]["id"]
    narrowed = client.post(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI,
                           json={"text": "new fans", "userLists": ["fans"], "subscribedWithinLastDays": 7,
                                 "rfTag": [5001]}).json["data"]["id"]
    before = {path: client.get(path, headers=OFAUTH).json for path in (
        "/v2/access/mass-messages/scheduled?limit=100", "/v2/access/mass-messages?limit=100",
        "/v2/access/analytics/mass-messages/chart")}
    state = client.get("/_emulator/state").json
    client.post("/_emulator/reset", json={})
    assert client.put("/_emulator/state", json=state).status_code == 200
    after = {path: client.get(path, headers=OFAUTH).json for path in before}
    assert after == before
    assert saved in [entry["id"] for entry in after["/v2/access/mass-messages/scheduled?limit=100"]["list"]]
    retrieved = client.get(f"/api/{ACCOUNT}/mass-messaging/{narrowed}", headers=ONLYFANSAPI).json["data"]["queue"]
    assert retrieved["releaseForms"][0]["id"] == 5001


def test_pytest_helper_sdk_clients_reach_the_new_routes(emulator):
    from onlyfans_sdk import analytics, mass_messages

    ofapi = emulator.onlyfansapi_client()
    sent = ofapi.mass_messaging.send(ACCOUNT, text="From the helper", user_lists=["fans"])
    assert sent.data.id in [item.id for item in ofapi.mass_messaging.list(ACCOUNT).data]
    ofauth = emulator.ofauth_client()
    assert mass_messages.list_scheduleds(ofauth)["list"][0]["id"] == 3100000001
    assert analytics.list_mass_messages_sents(ofauth, limit=1)["items"][0]["id"] == sent.data.id
    assert [entry["path"] for entry in emulator.requests(path="/v2/access/analytics/*")] == [
        "/v2/access/analytics/mass-messages/sent"]
