"""The access log: one line per request, as the client received it, in text or JSON, and off with --quiet."""
from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator import create_app
from emulator.server.access_log import AccessLog
from emulator.testing import IN_PROCESS_URL, InProcessTransport

from .conftest import OFAUTH, ONLYFANSAPI, ROOT
from .serving import LINE, ServeProcess
from .spec_check import httpx_hook

MESSAGE = "/v2/access/mass-messages/3100000001"


class Logged:
    """An in-process app behind the access log, an httpx client for it, and what the log has written."""

    def __init__(self, log_format: str) -> None:
        self.stream = io.StringIO()
        self.app = create_app({"clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True})
        self.app.wsgi_app = AccessLog(self.app.wsgi_app, self.stream, log_format)  # type: ignore[method-assign]
        self.http = httpx.Client(base_url=IN_PROCESS_URL, transport=InProcessTransport(app=self.app),
                                 event_hooks={"response": [httpx_hook]})

    def lines(self) -> list[str]:
        """The log lines written so far."""
        return self.stream.getvalue().splitlines()


@pytest.fixture
def text_log() -> Iterator[Logged]:
    logged = Logged("text")
    yield logged
    logged.http.close()


@pytest.fixture
def json_log() -> Iterator[Logged]:
    logged = Logged("json")
    yield logged
    logged.http.close()


def test_access_log_writes_one_text_line_per_request(text_log):
    assert text_log.http.get(MESSAGE, headers=OFAUTH).status_code == 200
    assert text_log.http.get("/_emulator/clock").status_code == 200
    assert text_log.http.get("/nowhere").status_code == 404
    first, second, third = (LINE.match(line) for line in text_log.lines())
    assert (first["session"], first["method"], first["path"], first["status"], first["fault"]) == \
        ("default", "GET", MESSAGE, "200", None)
    assert (second["path"], second["status"]) == ("/_emulator/clock", "200")
    assert (third["path"], third["status"]) == ("/nowhere", "404")


def test_access_log_shows_the_status_an_after_fault_gave_not_the_handled_one(text_log):
    response = text_log.http.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]},
                                  headers={**OFAUTH, "X-Emulator-Fault": "502;after", "X-Emulator-Session": "w1"})
    assert response.status_code == 502
    [line] = [LINE.match(line) for line in text_log.lines()]
    assert (line["session"], line["method"], line["status"], line["fault"]) == ("w1", "POST", "502", "header")


@pytest.mark.parametrize("fault", ["drop", "drop;after"])
def test_access_log_shows_a_dropped_connection_as_dropped(text_log, fault):
    with pytest.raises(httpx.RemoteProtocolError):
        text_log.http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Fault": fault})
    [line] = [LINE.match(line) for line in text_log.lines()]
    assert (line["status"], line["fault"]) == ("dropped", "header")


def test_access_log_names_the_rule_that_fired_and_counts_its_delay(text_log):
    added = text_log.http.post("/_emulator/faults", json={"id": "slow-put", "match": {"vendor": "onlyfansapi"},
                                                          "respond": {"delay_ms": 60}, "times": 1})
    assert added.status_code == 201
    path = "/api/acct_fad58de7366495db4650cfefac2fcd61/mass-messaging/3100000001"
    assert text_log.http.put(path, json={"text": "late"}, headers=ONLYFANSAPI).status_code == 200
    assert text_log.http.put(path, json={"text": "on time"}, headers=ONLYFANSAPI).status_code == 200
    slow, fast = (LINE.match(line) for line in text_log.lines()[1:])
    assert (slow["status"], slow["fault"]) == ("200", "slow-put") and float(slow["ms"]) >= 60
    assert fast["fault"] is None


def test_access_log_escapes_what_could_forge_a_line(text_log):
    text_log.http.get("/x%0Ay", headers={"X-Emulator-Session": "a\tb"})
    [line] = text_log.lines()
    assert " a\\tb GET /x\\ny 400 " in line  # a tab is no session name: refused, and still escaped


def test_access_log_json_lines_carry_every_field(json_log):
    with pytest.raises(httpx.RemoteProtocolError):
        json_log.http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Fault": "drop"})
    json_log.http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Session": "json"})
    dropped, answered = (json.loads(line) for line in json_log.lines())
    assert set(answered) == {"time", "session", "method", "path", "status", "duration_ms", "fault", "dropped"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", answered["time"])
    assert (answered["session"], answered["status"], answered["fault"], answered["dropped"]) == \
        ("json", 200, None, False)
    assert (dropped["session"], dropped["status"], dropped["fault"], dropped["dropped"]) == \
        ("default", 0, "header", True)
    assert isinstance(dropped["duration_ms"], float)


def test_documented_access_log_example_is_in_the_format_the_log_writes():
    page = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    example = page.split("the fault rule that fired:\n\n```text\n", 1)[1].split("```", 1)[0]
    assert all(LINE.match(line) for line in example.splitlines()), example


def serve(tmp_path: Path, *args: str) -> ServeProcess:
    return ServeProcess([sys.executable, "-m", "emulator", "serve", "--port", "0", *args], tmp_path / "serve.log",
                        cwd=ROOT)


def test_serve_logs_json_lines_on_stdout(tmp_path):
    server = serve(tmp_path, "--log-format", "json")
    try:
        with server.client() as http:
            http.get(MESSAGE, headers=OFAUTH)
            http.get("/_emulator/health")
    finally:
        server.stop()
    assert [(entry["path"], entry["status"]) for entry in map(json.loads, server.access_log())] == \
        [(MESSAGE, 200), ("/_emulator/health", 200)]


def test_serve_quiet_writes_no_access_log(tmp_path):
    server = serve(tmp_path, "--quiet")
    try:
        with server.client() as http:
            assert http.get(MESSAGE, headers=OFAUTH).status_code == 200
    finally:
        output = server.stop()
    assert server.access_log() == [] and output.endswith("Press Ctrl-C to stop.\nemulator stopped\n")
