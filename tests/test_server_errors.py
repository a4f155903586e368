"""Errors answered before or around the routes, by waitress or Werkzeug, come in the vendor's JSON shape."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest

from .conftest import NOW, OFAUTH, Server
from .surface import ALL, assert_error_shape, fresh_app

SECRETS = "apiKey: ofa_test_main_2f7c9e41\r\nx-connection-id: conn_emulator_main\r\n"


@pytest.fixture(scope="module", params=["async", "waitress"])
def server(request):
    """Each server ``serve`` offers: both answer what they refuse themselves in the vendor's shape."""
    running = Server("--clock-start", NOW, "--server", request.param)
    yield running
    running.stop()


def exchange(base_url: str, request: bytes) -> tuple[int, dict[str, str], dict]:
    """Send raw bytes, read the whole answer (the server closes after an error), parse status, headers, JSON."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        try:
            sock.sendall(request)
        except OSError:
            pass  # the server may refuse before the whole request is sent
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass  # closing on unread request bytes resets the connection, after the answer was sent
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


@pytest.mark.parametrize("request_bytes, status, dialect", [
    (b"GARBAGE\r\n\r\n", 400, "ofauth"),
    (b"G\x00ET / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "ofauth"),
    (b"GET /v2/access/mass-messages HTTP/1.1\r\nBad Header Line\r\n\r\n", 400, "ofauth"),
    (b"GET /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "onlyfansapi"),
    (b"GET /_emulator/clock HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "admin"),
    (b"GET /v2/access/mass-messages HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431, "ofauth"),
    (b"POST /_emulator/state HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", 413, "admin"),
    (b"POST /api/a/mass-messaging HTTP/1.1\r\nHost: x\r\nContent-Length: 67108865\r\n\r\n", 413, "onlyfansapi"),
    (b"GET /v2/access/mass-messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "ofauth"),
], ids=["start-line", "nul-in-method", "bad-header", "bad-length", "negative-length", "huge-headers",
        "huge-state", "huge-body", "transfer-coding"])
def test_what_the_server_refuses_is_answered_in_the_vendor_shape(server, request_bytes, status, dialect):
    answered, headers, body = exchange(server.base_url, request_bytes)
    assert answered == status and headers["Content-Type"] == "application/json"
    if dialect == "ofauth":
        assert set(body) == {"error", "type", "requestId"} and body["type"] in ("BAD_REQUEST", "PAYLOAD_TOO_LARGE",
                                                                              "UNKNOWN_ERROR")
    elif dialect == "onlyfansapi":
        assert set(body) == {"message"}
    else:
        assert body == {"error": body["error"], "status": status}


def test_a_chunked_body_over_the_server_limit_is_refused_in_the_vendor_shape(server):
    chunk = b"%x\r\n%s\r\n" % (1024 * 1024, b" " * 1024 * 1024)
    request = (b"POST /v2/access/mass-messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               + SECRETS.encode() + b"Content-Type: application/json\r\n\r\n" + chunk * 66 + b"0\r\n\r\n")
    status, _, body = exchange(server.base_url, request)
    assert status == 413 and body["type"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("path", ["/v2/access//mass-messages/3100000001", "/api//acct_x/mass-messaging",
                                  "/_emulator//clock", "/v2/access/mass-messages//"])
def test_doubled_slashes_are_a_404_in_the_vendor_shape_never_a_redirect(path):
    client = fresh_app().test_client()
    response = client.get(path, headers=OFAUTH)
    assert response.status_code == 404
    assert_error_shape(response, "admin" if path.startswith("/_emulator") else
                       "onlyfansapi" if path.startswith("/api") else "ofauth")


@pytest.mark.parametrize("route", ALL, ids=str)
def test_options_is_a_405_in_the_vendor_shape_with_allow(route):
    client = fresh_app().test_client()
    response = client.open(route.path(), method="OPTIONS", headers=route.headers)
    assert response.status_code == 405
    assert_error_shape(response, route.dialect)
    assert route.method in response.headers["Allow"] and "OPTIONS" not in response.headers["Allow"]


def test_leading_double_slash_is_the_same_path():
    # Werkzeug strips leading slashes (as nginx merges them); only a doubled slash inside a path is refused.
    address = fresh_app().test_client()
    response = address.get("/v2/access/mass-messages/3100000001", headers=OFAUTH,
                           environ_overrides={"PATH_INFO": "//v2/access/mass-messages/3100000001"})
    assert response.status_code == 200
