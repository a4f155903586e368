"""Memory figures for bench/run.py: large bodies over several sessions, a journal read back, an oversized body."""
from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from emulator.config import DEFAULTS
from emulator.domain.people import KEPT_TRAITS
from emulator.domain.renders import BUDGET as RENDERS_BUDGET
from emulator.domain.whole_days import LIMIT as WHOLE_DAY_RUNS
from emulator.harness.faults import RULES_BUDGET
from emulator.render.fans import KEPT_FANS
from emulator.server.loop_server import Limits

ROOT = Path(__file__).resolve().parent.parent
OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main",
          "Content-Type": "application/json"}
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_main_5d21b7", "Content-Type": "application/json"}
ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"
LARGE_OFAUTH = {"apiKey": "ofa_test_large_5a1e", "x-connection-id": "conn_large_main",  # the large fixture's
                "Content-Type": "application/json"}
MB = 1024 * 1024
THREADS = Limits.threads  # serve's threads: each may hold one request's body in flight
# A body in flight lives about four times: as the server received it, as the app read it, as text, parsed.
IN_FLIGHT = 4
# What each creator's pages keep, as measured: a chart's whole days (about 50 KB a window kept), a member's
# rendering with its JSON pieces (about 7 KB) and a fan's drawn traits (about 250 B).
KEPT_PER_CREATOR = WHOLE_DAY_RUNS * 50_000 + KEPT_FANS * 7_000 + KEPT_TRAITS * 250
CREATORS = len(yaml.safe_load((ROOT / "fixtures" / "default.yaml").read_text())["creators"])


def status_kb(pid: int, field: str) -> int:
    """A ``/proc/PID/status`` figure in kB (VmRSS: resident now, VmHWM: resident peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def rss_mb(pid: int) -> float:
    """Resident memory now, in MB."""
    return status_kb(pid, "VmRSS") / 1024


def peak_growth_mb(pid: int, action: Callable[[], object]) -> tuple[float, object]:
    """Run ``action`` and return how far resident memory peaked above where it started, and its result."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current resident size
    before = status_kb(pid, "VmRSS")
    result = action()
    return (status_kb(pid, "VmHWM") - before) / 1024, result


def scheduled_message(connection: http.client.HTTPConnection, session: str) -> int:
    """Create a scheduled message in ``session`` and return its id."""
    body = json.dumps({"text": "Bench", "userLists": ["fans"], "scheduledDate": "2035-01-01T00:00:00Z"})
    connection.request("POST", "/v2/access/mass-messages", body=body,
                       headers={**OFAUTH, "X-Emulator-Session": session})
    return json.loads(connection.getresponse().read())["id"]


def large_updates(port: int, session: str, count: int, size: int) -> int:
    """Send ``count`` accepted updates of about ``size`` bytes each in ``session``; return how many got 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    message_id = scheduled_message(connection, session)
    padding = "x" * size
    ok = 0
    for n in range(count):
        body = json.dumps({"text": f"Edit {n}", "padding": padding})
        connection.request("PUT", f"/api/{ACCOUNT}/mass-messaging/{message_id}", body=body,
                           headers={**ONLYFANSAPI, "X-Emulator-Session": session})
        response = connection.getresponse()
        response.read()
        ok += response.status == 200
    connection.close()
    return ok


def read_journal(port: int, session: str) -> int:
    """Read a session's whole journal back; return the bytes received."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/_emulator/requests", headers={"X-Emulator-Session": session})
    response = connection.getresponse()
    received = len(response.read())
    connection.close()
    return received


