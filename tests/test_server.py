"""``python -m emulator serve`` as a real process: banner, HTTP, and a clean stop on SIGTERM."""
from __future__ import annotations

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
        assert fetched.json()["text"] == "live"
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
