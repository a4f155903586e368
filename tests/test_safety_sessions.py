"""Sessions are never lost silently: counted limits, creation only by authenticated or admin calls, visible
eviction, ``--on-full refuse``, and names carried exactly or refused."""
from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

import pytest
from flask import Flask

from emulator import create_app

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, SpecCheckingClient

MESSAGE = "/v2/access/mass-messages/3100000001"
LIST = f"/api/{ACCOUNT}/mass-messaging"


def emulator(**config: object) -> Flask:
    app = create_app(config)
    app.test_client_class = SpecCheckingClient
    return app


def names(app: Flask) -> set[str]:
    return set(app.test_client().get("/_emulator/sessions").json["sessions"])


def on(name: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    return {**(headers or {}), "X-Emulator-Session": name}


def test_max_sessions_counts_named_sessions_besides_the_default():
    app = emulator(max_sessions=3)
    client = app.test_client()
    for name in ("a", "b", "c"):
        assert client.get("/_emulator/clock", headers=on(name)).status_code == 200
    assert names(app) == {"default", "a", "b", "c"}
    assert client.get("/_emulator/health").json["sessions_evicted"] == 0


@pytest.mark.parametrize("path, headers", [
    (MESSAGE, {"apiKey": "wrong", "x-connection-id": "conn_emulator_main"}),
    (MESSAGE, {}),
    (LIST, {"Authorization": "Bearer wrong"}),
    (LIST, {}),
])
def test_a_request_that_fails_authentication_creates_no_session(path, headers):
    app = emulator(max_sessions=1)
    client = app.test_client()
    client.get("/_emulator/clock", headers=on("kept"))
    for number in range(5):
        assert client.get(path, headers=on(f"intruder-{number}", headers)).status_code == 401
    assert names(app) == {"default", "kept"}
    assert client.get("/_emulator/health").json["sessions_evicted"] == 0


@pytest.mark.parametrize("path, headers", [(MESSAGE, OFAUTH), (LIST, ONLYFANSAPI)])
def test_an_authenticated_vendor_request_creates_its_session(path, headers):
    app = emulator()
    assert app.test_client().get(path, headers=on("worker-1", headers)).status_code == 200
    assert "worker-1" in names(app)


def test_eviction_is_logged_counted_and_told_to_the_evicted_session(caplog):
    app = emulator(max_sessions=1)
    client = app.test_client()
    assert client.post("/v2/access/mass-messages", headers=on("first", OFAUTH),
                       json={"text": "hi", "userLists": ["fans"]}).status_code == 200
    with caplog.at_level(logging.WARNING):
        client.get(MESSAGE, headers=on("second", OFAUTH))
    assert "session 'first' evicted to make room for 'second'" in caplog.text
    assert client.get("/_emulator/health").json["sessions_evicted"] == 1

    for path, headers in [(MESSAGE, OFAUTH), (LIST, ONLYFANSAPI), (MESSAGE, OFAUTH)]:  # told again, not reborn
        response = client.get(path, headers=on("first", headers))
        assert response.status_code == 503 and response.headers["X-Emulator-Session-Evicted"] == "first"
        message = response.json.get("error") or response.json.get("message")
        assert "Session 'first' was evicted" in message and "POST /_emulator/reset" in message
    assert response.json["type"] == "UNKNOWN_ERROR"
    assert "first" not in names(app)  # "second" is still there

    reset = client.post("/_emulator/reset", headers=on("first"), json={})
    assert reset.status_code == 200 and reset.headers["X-Emulator-Session-Evicted"] == "first"
    assert client.get(MESSAGE, headers=on("first", OFAUTH)).status_code == 200
    assert "X-Emulator-Session-Evicted" not in client.get(MESSAGE, headers=on("first", OFAUTH)).headers


def test_on_full_refuse_answers_503_and_keeps_every_session():
    app = emulator(max_sessions=1, on_full="refuse")
    client = app.test_client()
    assert client.get(MESSAGE, headers=on("one", OFAUTH)).status_code == 200
    refused = client.get(MESSAGE, headers=on("two", OFAUTH))
    assert refused.status_code == 503 and refused.json["type"] == "UNKNOWN_ERROR"
    assert "All 1 sessions are taken" in refused.json["error"]
    onlyfansapi = client.get(LIST, headers=on("two", ONLYFANSAPI))
    assert onlyfansapi.status_code == 503 and "--on-full refuse" in onlyfansapi.json["message"]
    admin = client.post("/_emulator/reset", headers=on("two"), json={})
    assert admin.status_code == 503 and "All 1 sessions are taken" in admin.json["error"]
    assert names(app) == {"default", "one"}
    assert client.get(MESSAGE, headers=on("one", OFAUTH)).status_code == 200  # the kept one still answers
    assert client.get("/_emulator/health").json["sessions_evicted"] == 0


@pytest.mark.parametrize("name", ["a b", "a\tb", "x" * 129, "caf\u00e9", "\x7f", "snow\u2603"])
def test_names_outside_visible_ascii_are_refused_with_400(name):
    app = emulator()
    client = app.test_client()
    raw = name.encode("utf-8").decode("latin-1")  # as a WSGI server hands over the bytes a client sent
    for path, headers in [(MESSAGE, OFAUTH), (LIST, ONLYFANSAPI), ("/_emulator/clock", {})]:
        response = client.get(path, headers=on(raw, headers))
        assert response.status_code == 400, (path, name)
        assert "1 to 128 visible ASCII characters" in (response.json.get("error") or response.json["message"])
    assert names(app) == {"default"}


def test_spaces_around_a_name_are_trimmed_and_128_visible_characters_pass():
    app = emulator()
    client = app.test_client()
    name = "".join(chr(code) for code in range(0x21, 0x7F)) + "x" * 34
    assert client.get("/_emulator/clock", headers=on(f"  {name}\t")).status_code == 200
    assert name in names(app)


def raw_request(base_url: str, session: bytes) -> bytes:
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(b"GET /_emulator/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           b"X-Emulator-Session: " + session + b"\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("session", [b"caf\xc3\xa9", b"caf\xe9"])
def test_a_name_with_bytes_beyond_ascii_is_refused_instead_of_using_the_default(server, session):
    answer = raw_request(server.base_url, session)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"visible ASCII characters" in answer
