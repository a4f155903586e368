"""Every example in the README and docs/ runs, in order, against a fresh server per page, and shows its real output.

A shown output is compared whole. One that leaves something out says so with ``…``: in JSON, a ``"…": "…"``
member stands for the members not shown, a ``"…"`` value for any value, and a last ``"…"`` item for the items not
shown; in text, ``…`` stands for anything. A command that is not run here names the test that runs it. A
``<!-- serve: OPTIONS -->`` line starts a fresh server with those ``serve`` options for the examples after it.
"""
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
SERVE_MARK = re.compile(r"<!-- serve:(.*?)-->")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
DOCS_URL = "http://127.0.0.1:8080"
ELIDED = "…"
PAGES = ["README.md", *sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("*.md"))]
# Commands run by another test (or by .ci/run), each with where.
RUN_ELSEWHERE = {
    "pip install -e '.[sdk]' && python -m emulator serve": ".ci/run, and test_readme_setup_commands_are_what_ci_runs",
    "pip install -e '.[test]' && python -m pytest": ".ci/run",
    "set -euo pipefail": "tests/test_ci_recipes.py",
    "onlyfans-emulator serve --port 0": "tests/test_ci_recipes.py",
    "actions/setup-python": "tests/test_ci_recipes.py",
    "image: python:3.11": "tests/test_ci_recipes.py",
    "python deploy/launch.py": "tests/test_scale_out.py",
    "fans: {active: 1240, expired: 310, days: 730": "tests/test_people_docs.py",
    "- {id: 500012345, name: Jordan Lee": "tests/test_people_docs.py",
    "vault_lists:": "tests/test_docs_media.py",
    "events:": "tests/test_docs_media.py",
}


def blocks(page: str) -> list[tuple[str, str]]:
    """A page's fenced blocks, as (language, text)."""
    return FENCE.findall((ROOT / page).read_text(encoding="utf-8"))


def assert_shown(shown: Any, actual: Any, path: str = "$") -> None:
    """What a page shows must be what the emulator answers, but for what it marks as left out with ``…``."""
    if shown == ELIDED:
        return
    if isinstance(shown, dict):
        assert isinstance(actual, dict), f"{path}: shown an object, answered {actual!r:.80}"
        keys = set(shown) - {ELIDED}
        if shown.get(ELIDED) != ELIDED:
            assert keys == set(actual), f"{path}: shows {sorted(keys)}, answered {sorted(actual)}"
        for key in keys:
            assert key in actual, f"{path}.{key} is not in the answer"
            assert_shown(shown[key], actual[key], f"{path}.{key}")
    elif isinstance(shown, list):
        assert isinstance(actual, list), f"{path}: shown a list, answered {actual!r:.80}"
        items = shown[:-1] if shown[-1:] == [ELIDED] else shown
        assert len(actual) >= len(items) if len(items) < len(shown) else len(actual) == len(items), path
        for index, item in enumerate(items):
            assert_shown(item, actual[index], f"{path}[{index}]")
    else:
        assert shown == actual, f"{path}: shows {shown!r}, answered {actual!r}"


def assert_text_shown(shown: str, actual: str) -> None:
    """Shown text is the output, with ``…`` standing for anything."""
    pattern = ".*".join(re.escape(piece) for piece in shown.strip().split(ELIDED))
    assert re.fullmatch(pattern, actual.strip(), re.S), f"shown:\n{shown}\nprinted:\n{actual}"


