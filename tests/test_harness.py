"""The test harness: journal, virtual clock and lifecycle, reset, snapshots, sessions."""
from __future__ import annotations

import threading

import pytest

from .conftest import ACCOUNT, FUTURE, OFAUTH, ONLYFANSAPI, Server, create


def advance(client, seconds, session=None):
    headers = {"X-Emulator-Session": session} if session else {}
    return client.post("/_emulator/clock", json={"advance": seconds}, headers=headers).json


def test_journal_records_requests_with_masked_keys(client):
    create(client, text="journaled")
    client.put(f"/api/{ACCOUNT}/mass-messaging/3100000001", json={"text": "x"},
               headers={**ONLYFANSAPI, "x-stainless-retry-count": "1"})
    entries = client.get("/_emulator/requests").json["requests"]
    assert [entry["method"] for entry in entries] == ["POST", "PUT"]
    first, second = entries
    assert first["vendor"] == "ofauth" and first["status"] == 200
    assert first["body"]["text"] == "journaled" and first["response"]["total"] == 1240
    assert "ofa_test_main_2f7c9e41" not in str(first["headers"])
    assert first["rate_limit"]["remaining"] == 89
    assert second["retry_count"] == "1" and second["rate_limit"]["remaining_minute"] == 999
    assert "ofapi_test_main_5d21b7" not in str(second["headers"])


def test_journal_filters_and_clears(client):
    create(client)
    client.get("/v2/access/mass-messages/999", headers=OFAUTH)
    client.post("/v2/access/mass-messages", json={}, headers={**OFAUTH, "X-Emulator-Fault": "502"})
    assert client.get("/_emulator/requests?status=404").json["count"] == 1
    assert client.get("/_emulator/requests?method=post").json["count"] == 2
    assert client.get("/_emulator/requests?path=/v2/access/mass-messages/*").json["count"] == 1
    assert client.get("/_emulator/requests?limit=1").json["requests"][0]["fault"] == "header"
    assert client.get("/_emulator/requests?vendor=onlyfansapi").json["count"] == 0
    assert client.get("/_emulator/requests?since=2030-01-01T00:00:00Z").json["count"] == 0
    assert client.get("/_emulator/requests?status=abc").status_code == 400
    client.delete("/_emulator/requests")
    assert client.get("/_emulator/requests").json["count"] == 0


def test_journal_is_a_bounded_ring():
    from emulator import create_app

    client = create_app({"journal_size": 3}).test_client()
    for _ in range(5):
        client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    entries = client.get("/_emulator/requests").json["requests"]
    assert [entry["seq"] for entry in entries] == [3, 4, 5]


def test_scheduled_message_is_sent_by_advancing_the_clock(client):
    message_id = create(client, scheduledDate="2026-11-24T13:00:00Z", userLists=[1001]).json["id"]
    path = f"/v2/access/mass-messages/{message_id}"
    assert client.get(path, headers=OFAUTH).json["isNew"] is True
    advance(client, 3600)
    message = client.get(path, headers=OFAUTH).json
    assert message["canUnsendQueue"] is True and message["unsendSecondsQueue"] == 86400
    edited = client.put(f"/api/{ACCOUNT}/mass-messaging/{message_id}", json={"text": "late"}, headers=ONLYFANSAPI)
    assert edited.status_code == 400
    advance(client, 3600)
    queue = client.delete(path, headers=OFAUTH).json["queue"]
    assert queue["sentCount"] == 48 and queue["unsendSeconds"] == 86400 - 3600
    assert 0 < queue["viewedCount"] < 48


def test_pending_counts_down_while_sending(client):
    receipt = create(client, userLists=["fans"]).json
    assert receipt["pending"] == 1240
    advance(client, 10)
    queue = client.delete(f"/v2/access/mass-messages/{receipt['id']}", headers=OFAUTH).json["queue"]
    assert queue["sentCount"] == 500


def test_unsend_window_closes(client):
    message_id = create(client).json["id"]
    advance(client, 86400)
    response = client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH)
    assert response.status_code == 400


def test_reset_restores_fixtures_and_clears_runtime_faults(client):
    create(client)
    client.post("/_emulator/faults", json={"respond": {"status": 500}, "match": {"method": "GET"}})
    advance(client, 500)
    reset = client.post("/_emulator/reset", json={}).json
    assert reset["clock"]["now"] == "2026-11-24T12:00:00+00:00"
    assert client.get("/_emulator/faults").json["rules"] == []
    assert client.get("/_emulator/requests").json["count"] == 0
    assert create(client).json["id"] == 3100000005


