"""Remembered loads (http/validation.remembered) answer exactly what a fresh load does: a new dict each time, never
a failure, a list or a long input kept, the body's type part of what is remembered, and the memo bounded. And the
whole-body response (http/flaskapp.EmulatorResponse) is what Werkzeug builds, with no body for HEAD."""
from __future__ import annotations

import io
import json

import pytest
from flask import Response

from emulator.http import validation
from emulator.http.flaskapp import EmulatorResponse
from emulator.ofauth.queries import ChartQuery, PageQuery
from emulator.ofauth.uploads import INIT

from .conftest import OFAUTH

CHART = "/v2/access/analytics/mass-messages/chart"
WINDOW = "startDate=2026-10-01T00:00:00Z&endDate=2026-11-20T00:00:00Z&withTotal=false"


@pytest.fixture(autouse=True)
def empty_memo():
    validation._LOADED.clear()
    yield
    validation._LOADED.clear()


def test_a_remembered_query_answers_what_a_fresh_load_does(client):
    first = client.get(f"{CHART}?{WINDOW}", headers=OFAUTH)
    assert first.status_code == 200
    assert any(given == WINDOW for _, given in validation._LOADED)
    again = client.get(f"{CHART}?{WINDOW}", headers=OFAUTH)
    validation._LOADED.clear()
    fresh = client.get(f"{CHART}?{WINDOW}", headers=OFAUTH)
    assert again.get_data() == first.get_data() == fresh.get_data()
    assert "total" not in first.get_json()["messages"]  # withTotal=false was read, not the default


def test_a_remembered_load_is_a_new_dict_each_time():
    schema, parsed = PageQuery(), []
    args = lambda: parsed.append(1) or {"limit": "5"}  # noqa: E731
    for _ in range(3):  # loaded, then twice from the memo: a change to one never reaches the next
        loaded = validation.remembered(schema, "limit=5", 7, args)
        assert loaded == {"limit": 5, "offset": 0}
        loaded["limit"] = 99
    assert parsed == [1]  # parsed once: the others came from the memo


def test_a_failing_load_is_never_remembered(client):
    for _ in range(2):
        refused = client.get("/v2/access/mass-messages?limit=0", headers=OFAUTH)
        assert refused.status_code == 400
        assert "limit" in refused.get_json()["error"]
    assert not any(given == "limit=0" for _, given in validation._LOADED)


def test_a_list_or_a_long_input_is_loaded_afresh_each_time():
    schema = ChartQuery()
    long_query = "withTotal=true&pad=" + "x" * validation.SMALL
    validation.remembered(schema, long_query, len(long_query), lambda: {"withTotal": "true", "pad": "x"})
    body = {"filename": "a.jpg", "size": 5, "contentType": "image/jpeg", "vaultUpload": {"listIds": [1]}}
    raw = json.dumps(body).encode()
    loaded = validation.remembered(INIT, raw, len(raw), lambda: dict(body))
    assert loaded["vaultUpload"] is not None
    assert validation._LOADED == {}


def test_the_body_type_is_part_of_what_is_remembered(client):
    raw = json.dumps({"filename": "a.jpg", "size": 5, "contentType": "image/jpeg"}).encode()
    accepted = client.post("/v2/access/uploads/init", data=raw, headers={**OFAUTH, "Content-Type": "application/json"})
    assert accepted.status_code == 200
    refused = client.post("/v2/access/uploads/init", data=raw, headers={**OFAUTH, "Content-Type": "text/plain"})
    assert refused.status_code == 400
    assert "Content-Type must be application/json" in refused.get_json()["error"]


def test_the_memo_is_bounded():
    schema = PageQuery()
    for number in range(validation.REMEMBERED + 40):
        validation.remembered(schema, f"limit={number % 100 + 1}&n={number}", 12,
                              lambda number=number: {"limit": str(number % 100 + 1)})
    assert len(validation._LOADED) == validation.REMEMBERED


@pytest.mark.parametrize("headers", [{"X-RateLimit-Limit": "90", "X-Request-Id": "req_1"}, None])
def test_a_whole_response_is_what_werkzeug_builds(headers):
    built = EmulatorResponse.whole(b'{"a":1}', 201, headers, "application/json")
    expected = Response(b'{"a":1}', status=201, headers=headers, mimetype="application/json")
    assert list(built.headers) == list(expected.headers)
    assert (built.status, built.get_data()) == (expected.status, expected.get_data())
    for response in (built, expected):  # headers a fault rule adds later land as they do on Werkzeug's own
        response.headers["X-Request-Id"] = "req_2"
        response.headers.add("X-Emulator-Fault", "slow")
    assert list(built.headers) == list(expected.headers)


@pytest.mark.parametrize("method, body", [("GET", b'"id":3100000001'), ("HEAD", b"")])
def test_a_whole_body_goes_out_as_it_is_and_head_sends_none(app, method, body):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/v2/access/mass-messages/3100000001", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
               "HTTP_APIKEY": OFAUTH["apiKey"], "HTTP_X_CONNECTION_ID": OFAUTH["x-connection-id"]}
    sent: list[str] = []
    result = app(environ, lambda status, headers, exc_info=None: sent.append(status))
    sent_body = b"".join(result)
    assert sent == ["200 OK"]
    assert body in sent_body if body else sent_body == b""


def test_only_a_body_that_goes_out_whole_is_handed_over_as_it_is():
    get = {"REQUEST_METHOD": "GET"}
    sent = EmulatorResponse.whole(b"{}", 200, None, "application/json")
    assert sent.get_app_iter(get) is sent.response
    assert list(sent.get_app_iter({"REQUEST_METHOD": "HEAD"})) == []
    for status in (204, 304):
        assert list(EmulatorResponse.whole(b"{}", status, None, "application/json").get_app_iter(get)) == []
    closing = EmulatorResponse.whole(b"{}", 200, None, "application/json")
    closed: list[bool] = []
    closing.call_on_close(lambda: closed.append(True))
    handed = closing.get_app_iter(get)
    assert handed is not closing.response and b"".join(handed) == b"{}"
    handed.close()
    assert closed == [True]
