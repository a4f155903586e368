"""Fault rules: matching, effects, schedules, the admin API, the header, profiles and determinism."""
from __future__ import annotations

from pathlib import Path

import pytest

from emulator import create_app

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, ROOT, create, queue_size

PROFILES = sorted((ROOT / "fixtures" / "faults").glob("*.yaml"))


def add_rule(client, rule):
    response = client.post("/_emulator/faults", json=rule)
    assert response.status_code == 201, response.json
    return response.json



@pytest.mark.parametrize("status, error_type", [(429, "RATE_LIMIT_EXCEEDED"), (500, "UNKNOWN_ERROR"),
                                                (502, "UNKNOWN_ERROR"), (503, "UNKNOWN_ERROR")])
def test_fault_before_gives_vendor_error_and_changes_nothing(client, status, error_type):
    add_rule(client, {"match": {"route": "create_mass_message"}, "respond": {"status": status}})
    before = queue_size(client)
    response = create(client)
    assert response.status_code == status
    assert response.json["type"] == error_type and response.json["requestId"].startswith("req_")
    assert queue_size(client) == before


def test_fault_in_onlyfansapi_dialect(client):
    add_rule(client, {"match": {"vendor": "onlyfansapi"}, "respond": {"status": 429}})
    response = client.put(f"/api/{ACCOUNT}/mass-messaging/3100000001", json={"text": "x"}, headers=ONLYFANSAPI)
    assert response.status_code == 429
    assert response.json == {"message": "Too Many Attempts."}
    assert response.headers["Retry-After"] == "1"


def test_fault_after_stores_the_work_and_loses_the_response(client):
    add_rule(client, {"match": {"method": "POST"}, "respond": {"status": 502}, "when": "after", "times": 1})
    before = queue_size(client)
    assert create(client).status_code == 502
    assert queue_size(client) == before + 1
    assert create(client).status_code == 200


def test_times_and_after_schedule(client):
    add_rule(client, {"respond": {"status": 503}, "after": 1, "times": 2})
    statuses = [create(client).status_code for _ in range(5)]
    assert statuses == [200, 503, 503, 200, 200]
    rule = client.get("/_emulator/faults").json["rules"][0]
    assert rule["fired"] == 2 and rule["retired"] is True


def test_first_matching_rule_wins(client):
    add_rule(client, {"match": {"vendor": "onlyfansapi"}, "respond": {"status": 500}})
    add_rule(client, {"match": {"route": "/v2/access/*"}, "respond": {"status": 503}})
    add_rule(client, {"respond": {"status": 502}})
    assert create(client).status_code == 503


@pytest.mark.parametrize("match, fires", [
    ({"connection": "conn_emulator_main"}, True),
    ({"connection": "conn_emulator_second"}, False),
    ({"key": OFAUTH["apiKey"]}, True),
    ({"method": "GET"}, False),
    ({"account": ACCOUNT}, False),
])
def test_match_conditions(client, match, fires):
    add_rule(client, {"match": match, "respond": {"status": 500}})
    assert (create(client).status_code == 500) is fires


def test_custom_body_headers_html_and_truncation(client):
    add_rule(client, {"respond": {"status": 418, "body": {"teapot": True}, "headers": {"x-should-retry": "false"}},
                      "times": 1})
    teapot = create(client)
    assert teapot.status_code == 418 and teapot.json == {"teapot": True}
    assert teapot.headers["x-should-retry"] == "false"
    add_rule(client, {"respond": {"status": 502, "html": True}, "times": 1})
    page = create(client)
    assert page.status_code == 502 and page.mimetype == "text/html" and b"nginx" in page.data
    add_rule(client, {"respond": {"truncate": True}, "when": "after", "times": 1})
    cut = create(client)
    assert cut.status_code == 200 and cut.data.startswith(b'{"id":')
    with pytest.raises(ValueError):
        cut.get_json(force=True, silent=False)


def test_delay_only_rule_answers_normally(client):
    add_rule(client, {"respond": {"delay_ms": 10}})
    assert create(client).status_code == 200


@pytest.mark.parametrize("value, status", [("429", 429), ("502;after", 502), ("delay=5", 200),
                                           ("html", 502), ("503; before", 503)])
def test_fault_header_for_one_request(client, value, status):
    before = queue_size(client)
    response = client.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]},
                           headers={**OFAUTH, "X-Emulator-Fault": value})
    assert response.status_code == status
    assert queue_size(client) == before + (1 if value in ("502;after", "delay=5") else 0)
    assert create(client).status_code == 200


def test_bad_fault_header_is_bad_request(client):
    response = client.post("/v2/access/mass-messages", json={}, headers={**OFAUTH, "X-Emulator-Fault": "explode"})
    assert response.status_code == 400 and "explode" in response.json["error"]


def test_drop_in_process_raises_connection_error(client):
    add_rule(client, {"respond": {"drop": True}})
    with pytest.raises(ConnectionResetError):
        create(client)


def test_admin_lists_deletes_and_clears(client):
    first = add_rule(client, {"respond": {"status": 500}})
    add_rule(client, {"id": "mine", "respond": {"status": 502}})
    assert [rule["id"] for rule in client.get("/_emulator/faults").json["rules"]] == [first["id"], "mine"]
    assert client.delete("/_emulator/faults/mine").status_code == 200
    assert client.delete("/_emulator/faults/mine").status_code == 404
    assert client.delete("/_emulator/faults").status_code == 200
    assert client.get("/_emulator/faults").json["rules"] == []


@pytest.mark.parametrize("rule", [
    {}, {"respond": {}}, {"respond": {"status": 99}}, {"respond": {"status": 500}, "when": "during"},
    {"respond": {"delay_ms": [5, 1]}}, {"respond": {"status": 500}, "probability": 2},
    {"respond": {"status": 500}, "match": {"vendor": "acme"}}, {"respond": {"status": 500}, "surprise": 1},
])
def test_admin_refuses_bad_rules(client, rule):
    response = client.post("/_emulator/faults", json=rule)
    assert response.status_code == 400 and "invalid fault rule" in response.json["error"]


@pytest.mark.parametrize("profile", PROFILES, ids=[path.stem for path in PROFILES])
def test_shipped_profiles_load(profile: Path):
    app = create_app({"faults": str(profile)})
    rules = app.test_client().get("/_emulator/faults").json["rules"]
    assert rules and all(rule["source"] == "profile" for rule in rules)


def test_same_seed_same_failures():
    def statuses(seed: int) -> list[int]:
        app = create_app({"seed": seed, "clock_start": NOW, "clock_frozen": True})
        client = app.test_client()
        add_rule(client, {"respond": {"status": 502}, "probability": 0.5})
        return [create(client).status_code for _ in range(30)]

    first = statuses(11)
    assert first == statuses(11)
    assert 502 in first and 200 in first
    assert first != statuses(12)
