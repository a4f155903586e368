"""A ``serve`` process whose output goes to a file, so tests can read its readiness line and access log."""
from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import httpx

from .spec_check import httpx_hook

READY = re.compile(r"^ready: (http://\S+)$", re.M)
# One text access-log line: TIME SESSION METHOD PATH STATUS DURATIONms [fault=RULE].
LINE = re.compile(r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<session>\S+) (?P<method>[A-Z]+) "
                  r"(?P<path>\S+) (?P<status>\d{3}|dropped) (?P<ms>\d+\.\d)ms(?: fault=(?P<fault>\S+))?$")
END_OF_BANNER = "Press Ctrl-C to stop.\n"


class ServeProcess:
    """Run a serve command with stdout in a file; wait for its ``ready:`` line."""

    def __init__(self, command: list[str], log: Path, cwd: Path | None = None,
                 env: dict[str, str] | None = None, timeout: float = 30) -> None:
        self.log = log
        self._out = log.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        self.base_url = self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = READY.search(self.output())
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}: {self.output()}")
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"no ready line within {timeout} s: {self.output()}")

    def client(self) -> httpx.Client:
        """An httpx client for this server that checks vendor responses against the specs."""
        return httpx.Client(base_url=self.base_url, event_hooks={"response": [httpx_hook]})

    def output(self) -> str:
        """Everything printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def access_log(self) -> list[str]:
        """The lines printed after the banner, but for the shutdown lines."""
        after = self.output().split(END_OF_BANNER, 1)[-1]
        return [line for line in after.splitlines() if line and line != "emulator stopped"]

    def stop(self) -> str:
        """SIGTERM the process, wait for it, and return all it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()
        return self.output()
