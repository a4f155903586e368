"""The fixture examples of docs/people.md build the lists they describe (tests/test_readme.py runs the rest)."""
from __future__ import annotations

import yaml

from emulator.domain import fixtures
from emulator.domain.world import World

from .conftest import ROOT
from .test_readme import FENCE


def test_people_page_fixture_examples_build_the_lists_they_describe():
    found = [text for language, text in FENCE.findall((ROOT / "docs" / "people.md").read_text(encoding="utf-8"))
             if language == "yaml"]
    for text in found:
        document = yaml.safe_load(text)
        named = document["creators"][0]["fans"].get("people", [])
        lists = World(fixtures.check(document), 7, 1_795_521_600.0).creator(412000001).user_lists
        assert lists["fans"].size == 1240 + sum(person.get("active", True) for person in named)
        assert lists["1001"].size == 48 + len(named[:1])  # Jordan, when named, is a VIP too
    assert len(found) == 2
