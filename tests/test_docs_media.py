"""docs/media.md: its YAML loads and its route table names served operations (tests/test_readme.py runs the rest)."""
from __future__ import annotations

import yaml

from emulator import resources
from emulator.domain import fixtures
from emulator.domain.events import parse
from emulator.domain.world import World

from .conftest import ROOT
from .test_readme import FENCE


def test_media_page_fixture_and_event_examples_load():
    """The page's YAML examples are what the emulator reads: a fixture fragment and a profile's events."""
    found = [text for language, text in FENCE.findall((ROOT / "docs" / "media.md").read_text(encoding="utf-8"))
             if language == "yaml"]
    for text in found:
        document = yaml.safe_load(text)
        if "events" in document:
            assert all(parse(event, 0.0) for event in document["events"])
            continue
        world_document = yaml.safe_load(resources.default_fixtures().read_text(encoding="utf-8"))
        shown = document["creators"][0]
        target = next(entry for entry in world_document["creators"] if entry["id"] == shown["id"])
        target.update(shown)
        creator = World(fixtures.check(world_document), 7, 1_795_521_600.0).creator(shown["id"])
        folders = {folder.name: list(folder.media) for folder in creator.vault_lists.values()}
        for folder in shown["vault_lists"]:
            assert folders[folder["name"]] == folder["media"]
    assert len(found) >= 2


def test_the_route_table_names_the_served_operations():
    from emulator import create_app

    table = [line.split(" | ") for line in (ROOT / "docs" / "media.md").read_text(encoding="utf-8").splitlines()
             if line.startswith(("| OFAuth |", "| OnlyFansAPI |"))]
    served = {(rule.endpoint.split(".")[0], rule.endpoint.split(".")[-1]) for rule in create_app().url_map.iter_rules()}
    assert len(table) == 16
    for vendor, _, operation, _ in table:
        assert (vendor.strip("| ").lower(), operation.strip("`")) in served, operation
