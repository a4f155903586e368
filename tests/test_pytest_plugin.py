"""The pytest plugin's fixtures, as a user of the package would use them."""
from __future__ import annotations

from .spec_check import httpx_hook

ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"


def test_emulator_app_serves_in_process(emulator_app):
    response = emulator_app.test_client().get("/_emulator/clock")
    assert response.status_code == 200


def test_emulator_helper_drives_sdks_faults_clock_and_journal(emulator):
    from onlyfans_sdk import messages

    ofauth = emulator.ofauth_client()
    receipt = messages.create_mass_messages(ofauth, body={"text": "hi", "userLists": ["fans"],
                                                          "scheduledDate": "2031-01-01T00:00:00Z"})
    assert receipt["id"] == 3100000005

    emulator.faults.add(match={"route": "update_mass_message"}, respond={"status": 429,
                                                                          "headers": {"retry-after-ms": "10"}},
                        times=1)
    ofapi = emulator.onlyfansapi_client()
    ofapi.mass_messaging.update(str(receipt["id"]), account=ACCOUNT, text="edited")
    puts = emulator.requests(method="PUT")
    assert [entry["status"] for entry in puts] == [429, 200]
    assert [entry["retry_count"] for entry in puts] == ["0", "1"]

    emulator.clock.advance(3600)
    assert emulator.state()["clock"]["epoch"] > 0


def test_each_test_gets_a_fresh_session(emulator):
    assert emulator.faults.list() == []
    assert emulator.requests() == []
    assert emulator.state()["next_queue_id"] == 3100000005


def test_emulator_local_is_the_same_helper_in_process(emulator_local):
    from onlyfans_sdk import messages

    assert emulator_local.base_url == "http://emulator.invalid" and emulator_local.app is not None
    ofauth, ofapi = emulator_local.ofauth_client(), emulator_local.onlyfansapi_client()
    for client in (ofauth, ofapi):
        client._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    receipt = messages.create_mass_messages(ofauth, body={
        "text": "local", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"})
    assert receipt["id"] == 3100000005
    emulator_local.faults.add(match={"route": "update_mass_message"}, times=1, respond={"drop": True})
    ofapi.mass_messaging.update(str(receipt["id"]), account=ACCOUNT, text="again")
    assert [entry["dropped"] for entry in emulator_local.requests(method="PUT")] == [True, False]


def test_emulator_local_is_fresh_for_each_test(emulator_local):
    assert emulator_local.faults.list() == [] and emulator_local.requests() == []
    assert emulator_local.state()["next_queue_id"] == 3100000005
