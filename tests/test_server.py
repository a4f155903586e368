"""``python -m emulator serve`` as a real process: banner, HTTP, and a clean stop on SIGTERM."""
from __future__ import annotations

import json
import time

from .conftest import OFAUTH, Server


def test_serve_prints_base_url_and_credentials(server):
    banner = "".join(server.banner)
    assert server.base_url.startswith("http://127.0.0.1:")
    assert "ofa_test_main_2f7c9e41" in banner and "conn_emulator_main" in banner
    assert "ofapi_test_main_5d21b7" in banner and "acct_fad58de7366495db4650cfefac2fcd61" in banner


def test_serve_prints_one_ready_line_with_the_real_port(server):
    ready = [line for line in server.banner if line.startswith("ready:")]
    assert ready == [f"ready: {server.base_url}\n"] and not server.base_url.endswith(":0")


def test_serve_answers_both_vendors(server):
    with server.client() as http:
        created = http.post("/v2/access/mass-messages", json={"text": "live", "userLists": ["fans"]}, headers=OFAUTH)
        assert created.status_code == 200
        fetched = http.get(f"/v2/access/mass-messages/{created.json()['id']}", headers=OFAUTH)
        assert fetched.json()["rawText"] == "live"
        assert http.put("/api/acct_x/mass-messaging/1", json={"text": "x"}).status_code == 401
        assert http.get("/openapi/ofauth.yaml").status_code == 200
        assert fetched.headers["server"] == "emulator"


def test_serve_stops_cleanly_on_sigterm():
    started = time.monotonic()
    process = Server("--seed", "3")
    assert time.monotonic() - started < 10
    out = process.stop()
    assert process.process.returncode == 0
    assert "emulator stopped" in out


def test_serve_refuses_broken_fixtures(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "bad.yaml"
    path.write_text("creators: nope")
    result = subprocess.run([sys.executable, "-m", "emulator", "serve", "--fixtures", str(path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "invalid fixture" in result.stderr


def raw_exchange(base_url: str, request: bytes) -> bytes:
    """Send raw bytes to the server and read until it closes (or 10 s pass)."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(base_url)
    received = b""
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    return received


def test_serve_reads_a_chunked_body_as_the_app_asks_for_it(server):
    body = b'{"text": "sent in chunks", "userLists": ["fans"]}'
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:])) + b"0\r\n\r\n"
    head = ("POST /v2/access/mass-messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/json\r\n" + "".join(f"{k}: {v}\r\n" for k, v in OFAUTH.items()) + "\r\n")
    answer = raw_exchange(server.base_url, head.encode() + chunked)
    assert answer.startswith(b"HTTP/1.1 200")
    created = json.loads(answer.partition(b"\r\n\r\n")[2])["id"]
    with server.client() as http:
        assert http.get(f"/v2/access/mass-messages/{created}", headers=OFAUTH).json()["rawText"] == "sent in chunks"


def test_serve_streams_a_long_answer_whole(server):
    session = {"X-Emulator-Session": "long-answer"}
    with server.client(headers=session) as http:
        for _ in range(24):  # each entry keeps 16 kB of a 37 kB list: the journal reads back past one batch
            http.get("/v2/access/mass-messages", headers=OFAUTH)
        journal = http.get("/_emulator/requests")
    assert journal.status_code == 200 and journal.json()["count"] == 24
    assert len(journal.content) > 256 * 1024


def test_serve_refuses_a_body_over_the_server_limit_unread_in_the_vendor_shape(server):
    answer = raw_exchange(server.base_url, b"POST /api/a/mass-messaging HTTP/1.1\r\nHost: x\r\n"
                                           b"Content-Length: 67108865\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"application/json" in head.lower()
    assert set(json.loads(body)) == {"message"}


def test_serve_on_waitress_keeps_every_behaviour_of_the_banner_and_sigterm(tmp_path):
    state = tmp_path / "state.json"
    running = Server("--server", "waitress", "--state-file", str(state))
    with running.client() as http:
        assert http.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).headers["server"] == "emulator"
    assert [line for line in running.banner if line.startswith("ready: http://127.0.0.1:")]
    out = running.stop()
    assert running.process.returncode == 0 and f"state saved to {state}" in out and state.exists()
