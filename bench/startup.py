"""Time a ``serve`` command's start-up: from launch to its ``ready:`` line and to the first 200 of /_emulator/health.

Prints each run and the medians; it does not pass or fail. From any directory, e.g. for an installed script:
``python bench/startup.py --runs 5 -- onlyfans-emulator serve --port 0``
(the default command is ``python -m emulator serve --port 0`` with this interpreter). With ``--targets``, it
starts the default and the large fixtures instead and prints each median beside the target, as ``bench/run.py``
does through ``measure`` and ``report``.

Beside the wall-clock times it shows the CPU seconds the server used until its first 200 (Linux): on a busy
machine the wall clock grows with what else runs, the CPU time much less.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
from typing import NamedTuple
from urllib.parse import urlsplit

from memory import LARGE_OFAUTH, OFAUTH

READY = re.compile(r"^ready: (http://\S+)$")
TARGET = 0.3  # seconds from launch to the first 200, median of the runs (issue #20)
FIXTURES = ("default", "large")
# A first vendor request per fixture: it builds the session's world (fans, lists, Faker), which start-up skips.
FIRST_CALL = {"default": ("/v2/access/mass-messages/3100000001", OFAUTH),
              "large": ("/v2/access/users/lists/fans/users?offset=99900", LARGE_OFAUTH)}


class Run(NamedTuple):
    """One start: seconds to the ready line and to the first 200, and the CPU seconds used by then (or None)."""

    ready: float
    answered: float
    cpu: float | None
    vendor: float | None = None  # seconds to the answer of a first vendor request, sent after the first 200


def first_200(url: str, limit: float = 20) -> None:
    """Poll /_emulator/health until it answers 200."""
    address = urlsplit(url)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=1)
            connection.request("GET", "/_emulator/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.002)
    raise RuntimeError(f"{url} never answered 200")


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds process ``pid`` has used, from /proc (None where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vendor_call(url: str, path: str, headers: dict[str, str]) -> None:
    """One vendor request, which must answer 200."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")


def one_run(command: list[str], first_call: tuple[str, dict[str, str]] | None = None) -> Run:
    """Seconds from launch to the ready line, and to the first 200 (``[1]``), and the CPU seconds spent by then;
    with ``first_call`` (path, headers), also the seconds until that vendor request has answered."""
    started = time.perf_counter()
    # As on a user's machine, modules are imported from bytecode cached on an earlier start; some sandboxes set
    # PYTHONDONTWRITEBYTECODE, which would recompile the whole package from source on every start instead.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**environment, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = READY.match(line.rstrip("\n"))
            if match:
                ready = time.perf_counter() - started
                first_200(match.group(1))
                answered = time.perf_counter() - started
                cpu = cpu_seconds(process.pid)
                if first_call is not None:
                    vendor_call(match.group(1), *first_call)
                return Run(ready, answered, cpu, time.perf_counter() - started if first_call else None)
        raise RuntimeError(f"{command} exited without a ready line")
    finally:
        process.terminate()
        process.communicate(timeout=10)


def serve_command(fixtures: str = "default") -> list[str]:
    """``python -m emulator serve --port 0`` with this interpreter (not a shim that adds its own start-up)."""
    command = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    return command if fixtures == "default" else [*command, "--fixtures", fixtures]


def interpreter(runs: int = 5) -> float:
    """The median seconds this interpreter takes to start and exit doing nothing: the part of every start-up no
    package can remove (its ``site``, and any ``.pth`` files installed beside it, included)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(runs: int = 5) -> dict[str, list[Run]]:
    """Start the emulator ``runs`` times with each of the default and the large fixtures, alternating."""
    results: dict[str, list[Run]] = {name: [] for name in FIXTURES}
    one_run(serve_command())  # not counted: it caches the bytecode and warms the file cache, as any earlier start
    for _ in range(runs):
        for name in FIXTURES:
            results[name].append(one_run(serve_command(name), FIRST_CALL[name]))
    return results


def medians(runs: list[Run]) -> tuple[float, float, float | None]:
    """The median ready-line, first-200 and CPU seconds of some runs."""
    cpus = [run.cpu for run in runs if run.cpu is not None]
    return (statistics.median(run.ready for run in runs), statistics.median(run.answered for run in runs),
            statistics.median(cpus) if cpus else None)


def report(results: dict[str, list[Run]], floor: float | None = None) -> str:
    """One line per fixture: the median first 200 beside the target, whether it is met, and what else was seen;
    then the interpreter's own start-up, when measured."""
    lines = []
    for name, runs in results.items():
        ready, answered, cpu = medians(runs)
        verdict = "met" if answered < TARGET else "NOT met"
        used = f", {cpu:.2f} s CPU" if cpu is not None else ""
        vendors = [run.vendor for run in runs if run.vendor is not None]
        first = f"; the first vendor request then answered at {statistics.median(vendors):.3f} s" if vendors else ""
        lines.append(f"start-up, {name} fixtures: first 200 in {answered:.3f} s (target < {TARGET} s: {verdict}; "
                     f"ready line {ready:.3f} s{used}; median of {len(runs)}){first}")
    if floor is not None:
        lines.append(f"  of which the interpreter starting and exiting with nothing to do (python -c pass): {floor:.3f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="how many starts (default 5)")
    parser.add_argument("--targets", action="store_true",
                        help="start the default and the large fixtures and compare each median with the target")
    parser.add_argument("command", nargs="*", help="the serve command (after --)")
    args = parser.parse_args()
    if args.targets:
        print(report(measure(args.runs), interpreter(args.runs)))
        return
    command = args.command or serve_command()
    results = [one_run(command) for _ in range(args.runs)]
    for number, run in enumerate(results, 1):
        used = f", {run.cpu:.2f} s CPU" if run.cpu is not None else ""
        print(f"run {number}: ready line {run.ready:.3f} s, first 200 {run.answered:.3f} s{used}")
    ready, answered, cpu = medians(results)
    used = f", {cpu:.2f} s CPU" if cpu is not None else ""
    print(f"median of {args.runs}: ready line {ready:.3f} s, first 200 {answered:.3f} s{used}   ({' '.join(command)})")


if __name__ == "__main__":
    main()
