"""Validate, then mutate: a request that is answered with an error has changed nothing, on every route."""
from __future__ import annotations

import copy

import pytest

from emulator import create_app

from .conftest import OFAUTH, create
from .surface import ALL, ODD_IDS, assert_error_shape, fresh_app
from .test_input_gate import HOSTILE

BAD_HEADERS = [{"X-Emulator-Fault": "delay=-5"}, {"X-Emulator-Fault": "delay=５"}, {"X-Emulator-Fault": "99"},
               {"X-Emulator-Session": "s" * 129}, {"Content-Type": "text/plain"}]


def world(client) -> dict:
    """Everything a request could change: state, fault rules, clock and sessions (the journal aside)."""
    state = client.get("/_emulator/state").get_json()
    state["clock"].pop("offset")  # the distance to real time moves on by itself
    return {"state": state, "faults": client.get("/_emulator/faults").get_json(),
            "clock": client.get("/_emulator/clock").get_json(),
            "sessions": client.get("/_emulator/sessions").get_json()}


def attempts(route):
    """Bad requests for one route: hostile bodies, odd ids, bad headers."""
    json_headers = {**route.headers, "Content-Type": "application/json"}
    for name, raw in HOSTILE.items():
        yield name, {"path": route.path(), "data": raw, "headers": json_headers}
    if route.takes_id:
        for odd in ODD_IDS:
            yield f"id {odd[:12]}", {"path": route.path(odd), "json": {"text": "x", "userLists": ["fans"]},
                                     "headers": route.headers}
    for headers in BAD_HEADERS:
        yield str(headers)[:40], {"path": route.path(), "json": {"text": "x", "userLists": ["fans"]},
                                  "headers": {**route.headers, **headers}}


@pytest.mark.parametrize("route", [route for route in ALL if route.method != "GET"], ids=str)
def test_a_refused_request_changes_nothing(route):
    client = fresh_app().test_client()
    refused = 0
    for name, attempt in attempts(route):
        before = world(client)
        response = client.open(method=route.method, **copy.deepcopy(attempt))
        assert response.status_code < 500, (name, response.get_json())
        if response.status_code >= 400:
            refused += 1
            assert_error_shape(response, route.dialect)
            assert world(client) == before, name
        else:
            client.post("/_emulator/reset", json={})
    assert refused


@pytest.mark.parametrize("body", [{"advance": 1e12}, {"advance": -1e12}, {"advance": 9.2e18},
                                  {"now": "9999-06-01T00:00:00Z"}, {"now": "1969-12-31T23:59:59Z"},
                                  {"now": "0001-01-01T00:00:00+01:00"}, {"frozen": False, "advance": 1e12},
                                  {"now": "2030-01-01T00:00:00Z", "advance": 1e13}, {"now": "２０３０-01-01"},
                                  {"frozen": "yes"}, {"advance": True}])
def test_clock_refuses_a_move_it_cannot_make_and_stays_put(body):
    client = fresh_app().test_client()
    before = client.get("/_emulator/clock").get_json()
    response = client.post("/_emulator/clock", json=body)
    assert response.status_code == 400
    assert_error_shape(response, "admin")
    assert client.get("/_emulator/clock").get_json() == before
    assert client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code == 200


def test_clock_moves_to_the_edges_of_its_range():
    client = fresh_app().test_client()
    assert client.post("/_emulator/clock", json={"now": "9998-12-31T00:00:00Z"}).status_code == 200
    assert client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code == 200
    # A used session's clock moves only forward (docs/safety.md): reset, then the far past renders too.
    assert client.post("/_emulator/clock", json={"now": "1970-01-02T00:00:00Z"}).status_code == 409
    assert client.post("/_emulator/reset", json={}).status_code == 200
    assert client.post("/_emulator/clock", json={"now": "1970-01-02T00:00:00Z"}).status_code == 200
    assert client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code == 200
    assert client.get("/_emulator/state").status_code == 200


@pytest.mark.parametrize("rule", [
    {"respond": {"status": 500, "headers": {"x-a": "b\r\nc"}}},
    {"respond": {"status": 500, "headers": {"x-a": "b\nSet-Cookie: x"}}},
    {"respond": {"status": 500, "headers": {"x-a": "ł"}}},
    {"respond": {"status": 500, "headers": {"bad name": "v"}}},
    {"respond": {"status": 500, "headers": {"Content-Length": "1"}}},
    {"respond": {"status": 500, "headers": {"Transfer-Encoding": "chunked"}}},
    {"respond": {"status": 500, "headers": {"x-a": 5}}},
    {"respond": {"status": 502, "body": {"n": 2**64}}},
    {"respond": {"status": 502, "body": {"n": 1e300}}},
    {"respond": {"status": 502, "body": 5}},
    {"respond": {"status": 100}}, {"respond": {"status": 204}}, {"respond": {"status": 304}},
    {"respond": {"status": 600}}, {"respond": {"status": "500"}}, {"respond": {"delay_ms": -5}},
    {"respond": {"delay_ms": 10**9}}, {"respond": {"delay_ms": [5, "x"]}}, {"respond": {"drop": "yes"}},
    {"id": "has space", "respond": {"status": 500}}, {"id": "x" * 129, "respond": {"status": 500}},
    {"respond": {"status": 500}, "times": 2**70},
])
def test_a_bad_fault_rule_is_refused_whole(rule):
    client = fresh_app().test_client()
    before = world(client)
    response = client.post("/_emulator/faults", json=rule)
    assert response.status_code == 400
    assert "invalid fault rule" in response.get_json()["error"] or "limits" in response.get_json()["error"]
    assert world(client) == before


