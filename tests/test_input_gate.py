"""One input gate: every JSON body is parsed once, to limits the emulator can store and render, on every route."""
from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.domain import jsongate
from emulator.domain.jsongate import MAX_DEPTH, MAX_INTEGER, UnsafeJSON

from .conftest import OFAUTH

SESSION = "X-Emulator-Session"
from .surface import ODD_IDS, WITH_BODY, WITH_ID, assert_error_shape, fresh_app

BIG = MAX_INTEGER + 1
DEEP: list = []
for _ in range(MAX_DEPTH + 5):
    DEEP = [DEEP]
# Bodies every route must refuse whole, if it reads a body at all: each breaks one of the gate's limits.
HOSTILE = {
    "int-over-64-bits": b'{"text": "x", "userLists": ["fans"], "ignored": 18446744073709551616}',
    "int-over-63-bits": b'{"text": "x", "userLists": ["fans"], "ignored": 9223372036854775808}',
    "int-5000-digits": b'{"text": "x", "ignored": 1' + b"0" * 5000 + b"}",
    "float-infinite": b'{"text": "x", "price": 1e400}',
    "float-negative-infinite": b'{"text": "x", "price": -1e400}',
    "float-beyond-64-bits": b'{"text": "x", "userIds": [1e300]}',
    "nan": b'{"text": "x", "price": NaN}',
    "infinity": b'{"text": "x", "price": Infinity}',
    "lone-high-surrogate": b'{"text": "\\ud800", "userLists": ["fans"]}',
    "lone-low-surrogate": b'{"text": "a\\udc00b", "userLists": ["fans"]}',
    "surrogate-key": b'{"\\udfff": 1}',
    "nested-33-deep": b'{"text": "x", "ignored": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}",
    "nested-100000-deep": b"[" * 100_000 + b"]" * 100_000,
    "duplicate-keys": b'{"text": "a", "text": "b"}',
    "invalid-utf8": b'{"text": "\xff"}',
    "bom": b'\xef\xbb\xbf{"text": "x"}',
}


@pytest.mark.parametrize("raw", [
    b'{"a": 9223372036854775807, "b": -9223372036854775807, "c": 1.5e18, "d": "\\ud83d\\ude00", "e": "\\u0000"}',
    b'{"deep": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}",
    b'{"price": 1e-400, "x": -0.0, "emoji": "\xf0\x9f\x94\xa5", "escaped": "\\\\ud800"}',
])
def test_gate_accepts_what_orjson_renders(raw):
    document = jsongate.parse(raw)
    assert orjson.loads(orjson.dumps(document)) == document


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_gate_refuses_each_input_class(name):
    with pytest.raises(UnsafeJSON):
        jsongate.parse(HOSTILE[name])


@pytest.mark.parametrize("value", [BIG, -BIG, float("inf"), float("nan"), 1e300, "\ud800", {1: "a"},
                                   {"a": b"bytes"}, DEEP])
def test_check_refuses_python_values_outside_the_limits(value):
    with pytest.raises(UnsafeJSON):
        jsongate.check({"body": value})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(JSON)
def test_whatever_the_gate_accepts_orjson_renders(document):
    raw = json.dumps(document, ensure_ascii=True).encode()
    try:
        parsed = jsongate.parse(raw)
    except UnsafeJSON:
        return
    assert orjson.loads(orjson.dumps(parsed)) == parsed


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-16", categories=["Cs", "Ll", "Nd"]), max_size=6))
def test_strings_with_lone_surrogates_never_pass(text):
    raw = json.dumps({"text": text}).encode()
    try:
        parsed = jsongate.parse(raw)
    except UnsafeJSON:
        assert any(0xD800 <= ord(char) <= 0xDFFF for char in text)
        return
    orjson.dumps(parsed)


@pytest.fixture
def gate_calls(monkeypatch):
    """Count the bodies that go through the gate (web.json_body and Flask's get_json both call jsongate.parse)."""
    calls = []
    real = jsongate.parse

    def counting(raw):
        calls.append(raw)
        return real(raw)

    monkeypatch.setattr(jsongate, "parse", counting)
    return calls


