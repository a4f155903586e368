"""Time what the installed pytest plugin adds to every pytest run: start-up with it against ``-p no:emulator``.

Runs ``python -m pytest --collect-only`` on a folder holding one test that uses no fixture, alternately with the
plugin and without it, and prints the medians and their difference (the target: under 0.1 s), then what importing
the plugin module alone costs once pytest is loaded. Other plugins' entry points are not loaded
(``PYTEST_DISABLE_PLUGIN_AUTOLOAD``; the plugin comes in with ``-p``), since their seconds of start-up would
drown the difference. It does not pass or fail. From the repository root: ``python bench/plugin.py --runs 9``
(the package must be installed, as ``pip install -e .`` does).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.1
IMPORT_ALONE = ("import time, pytest; started = time.perf_counter(); import emulator.pytest_plugin; "
                "print(time.perf_counter() - started)")


WITH = ("-p", "emulator.pytest_plugin")
WITHOUT = ("-p", "no:emulator")


def pytest_start(folder: Path, *options: str) -> float:
    """Seconds for one pytest run that collects the folder's test and stops."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *options],
                   cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "PYTEST_ADDOPTS": "", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="runs of each kind (default 9)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        pytest_start(folder, *WITH)  # warm the file cache before measuring
        with_plugin, without = [], []
        for _ in range(args.runs):  # alternate, so a busy moment of the machine hits both kinds alike
            with_plugin.append(pytest_start(folder, *WITH))
            without.append(pytest_start(folder, *WITHOUT))
    extra = statistics.median(with_plugin) - statistics.median(without)
    alone = [float(subprocess.run([sys.executable, "-c", IMPORT_ALONE], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(args.runs)]
    print(f"pytest start-up, median of {args.runs}: with the plugin {statistics.median(with_plugin):.3f} s, "
          f"with -p no:emulator {statistics.median(without):.3f} s")
    print(f"the plugin adds {extra:+.3f} s to every pytest run (target: under {TARGET} s)")
    print(f"importing emulator.pytest_plugin after pytest: {statistics.median(alone) * 1000:.1f} ms (median)")


if __name__ == "__main__":
    main()
