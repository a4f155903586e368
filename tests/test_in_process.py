"""``Emulator.in_process()``: the pytest helper on an in-process app, with both SDKs, faults, clock and journal."""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from flask import Flask
from onlyfans_sdk import messages

from emulator.testing import IN_PROCESS_URL, Emulator

from .conftest import ACCOUNT
from .spec_check import httpx_hook


@pytest.fixture
def local() -> Iterator[Emulator]:
    helper = Emulator.in_process({"clock_start": "2026-11-24T12:00:00Z"})
    yield helper
    helper.close()


def checked(client: Any) -> Any:
    """Validate the SDK client's vendor responses against openapi/ as they arrive (observe only)."""
    client._client.event_hooks["response"] = [httpx_hook]
    return client


def create(local: Emulator) -> int:
    receipt = messages.create_mass_messages(checked(local.ofauth_client()), body={
        "text": "In-process", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"})
    return receipt["id"]


def test_in_process_helper_has_no_socket_and_its_own_app(local):
    assert local.base_url == IN_PROCESS_URL and isinstance(local.app, Flask)
    assert local.http.get("/_emulator/health").json()["sessions"] == 1


def test_in_process_helper_drives_both_sdks_faults_and_journal(local):
    message_id = create(local)
    assert message_id == 3100000005
    local.faults.add(match={"route": "update_mass_message"}, times=1,
                     respond={"status": 429, "headers": {"retry-after-ms": "10"}})
    ofapi = checked(local.onlyfansapi_client())
    assert ofapi.mass_messaging.update(str(message_id), account=ACCOUNT, text="edited").data.id == message_id
    puts = local.requests(method="PUT")
    assert [(entry["status"], entry["retry_count"]) for entry in puts] == [(429, "0"), (200, "1")]
    assert messages.get_mass_messages(checked(local.ofauth_client()), str(message_id))["rawText"] == "edited"
    assert [rule["fired"] for rule in local.faults.list()] == [1]


def test_in_process_clock_state_and_reset(local):
    message_id = create(local)
    local.clock.freeze()
    before = local.clock.now()["epoch"]
    assert local.clock.advance(3600)["epoch"] == pytest.approx(before + 3600)
    assert local.state()["next_queue_id"] == message_id + 1
    assert local.reset(seed=9)["seed"] == 9
    assert local.requests() == [] and local.state()["next_queue_id"] == message_id


def test_in_process_drop_is_a_transport_error_for_ofauth(local):
    local.faults.add(match={"route": "get_mass_message"}, times=1, respond={"drop": True})
    client = checked(local.ofauth_client())
    with pytest.raises(httpx.RemoteProtocolError):
        messages.get_mass_messages(client, "3100000001")
    assert messages.get_mass_messages(client, "3100000001")["id"] == 3100000001
    assert [entry["dropped"] for entry in local.requests(method="GET")] == [True, False]


def test_in_process_onlyfansapi_sdk_retries_a_dropped_request(local):
    local.faults.add(match={"route": "update_mass_message"}, times=1, respond={"drop": True})
    ofapi = checked(local.onlyfansapi_client())
    assert ofapi.mass_messaging.update("3100000001", account=ACCOUNT, text="again").data.id == 3100000001
    puts = local.requests(method="PUT")
    assert [(entry["status"], entry["dropped"], entry["retry_count"]) for entry in puts] == \
        [(0, True, "0"), (200, False, "1")]


def test_in_process_lost_response_keeps_the_work_done(local):
    local.faults.add(match={"route": "create_mass_message"}, times=1, when="after", respond={"drop": True})
    with pytest.raises(httpx.TransportError):
        create(local)
    assert local.state()["next_queue_id"] == 3100000006  # handled and stored, then the connection was lost


def test_in_process_delay_really_waits(local):
    local.faults.add(match={"route": "get_mass_message"}, times=1, respond={"delay_ms": 150})
    client = checked(local.ofauth_client())
    started = time.perf_counter()
    messages.get_mass_messages(client, "3100000001")
    assert time.perf_counter() - started >= 0.15


def test_in_process_takes_config_and_bundled_profile_names():
    helper = Emulator.in_process({"seed": 7, "faults": "rate-limit-storm"})
    try:
        assert [(rule["id"], rule["source"]) for rule in helper.faults.list()] == \
            [("storm-onlyfansapi", "profile"), ("storm-ofauth", "profile")]
        assert helper.reset()["seed"] == 7
    finally:
        helper.close()


def test_in_process_helpers_do_not_share_state():
    first, second = Emulator.in_process(), Emulator.in_process()
    try:
        create(first)
        assert first.state()["next_queue_id"] == 3100000006
        assert second.state()["next_queue_id"] == 3100000005
    finally:
        first.close()
        second.close()