@pytest.mark.parametrize("route", WITH_BODY, ids=str)
def test_every_route_that_reads_a_body_refuses_every_hostile_body(route, gate_calls):
    client = fresh_app().test_client()
    baseline = client.open(route.path(), method=route.method,  # no body, declared JSON as the admin API asks
                           headers={**route.headers, SESSION: "baseline", "Content-Type": "application/json"})
    gated = 0
    for name, raw in HOSTILE.items():
        del gate_calls[:]
        response = client.open(route.path(), method=route.method, data=raw,
                               headers={**route.headers, SESSION: name, "Content-Type": "application/json"})
        if gate_calls:
            gated += 1
            assert response.status_code == 400, (name, response.get_json())
            assert_error_shape(response, route.dialect)
        else:  # a route that ignores its body answers as it does without one
            assert response.status_code == baseline.status_code, (name, response.status_code, response.get_json())
    assert gated in (0, len(HOSTILE)), "a route reads some bodies through the gate and not others"


FILE_BODIES = {"PUT /v2/access/uploads/<media_upload_id>",
               "PUT /v2/access/uploads/<media_upload_id>/parts/<part_number>"}


def test_the_body_routes_are_gated(gate_calls):
    gated = set()
    for route in WITH_BODY:
        del gate_calls[:]
        fresh_app().test_client().open(route.path(), method=route.method, data=HOSTILE["nan"],
                                       headers={**route.headers, "Content-Type": "application/json"})
        if gate_calls:
            gated.add(str(route))
    expected = {str(route) for route in WITH_BODY if route.method in ("POST", "PUT")} - {"POST /_emulator/state/save"}
    assert expected - FILE_BODIES <= gated and not FILE_BODIES & gated  # files are streamed, never parsed


@pytest.mark.parametrize("route", WITH_ID, ids=str)
def test_ids_have_no_aliases_on_any_route(route):
    client = fresh_app().test_client()
    before = client.get("/_emulator/state").get_json()["queue"]
    for odd in ODD_IDS:
        response = client.open(route.path(odd), method=route.method, headers=route.headers,
                               json={"text": "x", "userLists": ["fans"]} if route.method in ("PUT", "POST") else None)
        assert response.status_code in (400, 404, 422), (odd, response.status_code, response.get_json())
        assert_error_shape(response, route.dialect)
    assert client.get("/_emulator/state").get_json()["queue"] == before


@pytest.mark.parametrize("query", ["limit=１２", "limit=²", "limit=" + "9" * 5000, "limit=-1", "limit=0", "limit=1e3",
                                   "limit=%1C5", "status=２００", "status=1e2", "status=600", "since=１７", "since=1e400",
                                   "since=2026-13-01", "since=+5", "since=" + "1" * 5000])
def test_admin_query_numbers_are_strict(query):
    client = fresh_app().test_client()
    response = client.get(f"/_emulator/requests?{query}")
    assert response.status_code == 400
    assert_error_shape(response, "admin")


def test_admin_query_numbers_in_ascii_still_work():
    client = fresh_app().test_client()
    client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    assert client.get("/_emulator/requests?limit=1&status=200&since=0").get_json()["count"] == 1
    assert client.get("/_emulator/requests?since=2026-01-01T00:00:00Z&limit=12").get_json()["count"] == 1


def test_flask_json_parsing_goes_through_the_gate():
    app = fresh_app()

    @app.post("/_emulator/echo")
    def echo():
        from flask import request
        return {"echo": request.get_json()}

    client = app.test_client()
    assert client.post("/_emulator/echo", json={"a": 1}).get_json() == {"echo": {"a": 1}}
    refused = client.post("/_emulator/echo", data=HOSTILE["lone-high-surrogate"],
                          headers={"Content-Type": "application/json"})
    assert refused.status_code == 400
    assert client.get("/_emulator/requests").status_code == 200


@pytest.mark.parametrize("raw, fragment", [
    (HOSTILE["int-over-64-bits"], "too large"), (HOSTILE["lone-high-surrogate"], "lone surrogate"),
    (HOSTILE["nested-33-deep"], "nested too deeply"), (HOSTILE["float-infinite"], "finite"),
    (HOSTILE["duplicate-keys"], "more than once"), (HOSTILE["bom"], "Unexpected UTF-8 BOM"),
])
def test_refusals_say_which_limit(raw, fragment):
    client = fresh_app().test_client()
    response = client.post("/v2/access/mass-messages", data=raw, headers={**OFAUTH, "Content-Type": "application/json"})
    assert response.status_code == 400 and fragment in response.get_json()["error"]
