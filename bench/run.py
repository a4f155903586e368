"""Benchmark the emulator side by side with a bare Flask app (on its server and on waitress) and Prism 5.

Run from the repository root: ``python bench/run.py``. It prints req/s and p50/p99 latency per route at 1 and 8
connections, start-up, memory and stall figures, each beside its target; it does not pass or fail. Prism 5 is
measured when installed (``$PRISM``, ``prism`` on PATH, or ./node_modules); otherwise it says how to add it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import memory
import people
import servers
import stall
import startup
import uploads
from load import Maker, load, wait_for
from memory import ACCOUNT, OFAUTH, ONLYFANSAPI, rss_mb

ROOT = Path(__file__).resolve().parent.parent
CREATE_BODY = json.dumps({"text": "Benchmark", "userLists": ["fans"], "mediaItems": [4100000001, 4100000004],
                          "previewMediaCount": 1, "price": 9.99, "scheduledDate": "2035-01-01T00:00:00Z"})
GET = ("GET", "/v2/access/mass-messages/3100000001", None, OFAUTH)
LISTS = {"list scheduled": "/v2/access/mass-messages/scheduled", "list messages": "/v2/access/mass-messages",
         "analytics chart": "/v2/access/analytics/mass-messages/chart"}
OFAPI_LISTS = {"overview": f"/api/{ACCOUNT}/mass-messaging/overview",
               "engagement list": f"/api/{ACCOUNT}/engagement/messages/mass-messages"}
Row = tuple[str, str, int, dict[str, float]]


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


def update(ids: list[int]) -> Maker:
    """PUT through OnlyFansAPI, each connection editing its own scheduled message."""
    return lambda w, n: ("PUT", f"/api/{ACCOUNT}/mass-messaging/{ids[w % len(ids)]}", json.dumps({"text": f"Edit {n}"}),
                         ONLYFANSAPI)


def create_ids(port: int, count: int) -> list[int]:
    """Create ``count`` scheduled messages; return their ids."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port)
    ids = []
    for _ in range(count):
        connection.request("POST", "/v2/access/mass-messages", body=CREATE_BODY, headers=OFAUTH)
        ids.append(json.loads(connection.getresponse().read())["id"])
    return ids


def measure(server: str, process: subprocess.Popen[bytes], port: int, routes: dict[str, Maker],
            requests: int) -> list[Row]:
    """Each route at 1 and 8 connections, after a short warm-up."""
    rows = []
    for route, make in routes.items():
        load(port, make, min(200, requests), 8)
        rows += [(server, route, connections, load(port, make, requests, connections, process.pid))
                 for connections in (1, 8)]
    return rows


def emulator_routes(port: int, requests: int) -> dict[str, Maker]:
    """Every route measured on the emulator (delete works through messages created for it)."""
    doomed, scheduled = create_ids(port, requests * 2 + 400), create_ids(port, 8)
    pending = iter(doomed)
    routes: dict[str, Maker] = {
        "create (POST)": lambda w, n: ("POST", "/v2/access/mass-messages", CREATE_BODY, OFAUTH),
        "get (GET)": lambda w, n: GET, "update (PUT)": update(scheduled),
        "delete (DELETE)": lambda w, n: ("DELETE", f"/v2/access/mass-messages/{next(pending)}", None, OFAUTH)}
    routes.update({name: (lambda w, n, p=path: ("GET", p, None, OFAUTH)) for name, path in LISTS.items()})
    routes.update({name: (lambda w, n, p=path: ("GET", p, None, ONLYFANSAPI)) for name, path in OFAPI_LISTS.items()})
    return routes