def oversized_post(port: int, size: int) -> str:
    """POST ``size`` bytes to the create route; return the status line (or how the connection ended)."""
    head = (f"POST /v2/access/mass-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"apiKey: {OFAUTH['apiKey']}\r\nx-connection-id: {OFAUTH['x-connection-id']}\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()
    chunk = b" " * MB
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        try:
            sock.sendall(head)
            for _ in range(size // MB):
                sock.sendall(chunk)
        except OSError:
            pass  # the server may answer and close before the whole body is sent
        try:
            reply = sock.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
        except OSError as error:
            reply = f"connection closed ({error.__class__.__name__})"
    return reply or "connection closed"


def empty_sessions(port: int, count: int) -> None:
    """Open ``count`` sessions that hold nothing but their world (fixtures, history)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for n in range(count):
        connection.request("GET", "/_emulator/clock", headers={"X-Emulator-Session": f"bench-world-{n}"})
        connection.getresponse().read()
    connection.close()


def start(port: int, fixtures: str, extra: list[str]) -> subprocess.Popen[bytes]:
    """A fresh emulator process for the memory readings."""
    return subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", str(port), "--fixtures", fixtures,
                             *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(port: int, pid: int, sessions: int, requests: int, single: int, body_mb: float,
            oversized_mib: int) -> dict[str, Any]:
    """Every memory figure, from one fresh emulator process."""
    size = int(body_mb * 1_000_000)
    figures: dict[str, Any] = {"idle": rss_mb(pid)}
    before = rss_mb(pid)
    empty_sessions(port, 20)
    figures["world"] = (rss_mb(pid) - before) / 20
    before = rss_mb(pid)
    accepted = sum(large_updates(port, f"bench-{n}", requests, size) for n in range(sessions))
    figures["sessions_resident"] = rss_mb(pid)
    figures["sessions_growth"] = figures["sessions_resident"] - before
    figures["sessions_accepted"] = accepted
    before = rss_mb(pid)
    large_updates(port, "bench-one", single, size)
    figures["single_growth"] = rss_mb(pid) - before
    time.sleep(0.2)
    figures["read_peak"], figures["read_bytes"] = peak_growth_mb(pid, lambda: read_journal(port, "bench-one"))
    figures["oversized_peak"], figures["oversized_reply"] = peak_growth_mb(
        pid, lambda: oversized_post(port, oversized_mib * MB))
    figures["resident"] = rss_mb(pid)
    return figures


def ceiling_mb(idle: float, world: float, sessions: int) -> float:
    """The resident memory the README states as the limit for ``sessions`` sessions, in MB.

    Idle process, plus per session its journal budget, its fault-rule budget, its kept renderings' budget, what
    its creators' charts and members pages keep, and its world (as first built;
    stored messages add to it, up to the queue's ``max_messages``), plus per thread one body at the limit,
    held about four times over while it is in flight.
    """
    per_session = (DEFAULTS["journal_bytes"] + RULES_BUDGET + RENDERS_BUDGET + CREATORS * KEPT_PER_CREATOR) / 1e6 \
        + world
    return idle + sessions * per_session + THREADS * IN_FLIGHT * DEFAULTS["max_body"] / 1e6


def report(used: dict[str, Any], sessions: int, large: int, single: int, body_mb: float, oversized_mib: int) -> str:
    """The memory lines of the benchmark, each figure beside the limit the README states for it."""
    idle, world = float(used["idle"]), float(used["world"])
    everyone = DEFAULTS["max_sessions"]
    share = ceiling_mb(0, world, sessions)  # what these sessions may add: their budgets and the requests in flight
    open_sessions = sessions + 21  # the bench's, the single one read back, and the 20 empty ones
    return "\n".join([
        (f"memory, fresh process: idle {idle:.1f} MB; a new session's world {world:.2f} MB; ceiling for "
        f"{everyone} sessions {ceiling_mb(idle, world, everyone):.0f} MB (each: journal "
        f"{DEFAULTS['journal_bytes'] / 1e6:.1f} MB + fault rules {RULES_BUDGET / 1e6:.1f} MB + kept renderings "
        f"{RENDERS_BUDGET / 1e6:.1f} MB + {CREATORS} creators' kept pages {CREATORS * KEPT_PER_CREATOR / 1e6:.1f} MB + "
        "world; "
        f"plus {THREADS} requests in flight x {IN_FLIGHT * DEFAULTS['max_body'] / 1e6:.1f} MB)"),
        (f"{sessions} sessions x {large} accepted requests of {body_mb} MB ({used['sessions_accepted']} answered "
        f"200): resident +{used['sessions_growth']:.1f} MB, limit +{share:.1f} MB"),
        (f"1 session x {single} requests of {body_mb} MB: resident +{used['single_growth']:.1f} MB; reading its "
        f"journal back ({float(used['read_bytes']) / 1e6:.1f} MB): peak +{used['read_peak']:.1f} MB"),
        f"one {oversized_mib} MiB POST ({used['oversized_reply']}): peak +{used['oversized_peak']:.1f} MB",
        (f"resident at the end: {used['resident']:.1f} MB, ceiling for the {open_sessions} sessions open "
        f"{ceiling_mb(idle, world, open_sessions):.1f} MB"),
    ])
