"""Time a ``serve`` command's start-up: from launch to its ``ready:`` line and to the first 200 of /_emulator/health.

Prints each run and the medians; it does not pass or fail. From any directory, e.g. for an installed script:
``python bench/startup.py --runs 5 -- onlyfans-emulator serve --port 0``
(the default command is ``python -m emulator serve --port 0`` with this interpreter).
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
from urllib.parse import urlsplit

READY = re.compile(r"^ready: (http://\S+)$")


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


def one_run(command: list[str]) -> tuple[float, float]:
    """Seconds from launch to the ready line, and to the first 200."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = READY.match(line.rstrip("\n"))
            if match:
                ready = time.perf_counter() - started
                first_200(match.group(1))
                return ready, time.perf_counter() - started
        raise RuntimeError(f"{command} exited without a ready line")
    finally:
        process.terminate()
        process.communicate(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="how many starts (default 5)")
    parser.add_argument("command", nargs="*", help="the serve command (after --)")
    args = parser.parse_args()
    command = args.command or [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    results = [one_run(command) for _ in range(args.runs)]
    for number, (ready, answered) in enumerate(results, 1):
        print(f"run {number}: ready line {ready:.3f} s, first 200 {answered:.3f} s")
    print(f"median of {args.runs}: ready line {statistics.median(r for r, _ in results):.3f} s, "
          f"first 200 {statistics.median(a for _, a in results):.3f} s   ({' '.join(command)})")


if __name__ == "__main__":
    main()
