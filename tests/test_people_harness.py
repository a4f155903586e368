"""The population through the harness: fault rules by operation name, the journal, state export and import,
and the dashboard's list sizes."""
from __future__ import annotations

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, create

LISTS = "/v2/access/users/lists"


def test_fault_rules_match_the_people_operations_by_name(client):
    client.post("/_emulator/faults", json={"match": {"route": "list_user_lists", "vendor": "onlyfansapi"},
                                          "respond": {"status": 503}, "times": 1})
    assert client.get(f"/api/{ACCOUNT}/user-lists", headers=ONLYFANSAPI).status_code == 503
    assert client.get(f"/api/{ACCOUNT}/user-lists", headers=ONLYFANSAPI).status_code == 200
    assert client.get(LISTS, headers=OFAUTH).status_code == 200  # same name, other vendor: not matched
    client.post("/_emulator/faults", json={"match": {"route": "list_subscribers"}, "respond": {"status": 429}})
    limited = client.get("/v2/access/subscribers", headers=OFAUTH)
    assert limited.status_code == 429 and limited.json["type"] == "RATE_LIMIT_EXCEEDED"


def test_the_journal_records_list_changes(client):
    client.post(LISTS, json={"name": "Journaled"}, headers=OFAUTH)
    entries = client.get("/_emulator/requests?path=/v2/access/users/lists*").json["requests"]
    assert [(entry["method"], entry["status"]) for entry in entries] == [("POST", 200)]
    assert entries[0]["body"] == {"name": "Journaled"} and entries[0]["response"]["id"] == 1004


def test_state_keeps_lists_and_audiences_across_export_and_import(client):
    created = client.post(LISTS, json={"name": "Kept"}, headers=OFAUTH).json
    fan = client.get(f"{LISTS}/fans/users?limit=1", headers=OFAUTH).json["list"][0]["id"]
    client.post(f"{LISTS}/{created['id']}/users/{fan}", headers=OFAUTH)
    sent = create(client, userLists=[created["id"]], excludeUserLists=["tagged"]).json
    client.delete(f"{LISTS}/1002", headers=OFAUTH)
    state = client.get("/_emulator/state").json
    client.post("/_emulator/reset", json={})
    assert client.get(f"{LISTS}/{created['id']}", headers=OFAUTH).status_code == 404
    assert client.put("/_emulator/state", json=state).status_code == 200
    assert [user["id"] for user in client.get(f"{LISTS}/{created['id']}/users", headers=OFAUTH).json["list"]] == [fan]
    assert client.get(f"{LISTS}/1002", headers=OFAUTH).status_code == 404
    rows = client.get("/_emulator/queue").json["creators"][0]["messages"]
    assert next(row for row in rows if row["id"] == sent["id"])["total"] == 1
    again = client.get("/_emulator/state").json
    assert (again["creators"], again["queue"]) == (state["creators"], state["queue"])


def test_state_naming_fans_a_creator_does_not_have_is_refused_whole(client):
    state = client.get("/_emulator/state").json
    state["creators"][0]["user_lists"][0]["members"] = "f" * 1000
    refused = client.put("/_emulator/state", json=state)
    assert refused.status_code == 400 and "does not have" in refused.json["error"]
    assert client.get(f"{LISTS}/fans", headers=OFAUTH).json["usersCount"] == 1240


def test_the_dashboard_shows_each_creators_lists_and_audiences(client):
    sent = create(client, userLists=[1001, 1002], scheduledDate="2026-11-25T12:00:00Z").json
    creator = client.get("/_emulator/queue").json["creators"][0]
    assert creator["fans"] == {"active": 1240, "expired": 310}
    assert [(entry["id"], entry["size"]) for entry in creator["lists"]] == [
        ("fans", 1240), ("following", 312), ("recent", 86), ("rebill_off", 97), ("tagged", 14), (1001, 48),
        (1002, 19), (1003, 120)]
    assert next(row for row in creator["messages"] if row["id"] == sent["id"])["total"] == 48  # spenders are VIPs


