"""tools/specs_from_seeds.py: help from anywhere, and a clear refusal, with nothing written, without its sources."""
from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

TOOL = str(ROOT / "tools" / "specs_from_seeds.py")


def run_tool(*arguments: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, TOOL, *arguments], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_help_works_from_outside_the_repository(tmp_path):
    result = run_tool("--help", cwd=tmp_path)
    assert result.returncode == 0 and "SEEDS_DIR" in result.stdout and "CONTRACTS_DIR" in result.stdout


@pytest.mark.parametrize(("arguments", "said"), [
    (["missing-seeds"], "no seed pages: missing-seeds is not a folder"),
    ([".", "."], "no contract file ofauth-mass-messages.md, onlyfansapi-mass-messaging.md, ofauth-workflow.md, "
                 "onlyfansapi-workflow.md in ."),
])
def test_missing_sources_are_named_and_nothing_is_written(tmp_path, arguments, said):
    specs = {path: path.read_bytes() for path in (ROOT / "openapi").glob("*.yaml")}
    result = run_tool(*arguments, cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith(f"error: {said}")
    assert result.stderr.endswith("; nothing written\n") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert {path: path.read_bytes() for path in (ROOT / "openapi").glob("*.yaml")} == specs


def test_seed_pages_without_the_vendors_specs_are_refused(tmp_path):
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    for name in ("ofauth-mass-messages.md", "onlyfansapi-mass-messaging.md", "ofauth-workflow.md",
                 "onlyfansapi-workflow.md"):
        (contracts / name).write_text("")
    (tmp_path / "page.txt").write_text("no spec here\n")
    result = run_tool(str(tmp_path), str(contracts), cwd=tmp_path)
    assert result.returncode == 1 and "no OpenAPI document titled 'OFAuth API' or 'OnlyFans API'" in result.stderr
