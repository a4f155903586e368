"""Every request has bounded work: the chart's range, date-cursor pages, path patterns, and clients that never
read what they asked for."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from emulator import create_app
from emulator.harness.pattern import PathPattern
from emulator.server.loop_server import EmbeddedServer, Limits

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, ROOT, SpecCheckingClient
from .spec_check import httpx_hook

OFAPI = f"/api/{ACCOUNT}"
ENGAGEMENT = OFAPI + "/engagement/messages/mass-messages"


@pytest.mark.parametrize("path, headers", [
    ("/v2/access/analytics/mass-messages/chart", OFAUTH), (ENGAGEMENT + "/chart", ONLYFANSAPI)])
@pytest.mark.parametrize("query", [
    {"startDate": "2020-01-01T00:00:00Z"},  # a start alone runs to now: more than a year
    {"startDate": "2025-11-01T00:00:00Z", "endDate": "2026-11-24T00:00:00Z"},
])
def test_a_chart_range_over_366_days_is_refused_whichever_bounds_are_given(client, path, headers, query):
    response = client.get(path, query_string=query, headers=headers)
    assert response.status_code in (400, 422)
    assert "366 days" in (response.json.get("error") or response.json["message"])


def test_a_chart_with_a_start_alone_within_a_year_has_a_point_a_day(client):
    body = client.get(ENGAGEMENT + "/chart", query_string={"startDate": "2026-01-01 00:00:00"},
                      headers=ONLYFANSAPI).json["data"]
    assert len(body["group_messages"]["chart"]) == 328  # 2026-01-01 to 2026-11-24, both days counted


def frozen_app():
    app = create_app({"clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    return app


def send_many(client, count: int) -> set[int]:
    return {client.post(f"{OFAPI}/mass-messaging", json={"text": f"Same instant {number}", "userLists": ["fans"]},
                        headers=ONLYFANSAPI).json["data"]["id"] for number in range(count)}


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_next_page_splits_a_crowded_instant_without_repeats_or_skips(limit):
    client = frozen_app().test_client()
    sent = send_many(client, 25)  # 25 messages in one frozen instant
    seen: list[int] = []
    query: dict[str, str] = {"limit": str(limit)}
    for _ in range(200):
        body = client.get(ENGAGEMENT, query_string=query, headers=ONLYFANSAPI).json
        assert len(body["data"]["items"]) <= limit
        seen += [item["id"] for item in body["data"]["items"]]
        following = body["_pagination"]["next_page"]
        if following is None:
            break
        query = {name: values[0] for name, values in parse_qs(urlsplit(following).query).items()}
    assert len(seen) == len(set(seen)) and sent <= set(seen)
    assert seen[:25] == sorted(sent, reverse=True)  # newest first, ties broken by id


def test_the_tie_breaker_rides_in_the_vendors_date_format():
    client = frozen_app().test_client()
    send_many(client, 5)
    following = client.get(ENGAGEMENT, query_string={"limit": 2}, headers=ONLYFANSAPI).json["_pagination"]["next_page"]
    assert parse_qs(urlsplit(following).query)["endDate"] == ["2026-11-24 12:00:00.000003"]
    # A date without it still means the whole second, as the vendor's dates do.
    whole = client.get(ENGAGEMENT, query_string={"limit": 100, "endDate": "2026-11-24 12:00:00"},
                       headers=ONLYFANSAPI).json["data"]["items"]
    assert sum(item["rawText"].startswith("Same instant") for item in whole) == 5


def test_the_overview_never_exceeds_its_limit_either():
    client = frozen_app().test_client()
    send_many(client, 12)
    items = client.get(OFAPI + "/mass-messaging/overview", query_string={"limit": 5},
                       headers=ONLYFANSAPI).json["data"]["items"]
    assert len(items) == 5


@pytest.mark.parametrize("pattern, path, expected", [
    ("/api/*", "/api/acct_1/mass-messaging", True), ("*/mass-messaging/?", "/api/x/mass-messaging/1", True),
    ("/v2/*/[0-9]*", "/v2/access/mass-messages/31", True), ("/v2/*/[!0-9]", "/v2/access/mass-messages/3", False),
    ("*a*b*c", "xxaxxbxxc", True), ("*a*b*c", "xxaxxcxxb", False), ("[", "[", True), ("", "", True),
])
def test_path_patterns_read_as_fnmatch_does(pattern, path, expected):
    assert PathPattern.compile(pattern).matches(path) is expected


def test_a_hostile_journal_pattern_costs_little(client):
    for _ in range(200):
        client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    started = time.thread_time()  # this thread's CPU, not the wall clock: a busy machine does not move it
    for pattern in ("*" + "?" * 3900, "*a" * 2000, "[" * 4000 + "*", "*?*?" * 1000):
        assert client.get("/_emulator/requests", query_string={"path": pattern}).json["count"] == 0
    assert time.thread_time() - started < 2  # fnmatch took 3.4 s of CPU for the first alone


@pytest.fixture(scope="module")
def big_state_server():
    app = create_app({"clock_start": NOW})
    server = EmbeddedServer(app, "127.0.0.1", 0, Limits(write_timeout=1.0, unsent_bytes=4 * 1024 * 1024))
    server.start_in_thread()
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        state = http.get("/_emulator/state").json()
        template = state["queue"][0]
        # About 8 MB: more than the kernel buffers of a connection hold (4 MiB to send, a few kB to receive).
        state["queue"] = [{**template, "id": 3_200_000_000 + number} for number in range(15_000)]
        assert http.put("/_emulator/state", json=state).status_code == 200
        size = len(http.get("/_emulator/state").content)
    yield server, size
    server.stop()
    server.join(5)


def never_read(base_url: str, path: str) -> socket.socket:
    parts = urlsplit(base_url)
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect((parts.hostname, parts.port))
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return connection


def read_to_end(connection: socket.socket) -> int:
    connection.settimeout(10)
    received = 0
    while chunk := connection.recv(1 << 20):
        received += len(chunk)
    return received


def test_a_client_that_never_reads_is_cut_off_after_the_write_timeout(big_state_server):
    server, size = big_state_server
    stalled = [never_read(server.base_url, "/_emulator/state") for _ in range(3)]
    time.sleep(2.5)  # past the 1 s write timeout
    with httpx.Client(base_url=server.base_url, timeout=10, event_hooks={"response": [httpx_hook]}) as http:
        assert len(http.get("/_emulator/state").content) > size - 100  # a reading client gets it all
    for connection in stalled:
        with connection:
            assert read_to_end(connection) < size - 1000  # cut off: the rest never came


def test_unread_answers_count_against_a_budget(big_state_server):
    server, _ = big_state_server
    stalled = [never_read(server.base_url, "/_emulator/state")]  # over the 4 MiB budget by itself
    deadline = time.monotonic() + 5
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        while time.monotonic() < deadline:
            busy = http.get("/_emulator/clock")
            if busy.status_code == 503:
                break
            time.sleep(0.05)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
        assert "still unread" in busy.json()["error"]
        assert http.get("/_emulator/health").status_code == 200  # health still answers
        time.sleep(2)  # the write timeout cuts the stalled clients off and frees their answers
        assert http.get("/_emulator/clock").status_code == 200
    for connection in stalled:
        connection.close()


def test_the_unread_bench_prints_its_figures():
    result = subprocess.run([sys.executable, "bench/unread.py", "--clients", "3", "--messages", "12000",
                             "--write-timeout", "1"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("3 clients ask for a ") and "never read it (write timeout 1 s)" in lines[0]
    assert re.fullmatch(r"  after 2 s: resident \+-?\d+\.\d MB, \d of 3 still connected", lines[1])
    assert re.fullmatch(r"  after 4 s: resident \+-?\d+\.\d MB, 0 of 3 still connected", lines[2])
