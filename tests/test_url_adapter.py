"""The emulator's URL adapter (http/flaskapp.bind) is the one Werkzeug's Map.bind_to_environ gives, through Flask,
for every kind of Host, path, script root, query and WebSocket upgrade: the same routing, the same errors."""
from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.exceptions import BadHost, HTTPException

from emulator import create_app

ADAPTER = ("server_name", "script_name", "subdomain", "url_scheme", "path_info", "default_method", "query_args")
BASE = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "/v2/access/mass-messages/3100000001",
        "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "wsgi.url_scheme": "http"}
CASES = [
    {},
    {"HTTP_HOST": "127.0.0.1:8080"},
    {"HTTP_HOST": "LocalHost:8080", "QUERY_STRING": "limit=5&offset=10"},
    {"HTTP_HOST": "bücher.example:443", "wsgi.url_scheme": "https"},
    {"HTTP_HOST": "[::1]:9000"},
    {"HTTP_HOST": "example.com", "SCRIPT_NAME": "/s/ci-run"},
    {"SCRIPT_NAME": "/s/é".encode().decode("latin1"), "PATH_INFO": "/api/é".encode().decode("latin1")},
    {"PATH_INFO": ""},
    {"REQUEST_METHOD": "DELETE", "HTTP_HOST": "emulator:80"},
    {"HTTP_CONNECTION": "keep-alive, Upgrade", "HTTP_UPGRADE": "websocket"},
    {"HTTP_CONNECTION": "upgrade", "HTTP_UPGRADE": "WebSocket", "wsgi.url_scheme": "https"},
    {"HTTP_CONNECTION": "close", "HTTP_UPGRADE": "websocket"},
]


def adapters(app: Flask, environ: dict) -> tuple:
    request = app.request_class(environ)
    ours = app.create_url_adapter(request)
    theirs = Flask.create_url_adapter(app, app.request_class(environ))
    return ours, theirs, request


@pytest.mark.parametrize("extra", CASES)
def test_the_adapter_is_werkzeugs(extra):
    app = create_app({})
    ours, theirs, request = adapters(app, {**BASE, **extra})
    assert [getattr(ours, name) for name in ADAPTER] == [getattr(theirs, name) for name in ADAPTER]
    assert request.host == app.request_class({**BASE, **extra}).host
    assert outcome(ours) == outcome(theirs)


def outcome(adapter) -> object:
    """What routing makes of the request: the rule and its arguments, or the error (404, 405, WebSocket 400)."""
    try:
        return adapter.match(return_rule=True)
    except HTTPException as error:
        return type(error), error.code


def test_a_host_no_name_can_carry_is_refused_alike():
    app = create_app({})
    environ = {**BASE, "HTTP_HOST": "a..b"}
    with pytest.raises(BadHost):
        Flask.create_url_adapter(app, app.request_class(environ))
    with pytest.raises(BadHost):
        app.create_url_adapter(app.request_class(environ))


def test_a_setting_that_asks_for_more_gets_flasks_own():
    app = create_app({})
    app.config["SERVER_NAME"] = "emulator.test"
    adapter = app.create_url_adapter(app.request_class({**BASE, "HTTP_HOST": "other.test"}))
    assert adapter.server_name == "emulator.test"
