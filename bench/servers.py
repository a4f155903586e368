"""The servers bench/run.py compares, each a process on a free port: the emulator, bare Flask, Prism 5."""
from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRISM_HINT = ("Prism 5 not found, so it is not measured. To include it: "
              "cd \"$(mktemp -d)\" && npm i @stoplight/prism-cli@5 && "
              "export PRISM=\"$PWD/node_modules/.bin/prism\"; then run python bench/run.py again")


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """Start a server process with its output discarded (an access log would measure the terminal)."""
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def emulator_command(fixtures: str, server: str | None = None, root: str | None = None, port: int | str = "PORT"
                     ) -> list[str]:
    """``serve`` with the access log on, as a user runs it (to a file: here, nowhere); from another checkout
    when ``root`` is given; on its default server unless ``server`` names one. ``PORT`` is replaced by the port
    chosen."""
    startup = (f"import sys; sys.path.insert(0, {str(root or ROOT)!r}); "
               "from emulator.cli import main; sys.exit(main())")
    return [sys.executable, "-c", startup,
            "serve", "--port", str(port), "--fixtures", fixtures, *(["--server", server] if server else [])]


def hello_command(server: str) -> list[str]:
    """The bare Flask app of bench/hello.py on ``server``."""
    return [sys.executable, str(ROOT / "bench" / "hello.py"), "PORT", server]


def has_uvicorn() -> bool:
    """Whether uvicorn, httptools and uvloop are installed (not dependencies: measured where they are)."""
    return all(importlib.util.find_spec(name) is not None for name in ("uvicorn", "httptools", "uvloop"))


def prism_binary() -> str | None:
    """Prism 5's command: $PRISM, ``prism`` on PATH, or node_modules/.bin/prism here; None when absent."""
    candidates = [os.environ.get("PRISM", ""), shutil.which("prism") or "",
                  str(ROOT / "node_modules" / ".bin" / "prism")]
    return next((found for found in candidates if found and os.access(found, os.X_OK)), None)


def prism_command(binary: str, spec: str) -> list[str]:
    """Prism mocking one of openapi/'s specs (static examples, requests validated)."""
    return [binary, "mock", "--port", "PORT", "--host", "127.0.0.1", str(ROOT / "openapi" / spec)]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM every server (each exits on it), then reap them."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
