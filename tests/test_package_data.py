"""The built wheel ships the dashboard's page (emulator/admin/ui/), byte for byte as in the checkout."""
from __future__ import annotations

import zipfile

from .conftest import ROOT
from .installed import installed


def test_wheel_ships_every_file_of_the_dashboard_page(tmp_path_factory):
    package = installed(tmp_path_factory)
    sources = sorted(path for path in (ROOT / "emulator" / "admin" / "ui").iterdir() if path.is_file())
    assert any(path.name == "index.html" for path in sources)
    with zipfile.ZipFile(package.wheel) as wheel:
        for source in sources:
            assert wheel.read(f"emulator/admin/ui/{source.name}") == source.read_bytes(), source.name
