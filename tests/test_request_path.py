"""The cheaper request path keeps Flask's behaviour: URLs still build, sessions stay read-only, bodies read once,
and the server runs on its event loop only the requests that cannot wait."""
from __future__ import annotations

import json

import pytest
from flask import session, url_for
from werkzeug.datastructures import EnvironHeaders

from emulator.pipeline.journal import request_headers
from emulator.pipeline.stages import quick_check

from .conftest import OFAUTH


def test_urls_build_from_routes_on_first_use(app):
    with app.test_request_context():
        assert url_for("ofauth.get_mass_message", mass_message_id=5) == "/v2/access/mass-messages/5"
        assert url_for("openapi_spec", name="ofauth", x=1) == "/openapi/ofauth.yaml?x=1"  # unknown values: a query
        assert url_for("ofauth.get_mass_message", mass_message_id=6) == "/v2/access/mass-messages/6"  # compiled once


def test_the_cookie_session_is_empty_and_refuses_writes(app):
    with app.test_request_context():
        assert dict(session) == {}
        with pytest.raises(RuntimeError):
            session["user"] = "someone"


def test_a_body_is_read_once_and_the_journal_keeps_what_the_route_read(client):
    sent = json.dumps({"text": "Read once", "userLists": ["fans"], "scheduledDate": "2035-01-01T00:00:00Z"})
    response = client.post("/v2/access/mass-messages", data=sent, headers=OFAUTH, content_type="application/json")
    assert response.status_code == 200
    entry = client.get("/_emulator/requests").json["requests"][-1]
    assert entry["body"] == json.loads(sent) and entry["body_size"] == len(sent)
    assert client.get(f"/v2/access/mass-messages/{response.json['id']}", headers=OFAUTH).json["text"] == "<p>Read once</p>"


def test_a_body_shorter_than_its_content_length_is_a_400_in_the_vendors_shape(client):
    response = client.put("/v2/access/mass-messages/3100000001", data=b'{"text": "cut"}', headers=OFAUTH,
                          content_type="application/json", environ_overrides={"CONTENT_LENGTH": "50"})
    assert response.status_code == 400 and "ended after 15 of the 50 bytes" in response.json["error"]
    assert set(response.json) >= {"error", "type", "requestId"}


def test_only_requests_that_cannot_wait_may_run_on_the_event_loop(app, client):
    quick = quick_check(app)
    vendor = {"PATH_INFO": "/v2/access/mass-messages/3100000001"}
    assert quick(vendor)
    assert not quick({"PATH_INFO": "/_emulator/faults"})  # admin: may import state, stream a journal, reset
    assert not quick({"PATH_INFO": "/s/ci/_emulator/reset"})
    assert not quick({**vendor, "HTTP_X_EMULATOR_FAULT": "delay=100"})  # a header may ask for a delay
    assert client.post("/_emulator/faults", json={"match": {"route": "list_mass_messages"},
                                                  "respond": {"status": 503}}).status_code == 201
    assert not quick(vendor)  # any session's rule may delay: every request goes to a worker thread
    assert client.delete("/_emulator/faults").status_code == 200
    assert quick(vendor)
    assert quick_check(object()) is None  # not the emulator: the server decides nothing for it


def test_headers_werkzeug_would_fix_are_still_fixed(app):
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8080", "PATH_INFO": "/x", "SCRIPT_NAME": ""}
    moved = app.response_class("", 302, headers={"Location": "/n\u00e4chste"})
    assert moved.get_wsgi_headers(environ)["Location"] == "/n%C3%A4chste"  # made a URI, as Werkzeug does
    empty = app.response_class(b"", 204)
    assert "Content-Length" not in empty.get_wsgi_headers(environ)
    plain = app.response_class(b'{"a":1}', 200, mimetype="application/json")
    assert plain.get_wsgi_headers(environ) is plain.headers and plain.headers["Content-Length"] == "7"


def test_a_full_upload_table_forgets_the_expired_then_the_one_idle_longest(app):
    from emulator.domain.uploads import LIFETIME

    world = app.extensions["emulator.sessions"].get("default").world
    uploads, creator = world.uploads, world.creator(412000001)
    uploads.limit = 3
    first, _, third = (uploads.start(creator, f"{name}.jpg", "image/jpeg", 10, 1000.0 + number)
                       for number, name in enumerate(("first", "second", "third")))
    uploads.receive_part(first, 1, 10, "d41d8cd98f00b204e9800998ecf8427e", 1010.0)  # the first is active again
    fourth = uploads.start(creator, "fourth.jpg", "image/jpeg", 10, 1011.0)
    assert list(uploads.items) == [third.id, first.id, fourth.id]  # the second, idle longest, made room
    later = uploads.start(creator, "later.jpg", "image/jpeg", 10, 1002.0 + LIFETIME)  # the third has expired
    assert list(uploads.items) == [first.id, fourth.id, later.id]


@pytest.mark.parametrize("environ", [
    {"HTTP_APIKEY": "key", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "12", "HTTP_X_CONNECTION_ID": "c"},
    {"CONTENT_TYPE": "", "CONTENT_LENGTH": "", "HTTP_ACCEPT": "*/*"},  # empty CGI values: not headers
    {"HTTP_CONTENT_TYPE": "text/plain", "CONTENT_TYPE": "application/json", "HTTP_CONTENT_LENGTH": "3"},
    {"HTTP_X_EMPTY": "", "HTTP_USER_AGENT": "a, b", "REQUEST_METHOD": "PUT", "wsgi.url_scheme": "http"},
    {"HTTP_X_STAINLESS_RETRY_COUNT": "2", "HTTP_AUTHORIZATION": "Bearer x", "SERVER_NAME": "h", "PATH_INFO": "/"},
])
def test_the_journal_lists_headers_as_werkzeug_does(environ):
    assert request_headers(environ) == list(EnvironHeaders(environ).items())
