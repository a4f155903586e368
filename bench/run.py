"""Benchmark the emulator side by side with Prism 5 and a bare Flask app, and print every figure beside its target.

Run from the repository root: ``python bench/run.py``. Every route of both vendors' hot paths is loaded at 1 and
8 connections on the emulator and on Prism 5 (mocking the vendors' own specs in openapi/), in one run; then
start-up, history, memory and stall figures. Each target line says whether this run met it; the script never
fails on a missed target. Prism is measured when installed (``$PRISM``, ``prism`` on PATH, or ./node_modules);
otherwise the run says how to add it. ``--before PATH`` also loads another checkout of the emulator (say, the
previous commit in a git worktree) on the same routes, for a before-and-after in one run. Each route is loaded in
``--rounds`` rounds, every server one after the other in each, and each server's median round is shown: a burst
of load from elsewhere on the machine then moves one round, not the figure.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import history
import memory
import people
import routes
import servers
import stall
import startup
import targets
import uploads
from load import Maker, load, wait_for
from memory import LARGE_OFAUTH, rss_mb
from targets import Row

ROOT = Path(__file__).resolve().parent.parent
ROOMY = {"burst": 1_000_000_000, "refill_per_minute": 1_000_000_000, "limit_minute": 1_000_000_000,
         "credits": 1_000_000_000}


def roomy_fixtures(with_large: bool = False) -> str:
    """The default fixtures (and the large fixture's creator and keys) with limits high enough that the
    benchmark measures handling, not 429s; the path of a temporary file."""
    document = yaml.safe_load((ROOT / "fixtures" / "default.yaml").read_text())
    if with_large:
        large = yaml.safe_load((ROOT / "fixtures" / "large.yaml").read_text())
        for section in ("creators", "ofauth_keys", "onlyfansapi_keys"):
            document[section] += large[section]
    for key in document["ofauth_keys"] + document["onlyfansapi_keys"]:
        key.update({name: value for name, value in ROOMY.items() if name in key})
    handle, path = tempfile.mkstemp(suffix=".yaml")
    with os.fdopen(handle, "w") as out:
        yaml.safe_dump(document, out, allow_unicode=True)
    return path


def measure(server: str, process: subprocess.Popen[bytes], port: int, vendor: str, route: str, make: Maker,
            requests: int) -> list[Row]:
    """One route at 1 and 8 connections, after a short warm-up."""
    load(port, make, min(200, requests), 8)
    return [Row(server, vendor, route, connections, load(port, make, requests, connections, process.pid))
            for connections in (1, 8)]


def start(plan: dict[str, list[str]]) -> dict[str, tuple[subprocess.Popen[bytes], int]]:
    """Every server of ``plan`` (name: command with PORT), each on its own port, answering."""
    started = {}
    for name, command in plan.items():
        port = servers.free_port()
        started[name] = (servers.spawn([part.replace("PORT", str(port)) for part in command]), port)
    for name, (_, port) in started.items():
        wait_for(port, "/hello" if name.startswith("bare") else "/_emulator/health", time.perf_counter(), 60)
    return started


def plan_servers(fixtures: str, prism: str | None, before: str | None) -> dict[str, list[str]]:
    """The commands of every server compared."""
    plan = {"bare Flask, waitress": servers.hello_command("waitress"),
            "bare Flask, async": servers.hello_command("async"),
            "emulator": servers.emulator_command(fixtures)}
    if servers.has_uvicorn():
        plan["bare Flask, uvicorn"] = servers.hello_command("uvicorn")
    if before:
        plan["emulator, before"] = servers.emulator_command(fixtures, root=before)
    if prism:
        plan["Prism 5 ofauth"] = servers.prism_command(prism, "ofauth.yaml")
        plan["Prism 5 onlyfansapi"] = servers.prism_command(prism, "onlyfansapi.yaml")
    return plan


def load_routes(started: dict[str, tuple[subprocess.Popen[bytes], int]], requests: int, rounds: int) -> list[Row]:
    """Every route on every server that serves it (the emulators, then Prism), in ``rounds`` rounds: each round
    loads a route on every server one after the other, and each server's round with the median CPU is kept."""
    rows: list[Row] = []
    hello: Maker = lambda w, n: ("GET", "/hello", None, {})
    hello_put: Maker = lambda w, n: ("PUT", "/hello", '{"text": "Edit"}', {"Content-Type": "application/json"})
    bare = [name for name in ("bare Flask, waitress", "bare Flask, async", "bare Flask, uvicorn") if name in started]
    rows += median_rounds(rounds, lambda: [
        row for name in bare for route, make in (("hello (GET)", hello), ("hello (PUT)", hello_put))
        for row in measure(name, *started[name], "flask", route, make, requests)])
    for route in routes.catalog():
        def one_round(route: routes.Route = route) -> list[Row]:
            found = []
            for name in ("emulator", "emulator, before"):
                if name in started:
                    process, port = started[name]
                    found += measure(name, process, port, route.vendor, route.name, route.emulator(port, requests),
                                     requests)
            prism = started.get(f"Prism 5 {route.vendor}")
            if prism:
                found += measure("Prism 5", *prism, route.vendor, route.name, route.prism(), requests)
            return found
        rows += median_rounds(rounds, one_round)
    return rows


def median_rounds(rounds: int, one_round: Callable[[], list[Row]]) -> list[Row]:
    """``one_round()`` run ``rounds`` times; per server, route and concurrency the round with the median CPU
    (the lower of the middle two for an even count), with the errors of every round added up."""
    grouped: dict[tuple[str, str, str, int], list[Row]] = {}
    for _ in range(rounds):
        for row in one_round():
            grouped.setdefault(row[:4], []).append(row)
    kept = []
    for group in grouped.values():
        middle = sorted(group, key=lambda row: row.figures["cpu"])[(len(group) - 1) // 2]
        kept.append(middle._replace(figures={**middle.figures, "errors": sum(row.figures["errors"] for row in group)}))
    return kept


def stored(port: int, pid: int, messages: int, requests: int) -> tuple[float, Row]:
    """Resident memory once ``messages`` messages to 100,000 fans and a full journal are held with the large
    fixture's population built; and a GET's figures then."""
    members = "/v2/access/users/lists/fans/users?limit=100&offset=99900"
    load(port, lambda w, n: ("GET", members, None, LARGE_OFAUTH), 8, 1)  # builds the 100,000 fans
    body = routes.CREATE_BODY.replace("[4100000001, 4100000004]", "[4100010001, 4100010002]")
    load(port, lambda w, n: ("POST", "/v2/access/mass-messages", body, LARGE_OFAUTH), messages, 8)
    get = f"/v2/access/mass-messages/{routes.STANDING}"
    load(port, lambda w, n: ("GET", get, None, routes.OFAUTH), 10_000, 8)
    full = rss_mb(pid)
    figures = load(port, lambda w, n: ("GET", get, None, routes.OFAUTH), requests, 8, pid)
    return full, Row("emulator", "ofauth", "get, 100k stored", 8, figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per route, concurrency and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every route on every server (the median "
                        "round is shown)")
    parser.add_argument("--before", help="another checkout of the emulator to load on the same routes")
    parser.add_argument("--messages", type=int, default=100_000, help="messages stored for the memory reading")
    parser.add_argument("--history", type=int, default=100_000, help="paid messages behind the history figures")
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
    started = start(plan_servers(fixtures, prism, args.before))
    try:
        idle = rss_mb(started["emulator"][0].pid)
        rows = load_routes(started, args.requests, args.rounds)
        delayed = stall.delayed(started["emulator"][1], args.delayed)
        fresh = stall.slow_clients(started["emulator"][1], args.slow * 2 // 3, args.slow - args.slow * 2 // 3)
    finally:
        servers.stop([process for process, _ in started.values()])
    with_large = roomy_fixtures(with_large=True)
    port = servers.free_port()
    big = servers.spawn(servers.emulator_command(with_large, port=port))
    try:
        wait_for(port, "/_emulator/health", time.perf_counter())
        full, row = stored(port, big.pid, args.messages, args.requests)
        rows.append(row)
    finally:
        servers.stop([big])
    starts, floor = startup.measure(args.starts), startup.interpreter(args.starts)
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
        os.unlink(with_large)
    print(targets.table(rows))
    print()
    print(targets.comparison(rows, prism is not None, args.before is not None))
    print()
    print("\n".join(targets.lines(rows, prism is not None)))
    print(startup.report(starts, floor))
    print(history.report(messages=args.history, scheduled=args.history // 5))
    print(f"resident memory idle: {idle:.1f} MB; with {args.messages:,} messages to 100,000 fans, a full journal "
          f"and the large fixture's population: {full:.1f} MB {targets.verdict(full < 200, '< 200 MB')}")
    print(f"admin call while {args.delayed} delayed requests wait: p50 {delayed['admin_p50']:.1f} ms, max "
          f"{delayed['admin_max']:.1f} ms {targets.verdict(delayed['admin_max'] < 100, '< 100 ms')}; another "
          f"session's GET p50 {delayed['other_p50']:.1f} ms, max {delayed['other_max']:.1f} ms; removing the rule "
          f"answered them all in {delayed['released_ms']:.0f} ms")
    print(f"fresh request while {args.slow} slow or idle connections are open: {fresh:.1f} ms "
          f"{targets.verdict(fresh < 1000, '< 1 s')}")
    print()
    print(memory.report(used, args.sessions, args.large, args.single, args.body_mb, args.oversized_mib))
    print(uploads.report(uploaded, args.uploads, args.upload_mb))
    print("\npeople, in-process on the large fixture (python bench/people.py):\n" + people.report())


if __name__ == "__main__":
    main()
