"""The benchmark script runs end to end on a small load and prints every figure (no timing asserted)."""
from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT

SERVERS = ("bare Flask, waitress", "bare Flask, async", "emulator", "emulator, before")  # and uvicorn if installed
ROUTES = ("create (POST)", "get (GET)", "update (PUT)", "delete (DELETE)", "list messages", "list scheduled",
          "analytics chart", "members page", "upload init", "send (POST)", "overview", "engagement list",
          "upload (1 KiB)", "get, 100k stored")


def test_bench_prints_every_figure():
    env = {**os.environ, "PRISM": ""}  # Prism is measured only where it is installed; here, its absence is shown
    result = subprocess.run([sys.executable, "bench/run.py", "--requests", "40", "--rounds", "2", "--before", str(ROOT),
                             "--messages", "200", "--history", "300", "--delayed", "16", "--slow", "12", "--starts",
                             "1", "--sessions", "2", "--large", "5", "--single", "10", "--body-mb", "0.2",
                             "--oversized-mib", "4", "--uploads", "4", "--upload-mb", "6"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, env=env, check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    table = [line for line in out.splitlines()[1:] if line.startswith(SERVERS)]
    assert {line[:22].strip() for line in table} - {"bare Flask, uvicorn"} == set(SERVERS)
    assert sum(" hello (PUT) " in line for line in table) >= 4  # each bare server at 1 and 8 connections
    assert "a bare Flask hello's CPU per request at 1 / 8 connections: async (serve's) GET " in out
    assert all(any(route in line for line in table) for route in ROUTES)
    assert all(line.split()[-1] == "0" for line in table), "no request of the load failed"
    comparison = out[out.index("CPU per request at 1 / 8 connections"):]
    assert all(f"{vendor:<13}{route:<18}" in comparison for vendor, route in
               [("ofauth", "get (GET)"), ("onlyfansapi", "update (PUT)"), ("ofauth", "members page"),
                ("onlyfansapi", "upload (1 KiB)")])
    for figure in ("GET and PUT CPU per request, worst of both vendors", "list routes' CPU per request, worst",
                   "worst p99 at 8 connections", "start-up, default fixtures: first 200 in",
                   "start-up, large fixtures: first 200 in", "(python -c pass)",
                   "with 200 messages to 100,000 fans, a full journal and the large fixture's population",
                   "admin call while 16 delayed requests wait", "fresh request while 12 slow or idle connections are open"):
        assert figure in out
    assert "(target < 0.3 s: " in out and "(target <= 450 µs: " in out and "(target < 1000 µs: " in out
    assert "Prism 5 not found" in out and "npm i @stoplight/prism-cli@5" in out
    assert "memory, fresh process: idle" in out and "ceiling for 64 sessions" in out
    assert "2 sessions x 5 accepted requests of 0.2 MB (10 answered 200): resident +" in out and "limit +" in out
    assert "reading its journal back" in out and "peak +" in out
    assert "one 4 MiB POST (HTTP/1.1 413" in out
    assert "4 uploads of 6 MiB (OFAuth parts and OnlyFansAPI multipart, alternating): resident" in out


def test_each_round_uploads_to_a_session_of_its_own():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import routes
    finally:
        sys.path.remove(str(ROOT / "bench"))
    upload = next(route for route in routes.catalog() if route.name == "upload (1 KiB)")
    sessions = [upload.emulator(0, 10)(0, 0)[3]["X-Emulator-Session"] for _ in range(3)]
    assert len(set(sessions)) == 3  # three rounds upload 3 x 4,200 files: more than one vault keeps (10,000)
    assert "X-Emulator-Session" not in upload.prism()(0, 0)[3]


def test_each_figure_is_the_median_round_with_every_rounds_errors():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from run import median_rounds
        from targets import Row
    finally:
        sys.path.remove(str(ROOT / "bench"))
    cpus = iter([300.0, 900.0, 100.0, 250.0, 200.0, 700.0])  # two servers' rounds, in the order they run

    def one_round() -> list[Row]:
        return [Row(server, "ofauth", "get (GET)", 1, {"cpu": next(cpus), "errors": 1.0 if server == "a" else 0.0})
                for server in ("a", "b")]

    kept = median_rounds(3, one_round)
    assert [(row.server, row.figures["cpu"], row.figures["errors"]) for row in kept] == [("a", 200.0, 3.0),
                                                                                      ("b", 700.0, 0.0)]


def test_plugin_bench_prints_the_start_up_cost_and_the_import_alone():
    result = subprocess.run([sys.executable, "bench/plugin.py", "--runs", "1"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "with -p no:emulator" in result.stdout and "the plugin adds" in result.stdout
    assert "importing emulator.pytest_plugin after pytest:" in result.stdout


def test_history_bench_prints_each_route_beside_its_target():
    result = subprocess.run([sys.executable, "bench/history.py", "--repeat", "1", "--messages", "300", "--scheduled",
                             "30"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for figure in ("OFAuth chart, 366 days", "OnlyFansAPI chart, default (30 days)", "right after a send",
                   "OnlyFansAPI queue counts, a 30-day window", "the charts' index, once built"):
        assert figure in out
    assert "target < 100 ms:" in out and "target < 20 ms:" in out


def test_inprocess_bench_prints_each_route_for_both_checkouts():
    result = subprocess.run([sys.executable, "bench/inprocess.py", "--requests", "5", "--before", str(ROOT)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "in-process CPU per request, µs (best of 5 runs of 5)" and lines[1].split()[-2:] == ["now",
                                                                                                        "before"]
    shown = {line[:34].strip(): line[34:].split() for line in lines[2:]}
    for route in ("ofauth       get (GET)", "ofauth       analytics chart", "ofauth       upload init",
                  "onlyfansapi  members page", "onlyfansapi  upload (1 KiB)", "onlyfansapi  send (POST)"):
        assert len(shown[route]) == 2 and all(float(figure) > 0 for figure in shown[route]), route
    assert not any("update" in route or "delete" in route for route in shown)