def test_a_state_document_without_audiences_resolves_them_from_its_lists(client):
    sent = create(client, userLists=[1001], excludeUserLists=[1002]).json
    state = client.get("/_emulator/state").json
    for item in state["queue"]:
        del item["audience"]
    for creator in state["creators"]:
        del creator["user_lists"]
    assert client.put("/_emulator/state", json=state).status_code == 200
    sent_again = client.get("/_emulator/state").json["queue"]
    assert next(item for item in sent_again if item["id"] == sent["id"])["audience"] != "0"
    rows = client.get("/_emulator/queue").json["creators"][0]["messages"]
    assert next(row for row in rows if row["id"] == sent["id"])["total"] == 48 - 19


def test_same_seed_clock_and_requests_give_byte_identical_people_answers():
    from emulator import create_app

    def answers(seed: int) -> list[bytes]:
        client = create_app({"seed": seed, "clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True}).test_client()
        client.post(LISTS, json={"name": "Same"}, headers=OFAUTH)
        paths = [(f"{LISTS}?limit=100", OFAUTH), (f"{LISTS}/1002/users?limit=50", OFAUTH),
                 ("/v2/access/subscribers?type=all&limit=20&offset=700", OFAUTH),
                 (f"/api/{ACCOUNT}/fans/all?limit=20&offset=40", ONLYFANSAPI), ("/api/accounts", ONLYFANSAPI)]
        return [client.get(path, headers=headers).get_data() for path, headers in paths]

    first = answers(11)
    assert answers(11) == first
    assert answers(12)[1] != first[1]  # another seed, other people on the list


def test_notes_names_and_discounts_show_in_both_vendors_and_survive_the_state(client):
    fan = client.get("/v2/access/subscribers?type=active&limit=1", headers=OFAUTH).json["list"][0]["id"]
    assert client.put(f"/v2/access/subscribers/{fan}/note", json={"notice": "Loves cosplay"}, headers=OFAUTH).json == {}
    client.put(f"/v2/access/subscribers/{fan}/custom-name", json={"displayName": "Big Z"}, headers=OFAUTH)
    client.put(f"/v2/access/subscribers/{fan}/discount", json={"discount": 20, "period": 3}, headers=OFAUTH)
    state = client.get("/_emulator/state").json
    client.post("/_emulator/reset", json={})
    assert client.put("/_emulator/state", json=state).status_code == 200
    shown = client.get("/v2/access/subscribers?type=active&limit=1", headers=OFAUTH).json["list"][0]
    assert shown["displayName"] == "Big Z" and shown["subscription"]["discountPercent"] == 20
    assert shown["subscription"]["discountPeriod"] == 3 and shown["subscription"]["discountStartedAt"]
    listed = client.get(f"/api/{ACCOUNT}/fans/active?limit=1", headers=ONLYFANSAPI).json["data"]["list"][0]
    assert (listed["displayName"], listed["notice"], listed["subscribedOnData"]["discountPercent"]) == (
        "Big Z", "Loves cosplay", 20)
    state["creators"][0]["subscribers"]["notices"]["5551"] = "stranger"
    assert client.put("/_emulator/state", json=state).status_code == 400


def test_subscriber_writes_validate_then_change(client):
    fan = client.get("/v2/access/subscribers?limit=1", headers=OFAUTH).json["list"][0]["id"]
    for path, body in ((f"{fan}/discount", {"discount": 4, "period": 3}), (f"{fan}/discount", {"discount": 20}),
                       (f"{fan}/discount", {"discount": 20.5, "period": 1}), (f"{fan}/note", {"notice": "x" * 1001}),
                       (f"{fan}/custom-name", {"displayName": ""}), ("5551/note", {"notice": "x"})):
        response = client.put(f"/v2/access/subscribers/{path}", json=body, headers=OFAUTH)
        assert response.status_code in (400, 404) and response.json["type"] in ("BAD_REQUEST", "RESOURCE_NOT_FOUND")
    shown = client.get("/v2/access/subscribers?limit=1", headers=OFAUTH).json["list"][0]
    assert shown["displayName"] == "" and shown["subscription"]["discountPercent"] == 0
    readonly = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}
    assert client.put(f"/v2/access/subscribers/{fan}/note", json={"notice": "x"}, headers=readonly).status_code == 403
