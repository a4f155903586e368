"""Every example in docs/people.md runs against a fresh server and gives what the page shows."""
from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from emulator.domain import fixtures
from emulator.domain.world import World

from .conftest import ROOT, Server
from .test_readme import FENCE, README_URL, assert_subset


@pytest.fixture(scope="module")
def fresh_server():
    running = Server()
    yield running
    running.stop()


def test_people_page_examples_run_and_match(fresh_server):
    found = FENCE.findall((ROOT / "docs" / "people.md").read_text(encoding="utf-8"))
    ran = 0
    for index, (language, text) in enumerate(found):
        text = text.replace(README_URL, fresh_server.base_url)
        if language == "bash":
            result = subprocess.run(["bash", "-c", text], capture_output=True, text=True, timeout=30, check=False)
            assert result.returncode == 0, result.stderr
            assert found[index + 1][0] == "json"
            assert_subset(json.loads(found[index + 1][1]), json.loads(result.stdout))
            ran += 1
        elif language == "python":
            exec(compile(text, f"docs/people.md block {index}", "exec"), {})
            ran += 1
        elif language == "yaml":
            document = yaml.safe_load(text)
            named = document["creators"][0]["fans"].get("people", [])
            lists = World(fixtures.check(document), 7, 1_795_521_600.0).creator(412000001).user_lists
            assert lists["fans"].size == 1240 + sum(person.get("active", True) for person in named)
            assert lists["1001"].size == 48 + len(named[:1])  # Jordan, when named, is a VIP too
            ran += 1
    assert ran == 6
