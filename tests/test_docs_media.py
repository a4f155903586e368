"""Every example in docs/media.md runs, in order, against a fresh server and gives what it documents."""
from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import yaml

from emulator.domain.events import parse

from .conftest import ROOT, Server
from .test_readme import README_URL

FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def shown_in(documented: Any, actual: Any, path: str = "$") -> None:
    """What the page shows is in the answer: keys of objects, and lists item by item (the answer's as long)."""
    if isinstance(documented, dict):
        assert isinstance(actual, dict), path
        for key, value in documented.items():
            assert key in actual, f"{path}.{key} missing"
            shown_in(value, actual[key], f"{path}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list) and len(actual) == len(documented), path
        for number, (shown, answered) in enumerate(zip(documented, actual)):
            shown_in(shown, answered, f"{path}[{number}]")
    else:
        assert documented == actual, f"{path}: the page says {documented!r}, the emulator {actual!r}"


def test_media_page_examples_run_and_match():
    found = FENCE.findall((ROOT / "docs" / "media.md").read_text(encoding="utf-8"))
    server, ran = Server(), 0
    try:
        for index, (language, text) in enumerate(found):
            text = text.replace(README_URL, server.base_url)
            following = found[index + 1] if index + 1 < len(found) else ("", "")
            if language == "bash":
                result = subprocess.run(["bash", "-c", text], capture_output=True, text=True, timeout=30,
                                        check=False)
                assert result.returncode == 0, result.stderr
                if following[0] == "text":
                    assert following[1].strip() in result.stdout
                else:
                    shown_in(json.loads(following[1]), json.loads(result.stdout))
            elif language == "python":
                exec(compile(text, f"docs/media.md block {index}", "exec"), {})  # noqa: S102 (the page's own code)
            elif language == "yaml" and "events" in text:
                assert all(parse(event, 0.0) for event in yaml.safe_load(text)["events"])
            ran += 1
    finally:
        server.stop()
    assert ran >= 10


def test_the_route_table_names_the_served_operations():
    from emulator import create_app

    table = [line.split(" | ") for line in (ROOT / "docs" / "media.md").read_text(encoding="utf-8").splitlines()
             if line.startswith(("| OFAuth |", "| OnlyFansAPI |"))]
    served = {(rule.endpoint.split(".")[0], rule.endpoint.split(".")[-1]) for rule in create_app().url_map.iter_rules()}
    assert len(table) == 16
    for vendor, _, operation, _ in table:
        assert (vendor.strip("| ").lower(), operation.strip("`")) in served, operation
