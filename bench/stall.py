"""Stall figures for bench/run.py: admin calls while delayed requests wait, a fresh request among slow clients."""
from __future__ import annotations

import http.client
import json
import socket
import statistics
import time

OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}
MESSAGE = "/v2/access/mass-messages/3100000001"


def _call(port: int, method: str, path: str, session: str, body: dict | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, float, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    began = time.perf_counter()
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"X-Emulator-Session": session, "Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, (time.perf_counter() - began) * 1000, data


def _raw_get(port: int, session: str) -> socket.socket:
    """Send a GET and leave its answer unread (the client costs nothing while it waits)."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)
    head = "".join(f"{name}: {value}\r\n" for name, value in {**OFAUTH, "X-Emulator-Session": session}.items())
    connection.sendall(f"GET {MESSAGE} HTTP/1.1\r\nHost: bench\r\n{head}\r\n".encode())
    return connection


def delayed(port: int, in_flight: int, delay_ms: int = 10_000) -> dict[str, float]:
    """Admin and other-session latency while ``in_flight`` requests wait on a delay, and the release time."""
    session = "bench-stall"
    _call(port, "POST", "/_emulator/faults", session, {"id": "bench-slow", "match": {"route": "get_mass_message"},
                                                       "respond": {"delay_ms": delay_ms}})
    waiting = [_raw_get(port, session) for _ in range(in_flight)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rules = json.loads(_call(port, "GET", "/_emulator/faults", session)[2])["rules"]
        if rules[0]["fired"] >= in_flight:
            break
        time.sleep(0.01)
    admin = [_call(port, "GET", "/_emulator/clock", session)[1] for _ in range(20)]
    other = [_call(port, "GET", MESSAGE, "bench-stall-other", headers=OFAUTH)[1] for _ in range(20)]
    removed_at = time.perf_counter()
    _call(port, "DELETE", "/_emulator/faults", session)
    for connection in waiting:
        connection.recv(1)  # the first byte of its answer
        connection.close()
    return {"admin_p50": statistics.median(admin), "admin_max": max(admin), "other_p50": statistics.median(other),
            "other_max": max(other), "released_ms": (time.perf_counter() - removed_at) * 1000}


def slow_clients(port: int, half_sent: int, idle: int) -> float:
    """Milliseconds a fresh GET takes while ``half_sent`` + ``idle`` connections are held open."""
    held = []
    try:
        for number in range(half_sent + idle):
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            if number < half_sent:
                connection.sendall(b"GET /_emulator/clock HTTP/1.1\r\nHost: bench\r\nX-Slow: ")
            held.append(connection)
        time.sleep(0.2)
        return _call(port, "GET", MESSAGE, "bench-fresh", headers=OFAUTH)[1]
    finally:
        for connection in held:
            connection.close()
