"""Measure what an open dashboard tab costs the server: requests a second, threads and memory, visible and hidden.

Starts ``python -m emulator serve`` (its default server and 8 threads, or ``--server``; access log on), opens the
dashboard in headless Chromium, and samples the server's thread count and resident memory from /proc while the
page polls; with ``--traffic``, an SDK-like client creates a message every second meanwhile, so the journal and
queue keep moving. At the end the tab is put in the background for a while, to count what a hidden tab asks for.
Linux only (reads /proc).

    python docs/dashboard_cost.py --minutes 5 --traffic
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshot  # the same browser the tests use

ROOT = Path(__file__).resolve().parent.parent


def proc_status(pid: int) -> tuple[int, float]:
    """The process's thread count and resident memory in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    threads = int(re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    rss_kib = int(re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return threads, rss_kib / 1024


class Server:
    """``python -m emulator serve --port 0`` with its access log read in a thread, counting polls per path."""

    def __init__(self, *options: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *options], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("ready: "):
                self.base_url = line.split()[1]
                break
        else:
            raise RuntimeError("the emulator did not start")
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def admin_requests(self) -> int:
        """How many /_emulator/ requests the access log has shown so far."""
        return sum(" /_emulator/" in line for line in list(self.lines))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def traffic(base_url: str, stop: threading.Event) -> None:
    """Create a scheduled message a second through OFAuth, as a client under development would."""
    headers = {"apiKey": screenshot.OFAUTH["apiKey"], "x-connection-id": screenshot.OFAUTH["x-connection-id"]}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
        number = 0
        while not stop.wait(1.0):
            number += 1
            http.post("/v2/access/mass-messages", json={"text": f"Message {number}", "userLists": ["fans"],
                                                        "scheduledDate": "2036-01-01T00:00:00Z"})


def rate(server: Server, seconds: float) -> float:
    """Admin requests a second over the next ``seconds``."""
    before = server.admin_requests()
    time.sleep(seconds)
    return (server.admin_requests() - before) / seconds


def sample(server: Server, pid: int, minutes: float, every: float) -> None:
    """Print the server's threads, memory and admin request rate every ``every`` seconds for ``minutes``."""
    started = time.monotonic()
    while time.monotonic() - started < minutes * 60:
        per_second = rate(server, min(every, minutes * 60))
        threads, rss = proc_status(pid)
        print(f"t={time.monotonic() - started:6.0f}s threads={threads} rss={rss:.1f} MiB "
              f"admin requests/s={per_second:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print one line per sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long the tab stays open and visible")
    parser.add_argument("--traffic", action="store_true", help="create a message a second meanwhile")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--no-tab", action="store_true", help="open no tab: the control run")
    parser.add_argument("--server", choices=("async", "waitress"), help="serve's --server (default: serve's)")
    args = parser.parse_args(argv)
    reason = screenshot.browser_missing()
    if reason:
        print(f"cannot measure: {reason}", file=sys.stderr)
        return 2
    server = Server(*(["--server", args.server] if args.server else []))
    stop = threading.Event()
    pid = server.process.pid
    try:
        time.sleep(2)
        print(f"server pid {pid}, no tab yet: threads={proc_status(pid)[0]} rss={proc_status(pid)[1]:.1f} MiB")
        if args.traffic:
            threading.Thread(target=traffic, args=(server.base_url, stop), daemon=True).start()
        if args.no_tab:
            sample(server, pid, args.minutes, args.every)
            return 0
        with screenshot.browser() as driver:
            driver.get(f"{server.base_url}/_emulator/ui/")
            sample(server, pid, args.minutes, args.every)
            driver.switch_to.new_window("tab")  # the dashboard's tab is now in the background
            print(f"hidden tab: admin requests/s={rate(server, 20):.2f}")
    finally:
        stop.set()
        threads, rss = proc_status(pid)
        print(f"tab closed: threads={threads} rss={rss:.1f} MiB")
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
