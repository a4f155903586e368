"""A truthful journal: what the client received, how long it took, what the app handled, secrets masked."""
from __future__ import annotations

import time

import httpx
import pytest

from emulator.harness.journal import mask_value, recorded_headers

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, create
from .surface import VENDOR, fresh_app


def last(client, **filters):
    return client.get("/_emulator/requests", query_string={**filters, "limit": 1}).get_json()["requests"][0]


def add_rule(client, rule):
    response = client.post("/_emulator/faults", json=rule)
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("route", VENDOR, ids=str)
def test_every_vendor_route_is_journaled_as_the_client_received_it(route):
    client = fresh_app().test_client()
    response = client.open(route.path(), method=route.method, headers=route.headers,
                           json={"text": "x"} if route.method in ("POST", "PUT") else None)
    entry = last(client)
    assert (entry["method"], entry["path"], entry["status"]) == (route.method, route.path(), response.status_code)
    assert entry["response_size"] == len(response.data) and entry["vendor"] == route.dialect
    if entry["response_truncated"]:  # longer than --journal-body-bytes: the first bytes, as text
        assert entry["response"] == response.data[:16384].decode("utf-8", "replace")
    else:
        assert entry["response"] == response.get_json()


def test_after_fault_records_what_the_client_saw_and_what_was_handled():
    client = fresh_app().test_client()
    add_rule(client, {"respond": {"status": 502}, "when": "after", "times": 1})
    response = create(client)
    entry = last(client)
    assert response.status_code == 502
    assert entry["status"] == 502 and entry["handled_status"] == 200
    assert entry["response"] == response.get_json() and entry["response"]["type"] == "UNKNOWN_ERROR"


def test_before_fault_handled_status_is_the_status_sent():
    client = fresh_app().test_client()
    add_rule(client, {"respond": {"status": 429}, "times": 1})
    create(client)
    entry = last(client)
    assert entry["status"] == entry["handled_status"] == 429 and entry["fault"]


@pytest.mark.parametrize("when", ["before", "after"])
def test_duration_includes_injected_delays(when):
    client = fresh_app().test_client()
    add_rule(client, {"respond": {"delay_ms": 150}, "when": when, "times": 1})
    started = time.perf_counter()
    client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    elapsed_ms = (time.perf_counter() - started) * 1000
    entry = last(client)
    assert 150 <= entry["duration_ms"] <= elapsed_ms


def test_headers_only_rule_sends_its_headers():
    client = fresh_app().test_client()
    add_rule(client, {"id": "hint", "respond": {"headers": {"x-should-retry": "false", "Retry-After": "7"}}})
    response = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    assert response.status_code == 200
    assert response.headers["x-should-retry"] == "false" and response.headers["Retry-After"] == "7"
    assert response.headers["X-Emulator-Fault"] == "hint"
    assert client.get("/_emulator/faults").get_json()["rules"][0]["fired"] == 1


def test_truncated_and_html_bodies_are_journaled_as_sent():
    client = fresh_app().test_client()
    add_rule(client, {"respond": {"truncate": True}, "when": "after", "times": 1})
    cut = create(client)
    assert last(client)["response"] == cut.get_data(as_text=True)
    add_rule(client, {"respond": {"html": True}, "times": 1})
    page = create(client)
    assert last(client)["response"] == page.get_data(as_text=True) and "nginx" in last(client)["response"]


