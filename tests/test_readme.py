"""Every example in the README runs, in order, against a fresh server and gives what it documents."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Server

FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
README_URL = "http://127.0.0.1:8080"


def blocks() -> list[tuple[str, str]]:
    """The README's fenced blocks, as (language, text)."""
    return FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def assert_subset(documented: Any, actual: Any, path: str = "$") -> None:
    """Everything the README shows must be in the actual response (which may say more)."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), path
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} missing"
            assert_subset(value, actual[key], f"{path}.{key}")
    else:
        assert documented == actual, f"{path}: README says {documented!r}, emulator says {actual!r}"


@pytest.fixture(scope="module")
def fresh_server():
    running = Server()
    yield running
    running.stop()


def test_readme_setup_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]  # "Running in CI" installs too
    commands = [text.strip() for language, text in FENCE.findall(quick_start)
                if language == "bash" and "pip install" in text]
    assert commands == ["pip install -e '.[sdk]' && python -m emulator serve",
                        "pip install -e '.[test]' && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'start_command="{commands[0]}"' in ci and f'test_command="{commands[1]}"' in ci


def run_as_pytest(text: str, path: Path) -> None:
    """Run a README block of pytest tests in a pytest of its own, through the installed plugin."""
    path.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_readme_examples_run_and_match(fresh_server, tmp_path):
    found = blocks()
    ran = 0
    for index, (language, text) in enumerate(found):
        text = text.replace(README_URL, fresh_server.base_url)
        following = found[index + 1] if index + 1 < len(found) else ("", "")
        if language == "bash" and text.lstrip().startswith("curl"):
            result = subprocess.run(["bash", "-c", text], capture_output=True, text=True, timeout=30)
            assert result.returncode == 0, result.stderr
            if following[0] == "text":
                assert following[1].strip() in result.stdout
            else:
                actual = json.loads(result.stdout)
                if following[0] == "json":
                    assert_subset(json.loads(following[1]), actual)
            ran += 1
        elif language == "bash" and text.lstrip().startswith("python -m emulator serve"):
            assert "emulator stopped" in Server(*text.split()[4:]).stop()
            ran += 1
        elif language == "python" and "def test_" in text:
            run_as_pytest(text, tmp_path / f"test_readme_block_{index}.py")
            ran += 1
        elif language == "python":
            exec(compile(text, f"README.md block {index}", "exec"), {})
            ran += 1
    assert ran >= 16