def run_as_pytest(text: str, path: Path, url: str) -> None:
    """Run a block of pytest tests in a pytest of its own, through the installed plugin."""
    path.write_text(text.replace(DOCS_URL, url), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def run_serve(text: str, following: tuple[str, str]) -> None:
    """Start the shown serve command on a free port and stop it; compare its banner when one is shown."""
    running = Server(*text.split()[4:])
    banner = "".join(running.banner).replace(running.base_url, DOCS_URL)
    assert "emulator stopped" in running.stop()
    if following[0] == "text":
        assert_text_shown(following[1], banner)


def serve_options(page: str) -> list[list[str] | None]:
    """For each fenced block of a page, the ``serve`` options of the last ``<!-- serve: ... -->`` before it."""
    text = (ROOT / page).read_text(encoding="utf-8")
    marks = [(found.start(), found.group(1).split()) for found in SERVE_MARK.finditer(text)]
    options = []
    for block in FENCE.finditer(text):
        before = [mark for start, mark in marks if start < block.start()]
        options.append(before[-1] if before else None)
    return options


def run_page(page: str, servers: dict[str, Server], tmp_path: Path) -> None:
    """Run every example of a page in order; fail on a command no test runs."""
    found = blocks(page)
    options = serve_options(page)
    for index, (language, text) in enumerate(found):
        key = " ".join(options[index] or [])
        if key not in servers:
            for running in servers.values():
                running.stop()
            servers.clear()
            servers[key] = Server(*(options[index] or []))
        server = servers[key]
        following = found[index + 1] if index + 1 < len(found) else ("", "")
        command = text.strip()
        if language == "bash" and command.startswith("curl"):
            result = subprocess.run(["bash", "-c", text.replace(DOCS_URL, server.base_url)], capture_output=True,
                                    text=True, timeout=30)
            assert result.returncode == 0, f"{page} block {index}: {result.stderr}"
            if following[0] == "text":
                assert_text_shown(following[1], result.stdout)
            elif following[0] == "json":
                assert_shown(json.loads(following[1]), json.loads(result.stdout))
        elif language == "bash" and command.endswith('echo "exit $?"'):  # a command that stops by itself
            result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60, cwd=ROOT)
            assert_text_shown(following[1], result.stderr + result.stdout)
        elif language == "bash" and command.startswith("python -m emulator serve"):
            run_serve(command, following)
        elif language == "python" and "def test_" in text:
            run_as_pytest(text, tmp_path / f"test_{Path(page).stem}_{index}.py", server.base_url)
        elif language == "python":
            exec(compile(text.replace(DOCS_URL, server.base_url), f"{page} block {index}", "exec"), {})
        elif language == "bash" or language == "yaml":
            assert any(command.startswith(prefix) or prefix in text for prefix in RUN_ELSEWHERE), \
                f"{page} block {index} is run by no test: {command[:60]}"


@pytest.mark.parametrize("page", PAGES)
def test_examples_run_and_show_their_real_output(page, tmp_path):
    servers: dict[str, Server] = {}
    try:
        run_page(page, servers, tmp_path)
    finally:
        for server in servers.values():
            server.stop()


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", PAGES)
def test_every_relative_link_resolves(page):
    source = ROOT / page
    for target in LINK.findall(source.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (source.parent / file_part).resolve() if file_part else source
        assert linked.exists(), f"{page}: {target} does not resolve"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
            assert anchor in {github_anchor(heading) for heading in headings}, f"{page}: no heading for {target}"


def test_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert len(lines) <= 300
    first_200 = "\n".join(lines[:200])
    for needed in ("not on PyPI", "pip install", "python -m emulator serve", "ofa_test_main_2f7c9e41",
                   "onlyfans-sdk", "`onlyfans`", "OFAuthClient(", "OnlyFansAPI(", "/_emulator/faults",
                   "def test_", "emulator.base_url", "docs/pytest.md"):
        assert needed in first_200, needed
    for page in PAGES[1:]:
        assert f"]({page})" in readme, f"the README does not link {page}"


def test_readme_setup_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [text.strip() for language, text in FENCE.findall(quick_start) if language == "bash"]
    assert commands == ["pip install -e '.[sdk]' && python -m emulator serve",
                        "pip install -e '.[test]' && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'start_command="{commands[0]}"' in ci and f'test_command="{commands[1]}"' in ci