@pytest.mark.parametrize("respond", [
    {"status": 200, "body": "plain text"}, {"status": 599, "body": ["a", {"b": None}]}, {"body": {"ok": True}},
    {"status": 429, "headers": {"X-Odd": "é\tvisible"}}, {"status": 502, "html": True},
    {"status": 503, "truncate": True}, {"headers": {"Retry-After": "1"}}, {"delay_ms": [0, 1]},
    {"status": 429, "headers": {"retry-after-ms": "5"}},
])
@pytest.mark.parametrize("when", ["before", "after"])
def test_an_accepted_fault_rule_always_renders(respond, when):
    client = fresh_app().test_client()
    assert client.post("/_emulator/faults", json={"respond": respond, "when": when}).status_code == 201
    response = create(client)
    assert response.status_code == respond.get("status", 502 if respond.get("html") else 200)
    for name, value in respond.get("headers", {}).items():
        assert response.headers[name] == value
    assert client.get("/_emulator/requests").status_code == 200


@pytest.mark.parametrize("value", ["delay=-5", "delay=５", "１２", "²", "502;after;" + "9" * 5000, "delay=1-", "drop;x"])
def test_a_bad_fault_header_is_refused_before_the_request_is_handled(value):
    client = fresh_app().test_client()
    before = world(client)
    response = client.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]},
                           headers={**OFAUTH, "X-Emulator-Fault": value})
    assert response.status_code == 400 and "X-Emulator-Fault" in response.get_json()["error"]
    assert world(client) == before


@pytest.mark.parametrize("change", [
    lambda s: s["queue"][0].update(created_at=1e20),
    lambda s: s["queue"][0].update(scheduled_at=-5.0),
    lambda s: s["queue"][0].update(id=2**63),
    lambda s: s["queue"][0].update(user_ids=[{"nested": 1}]),
    lambda s: s["queue"][0].update(user_lists=[0]),
    lambda s: s["queue"][0].update(release_forms={"users": ["x"]}),
    lambda s: s["queue"][0].update(text="\ud800"),
    lambda s: s["queue"][0].update(media_ids=[2**64]),
    lambda s: s["queue"][0].update(locked_text="yes"),
    lambda s: s["clock"].update(epoch=1e15, frozen=True),
    lambda s: s["clock"].update(frozen=False, offset=1e15),
    lambda s: s["clock"].update(frozen="no"),
    lambda s: s.update(next_queue_id=2**63),
    lambda s: s["credits"].update({next(iter(s["credits"])): 2**64}),
])
def test_a_bad_state_document_is_refused_whole(change):
    client = fresh_app().test_client()
    before = world(client)
    document = client.get("/_emulator/state").get_json()
    change(document)
    response = client.put("/_emulator/state", json=document)
    assert response.status_code == 400
    assert_error_shape(response, "admin")
    assert world(client) == before


def test_a_good_state_document_still_imports():
    client = fresh_app().test_client()
    document = client.get("/_emulator/state").get_json()
    assert client.put("/_emulator/state", json=document).status_code == 200


def test_a_non_ascii_admin_token_is_a_clean_401():
    client = create_app({"admin_token": "s3cret"}).test_client()
    for presented in ["Bearer ключ", "Bearer s3cret\u00e9", "Bearer \ud800", "Bearer " + "é" * 5000]:
        response = client.get("/_emulator/faults", headers={"Authorization": presented})
        assert response.status_code == 401
        assert_error_shape(response, "admin")
    assert client.get("/_emulator/faults", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    unicode_token = create_app({"admin_token": "sésame"}).test_client()
    wire = "Bearer sésame".encode().decode("latin-1")  # what a server hands the app for UTF-8 header bytes
    assert unicode_token.get("/_emulator/faults", headers={"Authorization": wire}).status_code == 200


def test_a_refused_reset_keeps_the_session():
    client = fresh_app().test_client()
    create(client)
    before = world(client)
    for body in ({"seed": "x"}, {"seed": 1.5}, {"faults": "yes"}):
        assert client.post("/_emulator/reset", json=body).status_code == 400
    assert world(client) == before


@pytest.mark.parametrize("rule", [
    "{respond: {status: 500, headers: {x-a: \"b\\r\\nc\"}}}",
    "{respond: {status: 502, body: {n: 18446744073709551616}}}",
    "{respond: {status: 502, body: {at: 2026-01-01}}}",
    "{respond: {status: 502, body: {n: .inf}}}",
])
def test_a_fault_profile_with_a_rule_that_cannot_render_stops_the_start(tmp_path, rule):
    from emulator.domain.fixtures import FixtureError

    profile = tmp_path / "profile.yaml"
    profile.write_text(f"rules:\n  - {rule}\n")
    with pytest.raises(FixtureError, match="invalid fault rule"):
        create_app({"faults": str(profile)})
