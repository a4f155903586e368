"""``GET /_emulator/health``: status, version, uptime and session count, nothing else, open under --admin-token."""
from __future__ import annotations

import httpx

from emulator import __version__, create_app


def test_health_answers_status_version_uptime_and_sessions_only(client):
    response = client.get("/_emulator/health")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"status", "version", "uptime_seconds", "sessions", "sessions_evicted", "log_lines_dropped"}
    assert (body["status"], body["version"], body["sessions"]) == ("ok", __version__, 1)
    assert 0 <= body["uptime_seconds"] <= client.get("/_emulator/health").get_json()["uptime_seconds"]


def test_health_counts_sessions_without_creating_one(client):
    client.get("/_emulator/clock", headers={"X-Emulator-Session": "worker-1"})
    client.get("/_emulator/health", headers={"X-Emulator-Session": "worker-2"})
    assert client.get("/_emulator/health").get_json()["sessions"] == 2


def test_health_needs_no_admin_token_while_the_admin_api_does():
    client = create_app({"admin_token": "s3cret"}).test_client()
    assert client.get("/_emulator/health").status_code == 200
    assert client.get("/_emulator/health", headers={"Authorization": "Bearer wrong"}).status_code == 200
    assert client.get("/_emulator/clock").status_code == 401


def test_health_answers_on_a_live_server(server):
    response = httpx.get(f"{server.base_url}/_emulator/health")
    assert response.status_code == 200 and response.json()["version"] == __version__
