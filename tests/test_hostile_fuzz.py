"""A hostile client on every route: after each odd request the session's journal, state and messages still read.

Every route comes from the app's url_map, so routes added later are fuzzed too. The inputs are the classes that
once poisoned a session (numbers beyond 64 bits or not finite, deep nesting, lone surrogates, odd digits and
5,000-digit strings as ids, list ids and query values, odd bytes in headers); the count is bounded (about 2,000
requests, each followed by four reads).
"""
from __future__ import annotations

import json

import pytest
from flask import Flask

from emulator import create_app

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, ROOT, SpecCheckingClient
from .surface import ALL, ODD_IDS, Route, assert_error_shape
from .test_input_gate import HOSTILE

READ_ID = "3100000001"  # the message the checks read; the fuzz aims at another one so it is never deleted
TARGET_ID = "3100000003"
ODD_ID_STRINGS = ["²", "１２", "٣", "9" * 5000, " 1", "3_100", "", "\ufeff1"]
ODD_VALUES = [2**63 - 1, -(2**63 - 1), 0, -1, 1.5, True, {}, [[["deep"]]]]
FIELDS = ["userLists", "userIds", "mediaItems", "mediaFiles", "previews"]
QUERY_NAMES = ["limit", "offset", "startDate", "endDate", "withTotal", "marker", "type", "status", "since",
               "query", "page", "path", "method", "vendor", "skip_users", "skip_users_dups"]
QUERY_VALUES = ["１２", "²", "9" * 5000, "-1", "1e400", "NaN", "%00", "%ff%fe", "9999-99-99",
                "2026-01-01T00:00:00+99:00",
                # round three: control characters str.strip() takes, date cursors with tie-breakers, ranges over a
                # year, and path patterns that cost fnmatch seconds
                "%1C5", "%1F", "+5+", "2026-11-24+12:00:00.000001", "2026-11-24+12:00:00.999999999",
                "1970-01-01T00:00:00Z", "*" + "?" * 3900, "[" * 500 + "*", "*a" * 1000]
HEADERS = [{"apiKey": "ключ\x7f"}, {"apiKey": "\xff\xfe\x00"}, {"x-connection-id": "é" * 300},
           {"Authorization": "Bearer \xff\xfe"}, {"Authorization": "Bearer " + "x" * 5000},
           {"X-Emulator-Session": "\x7f\x80ü"}, {"X-Emulator-Fault": "delay=-5"}, {"X-Emulator-Fault": "１２"},
           {"Content-Type": "application/json; charset=\xff"}, {"x-stainless-retry-count": "²" * 100},
           # round three: session names no server carries exactly, and what a web page would send the admin API
           {"X-Emulator-Session": "caf\xc3\xa9"}, {"X-Emulator-Session": "a b"}, {"X-Emulator-Session": "x" * 129},
           {"Host": "attacker.example"}, {"Host": "[::1"}, {"Origin": "null"}, {"Origin": "http://127.0.0.1:1"},
           {"Content-Type": "text/plain"}, {"X-Forwarded-Host": "\xff"}]


@pytest.fixture(scope="module")
def roomy_app(tmp_path_factory) -> Flask:
    """Default fixtures with rate limits too high to reach, so every request is judged on its input."""
    text = (ROOT / "fixtures" / "default.yaml").read_text()
    for old, new in (("burst: 90", "burst: 1000000000"), ("limit_minute: 1000", "limit_minute: 1000000000"),
                     ("limit_day: 50000", "limit_day: 1000000000")):
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("fixtures") / "roomy.yaml"
    path.write_text(text)
    app = create_app({"fixtures": str(path), "clock_start": NOW, "clock_frozen": True, "max_sessions": 256})
    app.test_client_class = SpecCheckingClient  # every vendor answer, error or not, must still match openapi/
    return app


def _bodies(route: Route, values: list) -> list[dict]:
    """Vendor routes: one odd value at a time in an otherwise valid body, so no earlier error hides what it does."""
    headers = {**route.headers, "Content-Type": "application/json"}
    if route.dialect == "admin":  # none of these fields is the admin API's: one body per value is enough
        bodies = [{"text": "fuzz", **{name: [value] for name in FIELDS}, "seed": value} for value in values]
    else:
        bodies = [{"text": "fuzz", "userLists": ["fans"], name: [value]} for value in values for name in FIELDS]
        bodies += [{"text": "fuzz", "userLists": ["fans"], name: value} for value in values
                   for name in ("price", "scheduledDate", "text")]
    return [{"path": route.path(TARGET_ID), "headers": headers, "data": json.dumps(body)} for body in bodies]


def inputs(route: Route) -> dict[str, list[dict]]:
    """The hostile requests for one route by input class, as keyword arguments of the test client's ``open``."""
    path = route.path(TARGET_ID)
    classes = {
        "odd query values": [{"path": path, "headers": route.headers,
                              "query_string": "&".join(f"{name}={value}" for name in QUERY_NAMES)}
                             for value in QUERY_VALUES],
        "odd header bytes": [{"path": path, "headers": {**route.headers, **extra}, "data": b'{"text": "fuzz"}'}
                             for extra in HEADERS],
    }
    if route.method != "GET":
        classes["hostile bodies"] = [{"path": path, "data": raw,
                                      "headers": {**route.headers, "Content-Type": "application/json"}}
                                     for raw in HOSTILE.values()]
        classes["odd id strings in bodies"] = _bodies(route, ODD_ID_STRINGS)
        classes["odd values in bodies"] = _bodies(route, ODD_VALUES)
    if route.takes_id:
        classes["odd ids in paths"] = [{"path": route.path(odd), "headers": route.headers} for odd in ODD_IDS]
    return classes


def cases() -> list:
    found = []
    for route in ALL:
        if route.endpoint == "static":
            continue
        for name in inputs(route):
            found.append(pytest.param(route, name, id=f"{route} | {name}"))
    return found


def assert_session_still_reads(client) -> None:
    journal = client.get("/_emulator/requests", query_string={"limit": 3})
    assert journal.status_code == 200 and isinstance(journal.get_json()["requests"], list)
    assert client.get("/_emulator/state").status_code == 200
    assert client.get(f"/v2/access/mass-messages/{READ_ID}", headers=OFAUTH).status_code == 200
    assert client.get(f"/api/{ACCOUNT}/mass-messaging/{READ_ID}", headers=ONLYFANSAPI).status_code == 200


@pytest.mark.parametrize("route, kind", cases())
def test_no_request_poisons_the_session(roomy_app, route, kind):
    client = roomy_app.test_client()
    client.post("/_emulator/reset", json={"faults": True})
    for number, request in enumerate(inputs(route)[kind]):
        response = client.open(method=route.method, **request)
        assert response.status_code < 500, (number, request.get("path"), response.get_data()[:300])
        if response.status_code >= 400 and response.status_code != 405:
            assert_error_shape(response, route.dialect)
        assert_session_still_reads(client)
    whole = client.get("/_emulator/requests")
    assert whole.status_code == 200 and whole.get_json()["count"] > 0