def test_head_request_is_journaled_with_no_body():
    client = fresh_app().test_client()
    response = client.head("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    entry = last(client)
    assert response.data == b"" and entry["method"] == "HEAD" and entry["response"] is None


def test_oversized_body_is_journaled_by_size_without_its_bytes():
    client = fresh_app().test_client()
    response = client.post("/v2/access/mass-messages", data=b" " * (1024 * 1024 + 5),
                           headers={**OFAUTH, "Content-Type": "application/json"})
    entry = last(client)
    assert response.status_code == entry["status"] == 413
    assert entry["body"] is None and entry["body_size"] == 1024 * 1024 + 5


def test_poisonous_bodies_are_journaled_as_text_and_read_back():
    client = fresh_app().test_client()
    client.post("/v2/access/mass-messages", data=b'{"text": "\\ud800", "n": 1' + b"0" * 30 + b"}",
                headers={**OFAUTH, "Content-Type": "application/json"})
    entry = last(client)
    assert entry["status"] == 400 and entry["body"].startswith('{"text": "\\ud800"')


@pytest.mark.parametrize("name, value", [
    ("apiKey", "ofa_test_main_2f7c9e41"), ("Authorization", "Bearer ofapi_test_main_5d21b7"),
    ("Cookie", "session=abc123; theme=dark"), ("X-Api-Key", "k-1234567890abcdef"),
    ("X-Auth-Token", "tok_abcdefghijklmnop"), ("X-Session-Token", "st_1234567890"),
    ("Proxy-Authorization", "Basic dXNlcjpwYXNz"), ("X-Client-Secret", "s3cr3t-value-here"),
    ("X-Refresh-Token", "rt_00000000000000000000"), ("Set-Cookie", "id=a3fWa; Max-Age=2592000"),
])
def test_secret_bearing_headers_are_masked(name, value):
    (kept,), cut, _ = recorded_headers([(name, value)], 4096)
    secret = value.split(" ", 1)[-1]
    assert kept == (name, mask_value(value)) and secret not in kept[1] and "…" in kept[1] and not cut


def test_secrets_never_reach_the_journal_over_a_socket(server):
    cookie, token = "session=abc123def456; theme=dark", "tok_abcdefghijklmnopqrstuvwxyz"
    with httpx.Client(base_url=server.base_url, headers={"X-Emulator-Session": "journal-secrets"}) as http:
        http.delete("/_emulator/requests")
        http.get("/v2/access/mass-messages/3100000001",
                 headers={**OFAUTH, "Cookie": cookie, "X-Auth-Token": token})
        raw = http.get("/_emulator/requests").text
    assert cookie not in raw and token not in raw and OFAUTH["apiKey"] not in raw
    assert mask_value(cookie) in raw and mask_value(token) in raw


def test_masks_tell_keys_apart_and_keep_ordinary_headers():
    first, second = mask_value("ofa_test_main_2f7c9e41"), mask_value("ofa_test_main_2f7c9e42")
    assert first != second and first.startswith("ofa_")
    assert mask_value("Bearer ofapi_test_main_5d21b7").startswith("Bearer ofap…")
    client = fresh_app().test_client()
    client.get("/v2/access/mass-messages/3100000001", headers={**OFAUTH, "X-Emulator-Session": "default",
                                                                "x-stainless-retry-count": "1"})
    headers = {name.lower(): value for name, value in last(client)["headers"].items()}
    assert headers["x-connection-id"] == "conn_emulator_main" and headers["x-emulator-session"] == "default"


def test_a_request_without_a_usable_session_is_answered_and_not_journaled():
    client = fresh_app().test_client()
    response = client.get("/v2/access/mass-messages/3100000001", headers={**OFAUTH, "X-Emulator-Session": "s" * 129})
    assert response.status_code == 400 and response.get_json()["type"] == "BAD_REQUEST"
    assert client.get("/_emulator/requests").get_json()["count"] == 0
    assert "s" * 129 not in client.get("/_emulator/sessions").get_json()["sessions"]


def test_dropped_connection_is_journaled_over_a_socket(server):
    with httpx.Client(base_url=server.base_url, headers={"X-Emulator-Session": "journal-drop"}) as http:
        http.post("/_emulator/reset", json={"faults": True})
        http.post("/_emulator/faults", json={"respond": {"drop": True}, "when": "after", "times": 1})
        with pytest.raises(httpx.TransportError):
            http.put(f"/api/{ACCOUNT}/mass-messaging/3100000001", json={"text": "lost"}, headers=ONLYFANSAPI)
        entry = http.get("/_emulator/requests").json()["requests"][-1]
        assert entry["status"] == 0 and entry["dropped"] is True and entry["response"] is None
        assert entry["handled_status"] == 200
