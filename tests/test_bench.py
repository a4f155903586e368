"""The benchmark script runs end to end on a small load and prints every figure (no timing asserted)."""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_bench_prints_every_figure():
    result = subprocess.run([sys.executable, "bench/run.py", "--requests", "40", "--messages", "200"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for route in ("bare Flask hello", "create", "get", "update", "delete", "get, 100k stored"):
        assert f"\n{route} " in out or out.startswith(route)
    assert "start-up to first 200:" in out and "resident memory idle:" in out
    assert "of the bare-Flask ceiling" in out
    assert all(line.split()[-1] == "0" for line in out.splitlines()[1:12])
