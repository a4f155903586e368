"""Nothing stalls the server: injected delays, slow or idle connections never block an admin call or another session.

Each test runs against both servers ``serve`` offers (async, the default, and waitress), over loopback, with
bounded counts; the time bounds are generous (the delays are 8 s, the checks must end long before).
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from .conftest import OFAUTH, Server

MESSAGE = "/v2/access/mass-messages/3100000001"
DELAY_MS = 8000


@pytest.fixture(scope="module", params=["async", "waitress"])
def served(request: pytest.FixtureRequest) -> Iterator[Server]:
    running = Server("--server", request.param, "--threads", "4")
    yield running
    running.stop()


def address(server: Server) -> tuple[str, int]:
    parts = urlsplit(server.base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def timed(call) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def send_delayed(server: Server, session: str, count: int) -> tuple[list[threading.Thread], list[float]]:
    """Start ``count`` requests that a delay rule holds; return their threads and (later) their durations."""
    durations: list[float] = []

    def one() -> None:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            _, took = timed(lambda: http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Session": session}))
            durations.append(took)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, durations


def wait_until_delayed(http: httpx.Client, session: str, count: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rules = http.get("/_emulator/faults", headers={"X-Emulator-Session": session}).json()["rules"]
        if rules and rules[0]["fired"] >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"{count} requests did not reach the delay rule")


@pytest.mark.parametrize("count", [20])
def test_delayed_requests_never_hold_up_admin_calls_or_other_sessions(served, count):
    session = "stall-delays"
    with served.client(timeout=30, headers={"X-Emulator-Session": session}) as http:
        http.post("/_emulator/faults", json={"id": "slow", "match": {"route": "get_mass_message"},
                                             "respond": {"delay_ms": DELAY_MS}})
        threads, durations = send_delayed(served, session, count)
        wait_until_delayed(http, session, count)  # more delayed requests than the server has threads
        clock, clock_took = timed(lambda: http.get("/_emulator/clock"))
        other, other_took = timed(lambda: http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Session": "stall-other"}))
        assert clock.status_code == 200 and other.status_code == 200
        assert clock_took < 2 and other_took < 2, (clock_took, other_took)
        removed, removed_took = timed(lambda: http.delete("/_emulator/faults"))
        assert removed.status_code == 200 and removed_took < 2
        for thread in threads:
            thread.join(timeout=DELAY_MS / 1000 + 10)
    assert len(durations) == count
    assert max(durations) < DELAY_MS / 1000 - 2, "removing the rule released the requests waiting on it"


def test_a_reset_releases_the_requests_its_rules_delay(served):
    session = "stall-reset"
    with served.client(timeout=30, headers={"X-Emulator-Session": session}) as http:
        http.post("/_emulator/faults", json={"match": {"route": "get_mass_message"},
                                             "respond": {"delay_ms": DELAY_MS}})
        threads, durations = send_delayed(served, session, 3)
        wait_until_delayed(http, session, 3)
        assert http.post("/_emulator/reset", json={}).status_code == 200
        for thread in threads:
            thread.join(timeout=DELAY_MS / 1000 + 10)
    assert len(durations) == 3 and max(durations) < DELAY_MS / 1000 - 2


def test_slow_and_idle_connections_never_lock_a_fresh_request_out(served):
    host, port = address(served)
    held: list[socket.socket] = []
    try:
        for number in range(150):
            connection = socket.create_connection((host, port), timeout=10)
            if number % 3:  # two in three send half a request and stop; the rest never send a byte
                connection.sendall(b"GET /_emulator/clock HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(connection)
        with served.client(timeout=10) as http:
            response, took = timed(lambda: http.get(MESSAGE, headers=OFAUTH))
        assert response.status_code == 200 and took < 3, took
    finally:
        for connection in held:
            connection.close()


def test_a_request_whose_headers_never_end_is_closed_after_the_header_timeout():
    running = Server("--header-timeout", "1")
    try:
        with socket.create_connection(address(running), timeout=10) as connection:
            connection.sendall(b"GET /_emulator/clock HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            while connection.recv(4096):
                pass  # the server may answer 408 or just close; either way the connection ends
            assert time.monotonic() - started < 6
    finally:
        running.stop()


def test_sigterm_ends_injected_delays_and_saves_the_state(tmp_path):
    state = tmp_path / "state.json"
    running = Server("--state-file", str(state))
    with running.client(timeout=30) as http:
        http.post("/_emulator/faults", json={"match": {"route": "get_mass_message"},
                                             "respond": {"delay_ms": 60_000}})
        threads, _ = send_delayed(running, "default", 2)
        wait_until_delayed(http, "default", 2)
    started = time.monotonic()
    out = running.stop()
    assert time.monotonic() - started < 8
    assert running.process.returncode == 0 and f"state saved to {state}" in out and state.exists()
    for thread in threads:
        thread.join(timeout=10)


def test_drop_is_a_transport_error_with_no_response_on_either_server(served):
    with httpx.Client(base_url=served.base_url, timeout=10) as http:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Fault": "drop", "X-Emulator-Session": "stall-drop"})
        assert http.get(MESSAGE, headers={**OFAUTH, "X-Emulator-Session": "stall-drop"}).status_code == 200
