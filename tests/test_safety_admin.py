"""The admin API is safe from web pages without a token: JSON and no foreign Origin to change state, a Host no
DNS rebinding can forge, fault-rule pages sandboxed, and rule ids that stay one path segment."""
from __future__ import annotations

import pytest
from flask import Flask

from emulator import create_app

from .conftest import OFAUTH, Server, SpecCheckingClient, create, queue_size

LOCAL = {"Host": "127.0.0.1:8080"}
JSON = {"Content-Type": "application/json"}


def emulator(**config: object) -> Flask:
    app = create_app(config)
    app.test_client_class = SpecCheckingClient
    return app


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "multipart/form-data; b=x",
                                          "text/plain"])
def test_a_post_a_page_could_send_cross_site_is_refused_and_changes_nothing(content_type):
    app = emulator()
    client = app.test_client()
    create(client)
    before = queue_size(client)
    headers = {**LOCAL, **({"Content-Type": content_type} if content_type else {})}
    for path in ("/_emulator/reset", "/_emulator/state/save", "/_emulator/clock", "/_emulator/faults"):
        response = client.post(path, data="{}" if content_type else None, headers=headers)
        assert response.status_code == 415, path
        assert "Content-Type must be application/json" in response.json["error"]
    assert queue_size(client) == before  # the reset never happened


@pytest.mark.parametrize("origin", ["http://127.0.0.1:3000", "http://localhost:8080", "https://attacker.example",
                                    "null", "file://"])
def test_a_foreign_origin_may_not_change_state(origin):
    app = emulator()
    client = app.test_client()
    create(client)
    before = queue_size(client)
    headers = {**LOCAL, **JSON, "Origin": origin}
    assert client.post("/_emulator/reset", json={}, headers=headers).status_code == 403
    client.post("/_emulator/faults", json={"id": "keep", "respond": {"status": 500}}, headers=LOCAL)
    refused = client.delete("/_emulator/faults", headers={**LOCAL, "Origin": origin})
    assert refused.status_code == 403 and "is not this emulator's" in refused.json["error"]
    assert queue_size(client) == before and len(client.get("/_emulator/faults").json["rules"]) == 1
    # Reading is not changing: a cross-site page cannot read the answer without CORS, which is never granted.
    assert client.get("/_emulator/clock", headers={**LOCAL, "Origin": origin}).status_code == 200


@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:8080"},  # the dashboard, on the emulator's own origin
    {"Origin": "https://proxy.example:8443", "X-Forwarded-Host": "proxy.example:8443"},  # behind a proxy
    {},  # curl, the SDKs, the pytest helper
])
def test_same_origin_and_no_origin_change_state(headers):
    client = emulator().test_client()
    assert client.post("/_emulator/clock", json={"advance": 60}, headers={**LOCAL, **headers}).status_code == 200
    assert client.delete("/_emulator/faults", headers={**LOCAL, **headers}).status_code == 200


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8080", "127.0.0.1.nip.io", "emulator:8080",
                                  "localhost.attacker.example"])
def test_a_rebinding_host_cannot_read_or_change_anything(host):
    client = emulator().test_client()
    for method, path in [("GET", "/_emulator/state"), ("GET", "/_emulator/queue"), ("POST", "/_emulator/reset"),
                         ("GET", "/_emulator/sessions")]:
        response = client.open(path, method=method, json={} if method == "POST" else None, headers={"Host": host})
        assert response.status_code == 403, (host, path)
        assert "DNS rebinding" in response.json["error"] and "--allowed-hosts" in response.json["error"]
    assert client.get("/_emulator/health", headers={"Host": host}).status_code == 200  # it reveals nothing


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "127.0.0.2", "localhost", "LOCALHOST:1", "[::1]:8080",
                                  "worker.localhost", "emulator.invalid", "localhost."])
def test_loopback_names_and_addresses_pass(host):
    assert emulator().test_client().get("/_emulator/state", headers={"Host": host}).status_code == 200


def test_allowed_hosts_adds_names():
    client = emulator(allowed_hosts=("emulator", "Proxy.Example")).test_client()
    for host in ("emulator:8080", "proxy.example", "127.0.0.1"):
        assert client.get("/_emulator/state", headers={"Host": host}).status_code == 200, host
    assert client.get("/_emulator/state", headers={"Host": "other.example"}).status_code == 403


def test_bound_elsewhere_any_host_passes_unless_a_list_is_given():
    assert emulator(host="0.0.0.0").test_client().get(
        "/_emulator/state", headers={"Host": "emulator:8080"}).status_code == 200
    listed = emulator(host="0.0.0.0", allowed_hosts=("emulator",)).test_client()
    assert listed.get("/_emulator/state", headers={"Host": "emulator:8080"}).status_code == 200
    assert listed.get("/_emulator/state", headers={"Host": "attacker.example"}).status_code == 403


def test_with_an_admin_token_the_token_decides():
    client = emulator(admin_token="s3cret").test_client()
    token = {"Authorization": "Bearer s3cret"}
    assert client.get("/_emulator/state", headers={"Host": "attacker.example"}).status_code == 401
    assert client.post("/_emulator/state/save", data="x", headers={**token, "Origin": "null"}).status_code == 400


def test_serve_takes_allowed_hosts():
    server = Server("--allowed-hosts", "emulator, ci-service")
    try:
        with server.client() as http:
            assert http.get("/_emulator/clock", headers={"Host": "ci-service:8080"}).status_code == 200
            assert http.get("/_emulator/clock", headers={"Host": "rebound.example"}).status_code == 403
            assert http.get("/_emulator/clock").status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("respond", [{"status": 502, "html": True},
                                     {"status": 200, "body": "<script>alert(1)</script>",
                                      "headers": {"Content-Type": "text/html", "Content-Security-Policy": "none"}}])
def test_pages_served_by_fault_rules_are_sandboxed(respond):
    client = emulator().test_client()
    assert client.post("/_emulator/faults", json={"respond": respond}, headers=LOCAL).status_code == 201
    response = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("rule_id", [".", "..", "a/b", "a b", "-x", "caf\u00e9", "x?y", "%2e"])
def test_rule_ids_outside_the_safe_set_are_refused(rule_id):
    response = emulator().test_client().post("/_emulator/faults", json={"id": rule_id, "respond": {"status": 500}},
                                             headers=LOCAL)
    assert response.status_code == 400 and "letters, digits and _ . : -" in response.json["error"]


def test_a_rule_id_with_dots_is_removed_by_the_segment_the_dashboard_sends():
    client = emulator().test_client()
    for rule_id in ("a.b", "_..", "keep"):
        client.post("/_emulator/faults", json={"id": rule_id, "respond": {"status": 500}}, headers=LOCAL)
    assert client.delete("/_emulator/faults/_%2E%2E", headers=LOCAL).json == {"deleted": "_.."}
    assert client.delete("/_emulator/faults/a%2Eb", headers=LOCAL).json == {"deleted": "a.b"}
    assert [rule["id"] for rule in client.get("/_emulator/faults").json["rules"]] == ["keep"]
