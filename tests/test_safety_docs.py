"""Every example in docs/safety.md runs, in order, against a fresh ``serve`` with the options its section names
(``<!-- serve: OPTIONS -->``), and gives what the page shows."""
from __future__ import annotations

import json
import re
import subprocess

from .conftest import ROOT, Server
from .test_readme import README_URL, assert_subset

PAGE = ROOT / "docs" / "safety.md"
PIECES = re.compile(r"<!-- serve:(.*?)-->|```(\w+)\n(.*?)```", re.DOTALL)


def test_safety_page_examples_run_and_match():
    server, options, ran = None, None, 0
    pieces = PIECES.findall(PAGE.read_text(encoding="utf-8"))
    try:
        for index, (serve, language, text) in enumerate(pieces):
            if serve or not language:
                options = serve.split()
                continue
            if language != "bash":
                continue
            if server is None or server.options != options:
                if server is not None:
                    server.stop()
                server = Server(*(options or []))
                server.options = options
            result = subprocess.run(["bash", "-c", text.replace(README_URL, server.base_url)],
                                    capture_output=True, text=True, timeout=30, check=False)
            assert result.returncode == 0, result.stderr
            shown = pieces[index + 1]
            assert shown[1] == "json", f"block {index}: an example is followed by the JSON it answers"
            assert_subset(json.loads(shown[2]), json.loads(result.stdout))
            ran += 1
    finally:
        if server is not None:
            server.stop()
    assert ran == 9
