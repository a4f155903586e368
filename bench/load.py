"""The load loop of bench/run.py: keep-alive connections from threads, requests per second and latency."""
from __future__ import annotations

import http.client
import os
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