def test_reset_with_seed_reseeds(client):
    before = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).json["media"][0]["files"]
    assert client.post("/_emulator/reset", json={"seed": 99}).json["seed"] == 99
    after = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).json["media"][0]["files"]
    assert before != after
    assert client.post("/_emulator/reset", json={"seed": "x"}).status_code == 400


def test_state_export_import_round_trip(client):
    message_id = create(client, mediaItems=["https://example.com/a.jpg"], scheduledDate=FUTURE).json["id"]
    state = client.get("/_emulator/state").json
    client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH)
    assert client.put("/_emulator/state", json=state).status_code == 200
    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["media"][0]["id"] >= 4200000001
    assert create(client).json["id"] == message_id + 1


@pytest.mark.parametrize("mutate", [
    lambda s: s.update(version=9),
    lambda s: s["queue"][0].update(price="free"),
    lambda s: s["queue"][0].update(creator_id=5),
    lambda s: s["credits"].update(nobody=3),
    lambda s: s.pop("creators"),
])
def test_bad_state_document_is_refused_untouched(client, mutate):
    create(client)
    before = client.get("/_emulator/state").json
    state = client.get("/_emulator/state").json
    mutate(state)
    assert client.put("/_emulator/state", json=state).status_code == 400
    after = client.get("/_emulator/state").json
    for document in (before, after):  # the offset from real time moves on even while the clock is frozen
        document["clock"].pop("offset")
    assert after == before


def test_sessions_are_isolated_in_parallel_threads(app):
    results: dict[str, object] = {}

    def worker(name: str) -> None:
        client = app.test_client()
        headers = {**OFAUTH, "X-Emulator-Session": name}
        client.post("/_emulator/faults", json={"respond": {"status": 503}, "match": {"method": "GET"}},
                    headers={"X-Emulator-Session": name} if name == "b" else {})
        ids = [client.post("/v2/access/mass-messages", json={"text": name, "userLists": ["fans"]},
                           headers=headers).json["id"] for _ in range(20)]
        statuses = {client.get(f"/v2/access/mass-messages/{i}", headers=headers).status_code for i in ids}
        results[name] = (ids, statuses)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (ids_a, statuses_a), (ids_b, statuses_b) = results["a"], results["b"]
    assert ids_a == ids_b == list(range(3100000005, 3100000025))
    assert statuses_a == {200} and statuses_b == {503}
    default = app.test_client()
    assert default.get("/_emulator/state").json["next_queue_id"] == 3100000005


def test_sessions_are_bounded():
    from emulator import create_app

    client = create_app({"max_sessions": 2}).test_client()
    for name in ("one", "two", "three"):
        client.get("/_emulator/clock", headers={"X-Emulator-Session": name})
    # Two named sessions besides the default; the least recently used one went.
    assert set(client.get("/_emulator/sessions").json["sessions"]) == {"default", "two", "three"}


def test_state_file_survives_sigterm_and_restart(tmp_path):
    state_file = tmp_path / "state.json"
    first = Server("--state-file", str(state_file))
    with first.client() as http:
        body = {"text": "Keep me", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"}
        message_id = http.post("/v2/access/mass-messages", json=body, headers=OFAUTH).json()["id"]
        assert http.post("/_emulator/state/save", json={}).status_code == 200
    assert state_file.exists()
    out = first.stop()
    assert "state saved" in out
    second = Server("--state-file", str(state_file))
    try:
        with second.client() as http:
            message = http.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH)
            assert message.status_code == 200 and message.json()["rawText"] == "Keep me"
    finally:
        second.stop()
    assert not list(tmp_path.glob(".state.json.*"))


def test_reset_keeps_the_start_up_profile_unless_told(tmp_path):
    from emulator import create_app

    profile = tmp_path / "profile.yaml"
    profile.write_text("rules:\n  - {id: slowish, respond: {delay_ms: 1}}\n")
    client = create_app({"faults": str(profile)}).test_client()
    client.post("/_emulator/faults", json={"respond": {"status": 500}})
    client.post("/_emulator/reset", json={})
    assert [rule["id"] for rule in client.get("/_emulator/faults").json["rules"]] == ["slowish"]
    client.post("/_emulator/reset", json={"faults": True})
    assert client.get("/_emulator/faults").json["rules"] == []
