"""Setuptools shim: the metadata lives in setup.cfg; the build copies fixtures/ and openapi/ into the package."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# The top-level folders stay the one source; a wheel gets copies under emulator/_bundled/ (see emulator/resources.py).
BUNDLED = ("fixtures/*.yaml", "fixtures/faults/*.yaml", "openapi/*.yaml")


class BuildWithData(build_py):
    """Build the package, then copy the fixtures, fault profiles and specs into it."""

    def run(self) -> None:
        """Build as usual; add the data files unless this is an editable install (that reads the checkout)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundled = Path(self.build_lib, "emulator", "_bundled")
        shutil.rmtree(bundled, ignore_errors=True)  # a build/ folder kept from an earlier build may hold stale files
        for pattern in BUNDLED:
            sources = sorted(ROOT.glob(pattern))
            if not sources:
                raise FileNotFoundError(f"nothing matches {pattern} in {ROOT}: the package would ship without it")
            for source in sources:
                target = bundled / source.relative_to(ROOT)
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithData})
