"""Bounded memory by design: bodies read within a limit, a journal byte budget, a fault-rule budget, streamed reads."""
from __future__ import annotations

import io
import json
import tracemalloc

import httpx
import pytest

from emulator import create_app
from emulator.harness.faults import MAX_RULES, RULES_BUDGET
from emulator.harness.journal import Journal, JournalLimits

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, Server
from .surface import VENDOR, assert_error_shape, fresh_app

MAX_BODY = 1024 * 1024


def record(journal: Journal, number: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> None:
    journal.record(time="2026-11-24T12:00:00+00:00", epoch=1795521600.0 + number, vendor="ofauth", method="POST",
                   path=f"/v2/access/mass-messages/{3100000000 + number}", query="",
                   headers=headers or [("Host", "127.0.0.1"), ("apiKey", "ofa_test_main_2f7c9e41")],
                   body=body, body_type="application/json", body_size=len(body), status=200, dropped=False,
                   handled_status=200, response=body[::-1], response_type="application/json",
                   response_size=len(body), duration_ms=1.0, fault=None,
                   rate_limit={"limit": 90, "remaining": 89, "reset": 1795521660}, retry_count=None,
                   request_id=f"req_{number:024x}")


def test_journal_keeps_within_its_byte_budget_and_counts_what_it_dropped():
    journal = Journal(JournalLimits(size=10_000, budget=200_000, body_bytes=1000, header_bytes=100))
    for number in range(500):
        record(journal, number, b"x" * 50_000, [("X-Big", "y" * 5000), ("Host", "z")])
    assert journal.used <= 200_000
    assert journal.evicted == 500 - len(journal.entries) > 0
    newest = journal.query()[-1]
    assert newest["seq"] == 500
    assert newest["body_size"] == 50_000 and newest["body_truncated"] is True and len(newest["body"]) == 1000
    assert newest["headers_truncated"] is True and sum(len(k) + len(v) for k, v in newest["headers"].items()) <= 100


def test_entry_cost_covers_what_an_entry_really_holds():
    journal = Journal(JournalLimits(size=100_000, budget=10**12))
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for number in range(5_000):
            record(journal, number, json.dumps({"text": f"message {number}", "userLists": ["fans"]}).encode(),
                   [("Host", "127.0.0.1:8080"), ("User-Agent", "python-httpx/0.28.1"), ("Accept", "*/*"),
                    ("apiKey", "ofa_test_main_2f7c9e41"), ("x-connection-id", "conn_emulator_main"),
                    ("Content-Type", "application/json"), ("Content-Length", str(40 + number))])
        held = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
    finally:
        tracemalloc.stop()
    assert held <= journal.used, f"the budget undercounts: {held} bytes held, {journal.used} counted"


def test_journal_limits_come_from_the_configuration():
    app = create_app({"journal_size": 7, "journal_bytes": 123_456, "journal_body_bytes": 99,
                      "journal_header_bytes": 55})
    limits = app.extensions["emulator.sessions"].get("default").journal.limits
    assert limits == JournalLimits(7, 123_456, 99, 55)


@pytest.mark.parametrize("route", VENDOR, ids=str)
def test_every_vendor_route_journals_a_large_body_within_the_limits(route):
    app = create_app({"journal_body_bytes": 2048, "journal_bytes": 64 * 1024})
    client = app.test_client()
    body = json.dumps({"text": "x", "padding": "p" * 900_000}).encode()
    for _ in range(3):
        response = client.open(route.path(), method=route.method, data=body,
                               headers={**route.headers, "Content-Type": "application/json"})
        assert response.status_code < 500
    journal = app.extensions["emulator.sessions"].get("default").journal
    assert journal.used <= 64 * 1024
    entry = journal.query()[-1]
    assert entry["body_size"] == len(body) and len(entry["body"].encode()) <= 2048 and entry["body_truncated"]


class CountingInput(io.RawIOBase):
    """A request stream that counts the bytes the app reads from it."""

    def __init__(self, size: int) -> None:
        self.left, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = b" " * count
        self.left -= count
        self.read_bytes += count
        return count


def call(app, path: str, stream: CountingInput, length: int | None, headers: dict[str, str]) -> tuple[str, dict]:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": stream, "wsgi.input_terminated": True,
               "CONTENT_TYPE": "application/json", "SERVER_PROTOCOL": "HTTP/1.1"}
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    environ.update({f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()})
    status: list[str] = []
    body = b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
    return status[0], json.loads(body)


