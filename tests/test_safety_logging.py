"""Logging never waits on its reader: a stdout or stderr pipe nobody reads never stalls serving or shutdown.

Each test starts ``serve`` with one stream on a pipe it reads only as far as the ``ready:`` line, then sends more
than that pipe and the emulator's log buffer hold; every request must still be answered, health must count the
lines dropped, a note must follow once the pipe is read again, and SIGTERM must end the process in its grace.
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import IO

import httpx
import pytest

from emulator.server.shutdown import GRACE

from .conftest import OFAUTH, ROOT
from .spec_check import httpx_hook

DROPPED_NOTE = re.compile(r"^log: (\d+) lines dropped while the reader was slow or gone; writing again$", re.MULTILINE)


class Stalled:
    """``serve`` with ``stream`` ("stdout" or "stderr") on a pipe read only up to the ready line."""

    def __init__(self, stream: str, *args: str) -> None:
        pipe = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL}
        if stream == "stderr":
            pipe = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
            # The ready line goes to stdout, now discarded: wait on health instead.
        self.process = subprocess.Popen([sys.executable, "-m", "emulator", "serve", *args], cwd=ROOT, **pipe)
        self.pipe: IO[bytes] = self.process.stdout if stream == "stdout" else self.process.stderr  # type: ignore
        self.base_url = self._ready(args)

    def _ready(self, args: tuple[str, ...]) -> str:
        if self.pipe is self.process.stdout:
            for line in self.pipe:
                if line.startswith(b"ready: "):
                    return line.decode().split()[1]
            raise RuntimeError("serve exited before its ready line")
        port = args[args.index("--port") + 1]
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/_emulator/health")
                return url
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("serve did not answer health within 20 s")

    def read_all(self) -> tuple[threading.Thread, list[bytes]]:
        """Start reading the pipe to its end from a thread; the list gets what was read once the thread ends."""
        chunks: list[bytes] = []
        reader = threading.Thread(target=lambda: chunks.append(self.pipe.read()), daemon=True)
        reader.start()
        return reader, chunks

    def __enter__(self) -> Stalled:  # noqa: PYI034  (no subclasses)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def terminate_within(self, seconds: float) -> float:
        """SIGTERM the process; return how long it took to exit (killing it, and failing, if it does not)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"serve did not end within {seconds} s of SIGTERM")
        return time.monotonic() - started


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def stalled_stdout() -> Iterator[Stalled]:
    with Stalled("stdout", "--port", "0", "--log-format", "json") as server:
        yield server


def test_stalled_stdout_never_stalls_serving_and_drops_are_counted(stalled_stdout):
    # About 400 JSON lines fill the pipe and as many the buffer: 2,000 requests are five times that.
    with httpx.Client(base_url=stalled_stdout.base_url, timeout=10,
                      event_hooks={"response": [httpx_hook]}) as http:
        started = time.monotonic()
        for _ in range(2000):
            # Answered, whatever the answer: the bucket runs dry after 90 and 429s are vendor answers too.
            assert http.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code in (200, 429)
        took = time.monotonic() - started
        health = http.get("/_emulator/health").json()
    assert took < 30, f"2,000 requests took {took:.1f} s with nobody reading stdout"
    assert health["log_lines_dropped"] > 0
    reader, chunks = stalled_stdout.read_all()
    # Reading again: the writer says how many lines it lost, then writes on.
    with httpx.Client(base_url=stalled_stdout.base_url, timeout=10) as http:
        http.get("/_emulator/health")
    took = stalled_stdout.terminate_within(GRACE + 5)
    reader.join(10)
    output = chunks[0].decode()
    assert DROPPED_NOTE.search(output), output[-2000:]
    assert output.rstrip().endswith("emulator stopped")
    assert took < GRACE + 2


@pytest.mark.parametrize("server", ["async", "waitress"])
def test_sigterm_ends_serve_within_its_grace_while_stdout_is_stalled(server):
    with Stalled("stdout", "--port", "0", "--server", server) as stalled, \
            httpx.Client(base_url=stalled.base_url, timeout=10) as http:
        for _ in range(1500):
            assert http.get("/_emulator/health").status_code == 200
        assert stalled.terminate_within(GRACE + 5) < GRACE + 2


def test_stalled_stderr_never_stalls_serving():
    # Each eviction says so on stderr: 600 evictions with long names are more than the pipe and the buffer hold.
    port = free_port()
    with Stalled("stderr", "--port", str(port), "--quiet", "--max-sessions", "1") as server, \
            httpx.Client(base_url=server.base_url, timeout=10) as http:
        started = time.monotonic()
        for number in range(600):
            name = f"{number:04d}-" + "x" * 120
            assert http.get("/_emulator/clock", headers={"X-Emulator-Session": name}).status_code == 200
        took = time.monotonic() - started
        health = http.get("/_emulator/health").json()
        assert took < 40, f"600 evictions took {took:.1f} s with nobody reading stderr"
        assert health["sessions_evicted"] == 599 and health["log_lines_dropped"] > 0
        assert server.terminate_within(GRACE + 5) < GRACE + 2


def test_a_closed_stdout_drops_lines_and_serves_on():
    with Stalled("stdout", "--port", "0") as server:
        server.pipe.close()  # the reader is gone: writes fail with EPIPE
        with httpx.Client(base_url=server.base_url, timeout=10) as http:
            for _ in range(50):
                assert http.get("/_emulator/health").status_code == 200
            assert http.get("/_emulator/health").json()["log_lines_dropped"] >= 40
        assert server.terminate_within(GRACE + 5) < GRACE + 2


def test_log_writer_drops_and_counts_instead_of_blocking():
    from emulator.server.log_writer import LogWriter

    read, write = os.pipe()
    os.set_blocking(write, False)
    try:
        while True:  # fill the pipe, as a reader that stopped reading leaves it
            os.write(write, b"x" * 4096)
    except BlockingIOError:
        os.set_blocking(write, True)
    try:
        writer = LogWriter(write, budget=1024)
        started = time.monotonic()
        for _ in range(20_000):  # 1.4 MB more
            writer.put("x" * 69 + "\n")
        assert time.monotonic() - started < 5
        assert writer.dropped >= 20_000 - 2 * (1024 // 70) - 1  # a budget waiting, a batch as large in the write
        assert not writer.drain(0.2)  # the reader is stuck: drain says so instead of waiting
        os.read(read, 1 << 20)  # the reader is back: the writer notes the loss, then writes on
        assert writer.drain(5)
        os.set_blocking(read, False)
        written = b""
        with contextlib.suppress(BlockingIOError):
            while True:
                written += os.read(read, 1 << 20)
        # Each note counts the lines lost since the one before: together, every line lost.
        assert sum(int(count) for count in DROPPED_NOTE.findall(written.decode())) == writer.dropped
    finally:
        os.close(read)
