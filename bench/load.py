"""The load loop of bench/run.py: keep-alive connections from threads, requests per second and latency.

Each connection is a plain socket sending prepared bytes and reading the answer by its length: about a tenth of
``http.client``'s work per request, so the load generator, which shares the machine's two cores with the
server it measures, leaves the server room to show what it can serve (as wrk would).
"""
from __future__ import annotations

import http.client
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

Request = tuple[str, str, str | None, dict[str, str]]
Maker = Callable[[int, int], Request]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc; 0 where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(port: int, requests: Maker, total: int, connections: int, pid: int = 0) -> dict[str, float]:
    """Send ``total`` requests over ``connections`` keep-alive connections; return rps, p50/p99 ms and errors.

    ``requests(worker, n)`` gives the n-th request of the run, sent by connection ``worker``. With the server's
    ``pid``, also the server's CPU time per request in µs: unlike req/s, it hardly moves when other programs
    share the cores, and 1e6 / it is what one core could serve.
    """
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(worker_id: int) -> None:
        nonlocal errors
        connection = Connection(port)
        mine, bad = [], 0
        for n in range(worker_id, total, connections):
            data = encode(*requests(worker_id, n))
            began = time.perf_counter()
            status = connection.exchange(data)
            mine.append(time.perf_counter() - began)
            bad += status >= 300
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    cpu_before = cpu_seconds(pid) if pid else 0.0
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = (cpu_seconds(pid) - cpu_before) / total * 1e6 if pid else float("nan")
    latencies.sort()
    return {"rps": total / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, "cpu": cpu, "errors": errors}


def encode(method: str, path: str, body: str | bytes | None, headers: dict[str, str]) -> bytes:
    """The bytes of one HTTP/1.1 request."""
    payload = body.encode() if isinstance(body, str) else body or b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{name}: {value}" for name, value in headers.items())]
    if payload or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


class Connection:
    """One keep-alive connection that sends a request's bytes and reads its answer (by Content-Length, or
    chunked) from a buffer: the least a client can do."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def exchange(self, request: bytes) -> int:
        """Send ``request``, read its whole answer; its status."""
        self.socket.sendall(request)
        end = self._until(b"\r\n\r\n", 0)
        head = self.buffer[:end + 2].lower()  # each header line with its CRLF
        status = int(head[9:12])
        rest = end + 4
        found = head.find(b"\r\ncontent-length:")
        if found >= 0:
            length = int(head[found + 17:head.find(b"\r\n", found + 2)].strip())
            self._fill(rest + length)
            self.buffer = self.buffer[rest + length:]
        elif b"\r\ntransfer-encoding: chunked" in head:
            while True:
                line = self._until(b"\r\n", rest)
                size = int(self.buffer[rest:line].split(b";")[0], 16)
                self._fill(line + 2 + size + 2)
                rest = line + 2 + size + 2
                if size == 0:
                    break
            self.buffer = self.buffer[rest:]
        else:
            self.buffer = self.buffer[rest:]
        return status

    def _until(self, marker: bytes, start: int) -> int:
        while (found := self.buffer.find(marker, start)) < 0:
            self._more()
        return found

    def _fill(self, size: int) -> None:
        while len(self.buffer) < size:
            self._more()

    def _more(self) -> None:
        chunk = self.socket.recv(262144)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-answer")
        self.buffer += chunk

    def close(self) -> None:
        """Close the socket."""
        self.socket.close()


def wait_for(port: int, path: str, started: float, limit: float = 30, headers: dict[str, str] | None = None) -> float:
    """Poll until ``path`` answers (any status below 500); return the seconds since ``started``."""
    while time.perf_counter() - started < limit:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", path, headers=headers or {})
            if connection.getresponse().status < 500:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.002)
    raise RuntimeError(f"nothing answered on port {port}")