@pytest.mark.parametrize("path, headers", [
    ("/v2/access/mass-messages", OFAUTH),
    (f"/api/{ACCOUNT}/mass-messaging", ONLYFANSAPI),
    ("/_emulator/faults", {}),
])
def test_an_oversized_body_is_refused_without_being_read(path, headers):
    app = fresh_app()
    declared = CountingInput(64 * MAX_BODY)
    status, body = call(app, path, declared, 64 * MAX_BODY, headers)
    assert status.startswith("413") and declared.read_bytes == 0
    chunked = CountingInput(64 * MAX_BODY)  # no Content-Length: read only until past the limit
    status, body = call(app, path, chunked, None, headers)
    assert status.startswith("413") and chunked.read_bytes <= MAX_BODY + 1 + 64 * 1024
    assert ("message" in body) if path.startswith("/api/") else ("error" in body)


def test_reading_the_journal_back_is_streamed():
    client = create_app().test_client()  # a plain client: the spec-checking one reads every body whole
    for _ in range(5):
        client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH)
    response = client.get("/_emulator/requests")
    assert response.is_streamed
    assert response.get_json()["count"] == 5 and response.get_json()["evicted"] == 0


def test_fault_rules_have_a_budget_and_a_refused_rule_adds_nothing():
    client = fresh_app().test_client()
    big = {"respond": {"status": 500, "body": {"padding": "p" * (RULES_BUDGET // 3)}}}
    added = [client.post("/_emulator/faults", json=big).status_code for _ in range(4)]
    assert added == [201, 201, 400, 400]
    refused = client.post("/_emulator/faults", json=big)
    assert_error_shape(refused, "admin")
    assert "at most" in refused.get_json()["error"]
    assert len(client.get("/_emulator/faults").get_json()["rules"]) == 2
    client.delete("/_emulator/faults")
    for _ in range(MAX_RULES):
        client.post("/_emulator/faults", json={"respond": {"status": 503}, "match": {"method": "PATCH"}})
    assert client.post("/_emulator/faults", json={"respond": {"status": 503}}).status_code == 400


def test_sessions_and_their_journals_stay_within_the_ceiling():
    app = create_app({"max_sessions": 4, "journal_bytes": 100_000})
    client = app.test_client()
    body = json.dumps({"text": "x", "padding": "p" * 200_000})
    for number in range(12):
        for _ in range(3):
            client.post("/v2/access/mass-messages", data=body,
                        headers={**OFAUTH, "Content-Type": "application/json", "X-Emulator-Session": f"s{number}"})
    sessions = app.extensions["emulator.sessions"]
    names = sessions.names()
    assert len(names) <= 4 + 1  # four named sessions besides the default
    assert sum(sessions.get(name).journal.used for name in names) <= 5 * 100_000


@pytest.fixture(scope="module")
def small_server():
    running = Server("--journal-body-bytes", "512", "--journal-header-bytes", "300", "--journal-bytes", "200000")
    yield running
    running.stop()


def test_server_flags_bound_the_journal_and_the_server_refuses_what_no_route_reads(small_server):
    with httpx.Client(base_url=small_server.base_url, timeout=30) as http:
        http.delete("/_emulator/requests")
        body = json.dumps({"text": "x", "userLists": ["fans"], "padding": "p" * 10_000})
        http.post("/v2/access/mass-messages", content=body,
                  headers={**OFAUTH, "Content-Type": "application/json", "X-Long": "l" * 2000})
        entry = http.get("/_emulator/requests").json()["requests"][-1]
        assert entry["body_truncated"] and len(entry["body"]) == 512 and entry["headers_truncated"]
        over_route = http.post("/v2/access/mass-messages", content=b" " * (MAX_BODY + 10),
                               headers={**OFAUTH, "Content-Type": "application/json"})
        assert over_route.status_code == 413 and over_route.json()["type"] == "PAYLOAD_TOO_LARGE"
        server_limit = 64 * MAX_BODY  # max(max_body, max_state_body): waitress refuses past it, unread
        over_server = http.post(f"/api/{ACCOUNT}/mass-messaging", content=b" " * (server_limit + 1),
                                headers={**ONLYFANSAPI, "Content-Type": "application/json"})
        assert over_server.status_code == 413 and set(over_server.json()) == {"message"}
