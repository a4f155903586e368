"""Benchmark the emulator: throughput and latency per route, start-up time, memory, and a bare-Flask ceiling.

Run from the repository root: ``python bench/run.py``. It prints figures; it does not pass or fail.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import memory

ROOT = Path(__file__).resolve().parent.parent
OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main",
          "Content-Type": "application/json"}
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_main_5d21b7", "Content-Type": "application/json"}
ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"
CREATE_BODY = json.dumps({"text": "Benchmark", "userLists": ["fans"], "mediaItems": [4100000001, 4100000004],
                          "previewMediaCount": 1, "price": 9.99, "scheduledDate": "2035-01-01T00:00:00Z"})
Request = tuple[str, str, str | None, dict[str, str]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def roomy_fixtures() -> str:
    """The default fixtures with limits high enough that the benchmark measures handling, not 429s."""
    text = (ROOT / "fixtures" / "default.yaml").read_text()
    for old, new in (("burst: 90", "burst: 1000000000"), ("limit_minute: 1000", "limit_minute: 1000000000"),
                     ("limit_day: 50000", "limit_day: 1000000000"), ("credits: 1000000", "credits: 1000000000")):
        text = text.replace(old, new)
    handle, path = tempfile.mkstemp(suffix=".yaml")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    return path


def wait_for(port: int, path: str, started: float, limit: float = 20) -> float:
    """Poll until ``path`` answers 200; return the seconds since ``started``."""
    while time.perf_counter() - started < limit:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.002)
    raise RuntimeError(f"nothing answered on port {port}")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(port: int, requests: Callable[[int, int], Request], total: int, connections: int) -> dict[str, float]:
    """Send ``total`` requests over ``connections`` keep-alive connections; return rps and latency."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(worker_id: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        for n in range(worker_id, total, connections):
            method, path, body, headers = requests(worker_id, n)
            began = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - began)
            bad += response.status >= 300
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rps": total / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000, "errors": errors}


def create_ids(port: int, count: int) -> list[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    ids = []
    for _ in range(count):
        connection.request("POST", "/v2/access/mass-messages", body=CREATE_BODY, headers=OFAUTH)
        ids.append(json.loads(connection.getresponse().read())["id"])
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per route and concurrency")
    parser.add_argument("--messages", type=int, default=100_000, help="messages stored for the memory reading")
    parser.add_argument("--sessions", type=int, default=4, help="sessions sent large bodies")
    parser.add_argument("--large", type=int, default=600, help="large-body requests per session")
    parser.add_argument("--single", type=int, default=2000, help="large-body requests to the one session read back")
    parser.add_argument("--body-mb", type=float, default=0.9, help="size of each large body, in MB")
    parser.add_argument("--oversized-mib", type=int, default=64, help="size of the oversized body, in MiB")
    args = parser.parse_args()
    fixtures = roomy_fixtures()

    hello_port = free_port()
    hello = subprocess.Popen([sys.executable, str(ROOT / "bench" / "hello.py"), str(hello_port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    started = time.perf_counter()
    emulator = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", str(port),
                                 "--fixtures", fixtures, "--journal-size", "10000"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        startup = wait_for(port, "/_emulator/clock", started)
        wait_for(hello_port, "/hello", time.perf_counter())
        idle = rss_mb(emulator.pid)
        rows = []
        ceiling = {c: load(hello_port, lambda w, n: ("GET", "/hello", None, {}), args.requests, c) for c in (1, 8)}
        rows += [("bare Flask hello", c, ceiling[c]) for c in (1, 8)]
        doomed = create_ids(port, args.requests * 2)
        scheduled = create_ids(port, 8)
        routes: dict[str, Callable[[int, int], Request]] = {
            "create": lambda w, n: ("POST", "/v2/access/mass-messages", CREATE_BODY, OFAUTH),
            "get": lambda w, n: ("GET", "/v2/access/mass-messages/3100000001", None, OFAUTH),
            "update": lambda w, n: ("PUT", f"/api/{ACCOUNT}/mass-messaging/{scheduled[w]}",
                                    json.dumps({"text": f"Edit {n}"}), ONLYFANSAPI),
        }
        results = {}
        for name, make in routes.items():
            for connections in (1, 8):
                results[(name, connections)] = load(port, make, args.requests, connections)
        for offset, connections in ((0, 1), (args.requests, 8)):
            results[("delete", connections)] = load(
                port, lambda w, n, o=offset: ("DELETE", f"/v2/access/mass-messages/{doomed[o + n]}", None, OFAUTH),
                args.requests, connections)
        rows += [(f"{name}", c, figures) for (name, c), figures in results.items()]
        load(port, routes["create"], args.messages, 8)
        load(port, routes["get"], 10_000, 8)
        full = rss_mb(emulator.pid)
        after_fill = load(port, routes["get"], args.requests, 8)
    finally:
        emulator.terminate()
        hello.terminate()
        emulator.wait()
        hello.wait()
    port = free_port()
    fresh = memory.start(port, fixtures, [])
    try:
        wait_for(port, "/_emulator/clock", time.perf_counter())
        used = memory.measure(port, fresh.pid, args.sessions, args.large, args.single, args.body_mb,
                              args.oversized_mib)
    finally:
        fresh.terminate()
        fresh.wait()
        os.unlink(fixtures)

    print(f"{'route':<18}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, connections, figures in rows:
        print(f"{name:<18}{connections:>6}{figures['rps']:>10.0f}{figures['p50']:>9.2f}{figures['p99']:>9.2f}"
              f"{figures['errors']:>8}")
    print(f"{'get, 100k stored':<18}{8:>6}{after_fill['rps']:>10.0f}{after_fill['p50']:>9.2f}"
          f"{after_fill['p99']:>9.2f}{after_fill['errors']:>8}")
    print()
    print(f"start-up to first 200: {startup:.3f} s")
    print(f"resident memory idle: {idle:.1f} MB; with {args.messages:,} messages and a full journal: {full:.1f} MB")
    for connections in (1, 8):
        share = results[("get", connections)]["rps"] / ceiling[connections]["rps"]
        print(f"GET at {connections} connection(s): {share:.0%} of the bare-Flask ceiling")
    print()
    print(memory.report(used, args.sessions, args.large, args.single, args.body_mb, args.oversized_mib))

if __name__ == "__main__":
    main()