def start_all(fixtures: str, prism: str | None) -> dict[str, tuple[subprocess.Popen[bytes], int]]:
    """Every server of the comparison, each on its own port, answering."""
    started = {}
    plan: dict[str, Callable[[int], subprocess.Popen[bytes]]] = {
        "hello waitress": lambda p: servers.hello(p, "waitress"), "hello granian": lambda p: servers.hello(p, "granian"),
        "emulator waitress": lambda p: servers.emulator(p, fixtures, "waitress")}
    if prism:
        plan["prism ofauth"] = lambda p: servers.prism(prism, "ofauth.yaml", p)
        plan["prism onlyfansapi"] = lambda p: servers.prism(prism, "onlyfansapi.yaml", p)
    for name, launch in plan.items():
        port = servers.free_port()
        started[name] = (launch(port), port)
    for name, (_, port) in started.items():
        wait_for(port, "/hello" if name.startswith("hello") else "/_emulator/health", time.perf_counter(), 60)
    return started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per route and concurrency")
    parser.add_argument("--messages", type=int, default=100_000, help="messages stored for the memory reading")
    parser.add_argument("--delayed", type=int, default=32, help="delayed requests in flight for the stall figure")
    parser.add_argument("--slow", type=int, default=150, help="slow connections open for the stall figure")
    parser.add_argument("--starts", type=int, default=5, help="start-ups timed (the median is shown)")
    parser.add_argument("--sessions", type=int, default=4, help="sessions sent large bodies")
    parser.add_argument("--large", type=int, default=600, help="large-body requests per session")
    parser.add_argument("--single", type=int, default=2000, help="large-body requests to the one session read back")
    parser.add_argument("--body-mb", type=float, default=0.9, help="size of each large body, in MB")
    parser.add_argument("--oversized-mib", type=int, default=64, help="size of the oversized body, in MiB")
    parser.add_argument("--uploads", type=int, default=100, help="uploads sent for the upload-memory figure")
    parser.add_argument("--upload-mb", type=float, default=50, help="size of each upload, in MiB")
    args = parser.parse_args()
    fixtures, prism = roomy_fixtures(), servers.prism_binary()
    others = start_all(fixtures, prism)
    port = servers.free_port()
    emulator = servers.emulator(port, fixtures)
    try:
        wait_for(port, "/_emulator/health", time.perf_counter())
        idle = rss_mb(emulator.pid)
        hello: dict[str, Maker] = {"hello (GET)": lambda w, n: ("GET", "/hello", None, {})}
        rows = measure("bare Flask, waitress", *others["hello waitress"], hello, args.requests)
        rows += measure("bare Flask, granian", *others["hello granian"], hello, args.requests)
        if prism:
            rows += measure("Prism 5", *others["prism ofauth"], {"get (GET)": lambda w, n: GET}, args.requests)
            rows += measure("Prism 5", *others["prism onlyfansapi"], {"update (PUT)": update([3100000003])},
                            args.requests)
        before = others["emulator waitress"]
        rows += measure("emulator, waitress", *before, {"get (GET)": lambda w, n: GET,
                                                        "update (PUT)": update(create_ids(before[1], 8))},
                        args.requests)
        rows += measure("emulator, granian", emulator, port, emulator_routes(port, args.requests), args.requests)
        load(port, lambda w, n: ("POST", "/v2/access/mass-messages", CREATE_BODY, OFAUTH), args.messages, 8)
        load(port, lambda w, n: GET, 10_000, 8)
        full = rss_mb(emulator.pid)
        rows.append(("emulator, granian", "get, 100k stored", 8,
                     load(port, lambda w, n: GET, args.requests, 8, emulator.pid)))
        delayed = stall.delayed(port, args.delayed)
        fresh = stall.slow_clients(port, args.slow * 2 // 3, args.slow - args.slow * 2 // 3)
    finally:
        servers.stop([emulator, *(process for process, _ in others.values())])
    starts = [startup.one_run([sys.executable, "-m", "emulator", "serve", "--port", "0", "--quiet"])[1]
              for _ in range(args.starts)]
    port = servers.free_port()
    fresh_process = memory.start(port, fixtures, [])
    try:
        wait_for(port, "/_emulator/health", time.perf_counter())
        used = memory.measure(port, fresh_process.pid, args.sessions, args.large, args.single, args.body_mb,
                              args.oversized_mib)
        uploaded = uploads.measure(port, fresh_process.pid, args.uploads, args.upload_mb)
    finally:
        servers.stop([fresh_process])
        os.unlink(fixtures)
    print_table(rows)
    print_targets(rows, statistics.median(starts), idle, full, args, delayed, fresh, prism)
    print()
    print(memory.report(used, args.sessions, args.large, args.single, args.body_mb, args.oversized_mib))
    print(uploads.report(uploaded, args.uploads, args.upload_mb))
    print("\npeople, in-process on the large fixture (python bench/people.py):\n" + people.report())


def print_table(rows: list[Row]) -> None:
    """One line per server, route and concurrency."""
    print(f"{'server':<22}{'route':<20}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs':>9}"
          f"{'errors':>8}")
    for server, route, connections, figures in rows:
        print(f"{server:<22}{route:<20}{connections:>6}{figures['rps']:>9.0f}{figures['p50']:>9.2f}"
              f"{figures['p99']:>9.2f}{figures['cpu']:>9.0f}{figures['errors']:>8}")


def rps(rows: list[Row], server: str, route: str, connections: int, figure: str = "rps") -> float:
    """Requests per second (or another figure) of one row."""
    return next(figures[figure] for s, r, c, figures in rows if (s, r, c) == (server, route, connections))


def ratio_line(rows: list[Row], label: str, route: str, other: str, other_route: str, target: str) -> str:
    """How the emulator's req/s compares with another server's at 1 and 8 connections, and per CPU second."""
    emulator = "emulator, granian"
    walls = [rps(rows, emulator, route, c) / rps(rows, other, other_route, c) for c in (1, 8)]
    cpu = statistics.mean(rps(rows, other, other_route, c, "cpu") / rps(rows, emulator, route, c, "cpu")
                          for c in (1, 8))
    return (f"{label}: {walls[0]:.1f}x at 1 connection, {walls[1]:.1f}x at 8; {cpu:.1f}x the requests per CPU "
            f"second{target}")


def print_targets(rows: list[Row], started: float, idle: float, full: float, args: argparse.Namespace,
                  delayed: dict[str, float], fresh: float, prism: str | None) -> None:
    """Each target of the server's issue beside what this run measured."""
    print()
    emulator = "emulator, granian"
    for route, label in (("get (GET)", "GET"), ("update (PUT)", "PUT")):
        print(ratio_line(rows, f"{label} vs Prism 5", route, "Prism 5", route, " (target >= 2x)") if prism
              else servers.PRISM_HINT)
    print(ratio_line(rows, "GET vs a bare Flask hello on waitress", "get (GET)", "bare Flask, waitress", "hello (GET)",
                     " (target >= 1.2x)"))
    print(ratio_line(rows, "GET vs the emulator on waitress (before)", "get (GET)", "emulator, waitress",
                     "get (GET)", ""))
    worst = max((figures["p99"], route) for server, route, c, figures in rows if server == emulator and c == 8)
    print(f"worst p99 at 8 connections: {worst[0]:.2f} ms ({worst[1]}) (target < 10 ms)")
    print(f"start-up to first 200 (median of {args.starts}): {started:.3f} s (target < 0.4 s)")
    print(f"resident memory idle: {idle:.1f} MB; with {args.messages:,} messages and a full journal: {full:.1f} MB "
          "(target < 200 MB)")
    print(f"admin call while {args.delayed} delayed requests wait: p50 {delayed['admin_p50']:.1f} ms, max "
          f"{delayed['admin_max']:.1f} ms (target < 100 ms); another session's GET p50 {delayed['other_p50']:.1f} "
          f"ms, max {delayed['other_max']:.1f} ms; removing the rule answered them all in "
          f"{delayed['released_ms']:.0f} ms")
    print(f"fresh request while {args.slow} slow or idle connections are open: {fresh:.1f} ms (target < 1 s)")


if __name__ == "__main__":
    main()
