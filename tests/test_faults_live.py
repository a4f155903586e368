"""Faults over a real socket: SDK retries, real delays and dropped connections."""
from __future__ import annotations

import time

import httpx
import pytest

from .conftest import ACCOUNT, FUTURE, OFAUTH, ONLYFANSAPI
from .spec_check import httpx_hook

onlyfansapi = pytest.importorskip("onlyfansapi")
from onlyfans_sdk import OFAuthClient, OFAuthError, messages  # noqa: E402
from onlyfansapi import InternalServerError, OnlyFansAPI, RateLimitError  # noqa: E402


@pytest.fixture
def admin(server):
    with server.client() as http:
        yield http
        http.delete("/_emulator/faults")


@pytest.fixture
def scheduled_id(admin):
    body = {"text": "retry me", "userLists": ["fans"], "scheduledDate": FUTURE}
    return admin.post("/v2/access/mass-messages", json=body, headers=OFAUTH).json()["id"]


@pytest.fixture
def sdk(server):
    client = OnlyFansAPI(api_key=ONLYFANSAPI["Authorization"].split()[1], base_url=server.base_url,
                         http_client=httpx.Client(event_hooks={"response": [httpx_hook]}))
    yield client
    client.close()


def rule_fired(admin, rule_id):
    return next(rule for rule in admin.get("/_emulator/faults").json()["rules"] if rule["id"] == rule_id)["fired"]


@pytest.mark.parametrize("status, headers", [(429, {"retry-after-ms": "20"}), (502, {"retry-after-ms": "20"})])
def test_onlyfansapi_sdk_retries_through_two_faults(admin, sdk, scheduled_id, status, headers):
    admin.post("/_emulator/faults", json={"id": "flaky", "match": {"route": "update_mass_message"},
                                          "respond": {"status": status, "headers": headers}, "times": 2})
    updated = sdk.mass_messaging.update(str(scheduled_id), account=ACCOUNT, text="third time lucky")
    assert updated.data.id == scheduled_id
    assert rule_fired(admin, "flaky") == 2


@pytest.mark.parametrize("status, error", [(429, RateLimitError), (502, InternalServerError)])
def test_onlyfansapi_sdk_gives_up_after_three_attempts(admin, sdk, scheduled_id, status, error):
    admin.post("/_emulator/faults", json={"id": "down", "match": {"vendor": "onlyfansapi"},
                                          "respond": {"status": status, "headers": {"retry-after-ms": "20"}},
                                          "times": 3})
    with pytest.raises(error):
        sdk.mass_messaging.update(str(scheduled_id), account=ACCOUNT, text="never")
    assert rule_fired(admin, "down") == 3


def test_ofauth_sdk_raises_once_with_status(admin, server):
    admin.post("/_emulator/faults", json={"id": "gw", "match": {"vendor": "ofauth"}, "respond": {"status": 502}})
    client = OFAuthClient(api_key=OFAUTH["apiKey"], connection_id=OFAUTH["x-connection-id"], base_url=server.base_url)
    with pytest.raises(OFAuthError) as raised:
        messages.get_mass_messages(client, "3100000001")
    assert raised.value.status == 502
    assert rule_fired(admin, "gw") == 1


def test_delay_really_delays(admin):
    admin.post("/_emulator/faults", json={"respond": {"delay_ms": 300}, "times": 1})
    started = time.monotonic()
    response = admin.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert 0.3 <= elapsed < 5


def test_dropped_connection_is_a_transport_error(admin, server):
    admin.post("/_emulator/faults", json={"respond": {"drop": True}, "times": 1})
    with httpx.Client(base_url=server.base_url) as http:
        with pytest.raises(httpx.TransportError):
            http.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
        assert http.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code == 200
