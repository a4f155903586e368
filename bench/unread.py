"""Memory held for clients that never read their answers, and how long they stay connected.

Run from the repository root: ``python bench/unread.py``. It starts ``serve`` with a large state, has
``--clients`` sockets ask for ``/_emulator/state`` and never read, and prints the server's resident memory and
the clients the server has cut off, before and after the write timeout. It prints figures; it does not pass or
fail. Linux only (it reads /proc).
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from memory import rss_mb

ROOT = Path(__file__).resolve().parent.parent


def established(port: int) -> int:
    """The server's connections on ``port`` that are still open both ways (its side, from /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "01")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=40, help="clients that never read (default 40)")
    parser.add_argument("--messages", type=int, default=15_000, help="messages in the state (default 15,000: 8 MB)")
    parser.add_argument("--write-timeout", type=float, default=10.0, help="serve --write-timeout (default 10)")
    args = parser.parse_args(argv)
    process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", "--quiet",
                                "--write-timeout", str(args.write_timeout)], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        base_url = next(line.decode().split()[1] for line in process.stdout if line.startswith(b"ready: "))
        port = int(base_url.rsplit(":", 1)[1])
        with httpx.Client(base_url=base_url, timeout=120) as http:
            state = http.get("/_emulator/state").json()
            state["queue"] = [{**state["queue"][0], "id": 3_200_000_000 + n} for n in range(args.messages)]
            http.put("/_emulator/state", json=state).raise_for_status()
            size = len(http.get("/_emulator/state").content)
        idle = rss_mb(process.pid)
        clients = []
        for _ in range(args.clients):
            connection = socket.socket()
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            connection.connect(("127.0.0.1", port))
            connection.sendall(b"GET /_emulator/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            clients.append(connection)
        print(f"{args.clients} clients ask for a {size / 1e6:.1f} MB answer and never read it "
              f"(write timeout {args.write_timeout:g} s); resident before: {idle:.1f} MB")
        elapsed = 0.0
        for moment in (2.0, args.write_timeout + 3):
            time.sleep(moment - elapsed)
            elapsed = moment
            print(f"  after {moment:g} s: resident +{rss_mb(process.pid) - idle:.1f} MB, "
                  f"{established(port)} of {args.clients} still connected")
        for connection in clients:
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
