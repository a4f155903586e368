"""The benchmark script runs end to end on a small load and prints every figure (no timing asserted)."""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_bench_prints_every_figure():
    result = subprocess.run([sys.executable, "bench/run.py", "--requests", "40", "--messages", "200",
                             "--sessions", "2", "--large", "5", "--single", "10", "--body-mb", "0.2",
                             "--oversized-mib", "4"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for route in ("bare Flask hello", "create", "get", "update", "delete", "get, 100k stored"):
        assert f"\n{route} " in out or out.startswith(route)
    assert "start-up to first 200:" in out and "resident memory idle:" in out
    assert "of the bare-Flask ceiling" in out
    assert all(line.split()[-1] == "0" for line in out.splitlines()[1:12])
    assert "memory, fresh process: idle" in out and "ceiling for 64 sessions" in out
    assert "2 sessions x 5 accepted requests of 0.2 MB (10 answered 200): resident +" in out and "limit +" in out
    assert "reading its journal back" in out and "peak +" in out
    assert "one 4 MiB POST (HTTP/1.1 413" in out
