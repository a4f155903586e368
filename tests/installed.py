"""Build the wheel from this checkout and install it into a fresh virtualenv, once per test session.

The virtualenv is made from the interpreter running the tests, and a ``.pth`` file puts that interpreter's
site-packages (a user's virtualenv, or the system's) after its own, so the dependencies are the ones the tests run
with. ``--system-site-packages`` would not do: made from inside a virtualenv, it reaches the base interpreter's
site-packages, not the virtualenv's. The wheel is installed with ``pip install --no-deps --no-index``: no network,
a few seconds. What is under test is the package itself: the modules, data files and console script come from the
wheel (the venv's own site-packages comes first, and a path listed in a ``.pth`` file has its own ``.pth`` files,
such as an editable install's, left unread), and the checks below make sure nothing is read from the checkout.
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sysconfig
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What an sdist is built from; MANIFEST.in decides what of it the sdist, and so the wheel, carries.
SOURCES = ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "CHANGELOG.md", "LICENSE",
           "emulator", "fixtures", "openapi")


@dataclass(frozen=True)
class Installed:
    """A built wheel and a virtualenv it is installed in."""

    wheel: Path
    venv: Path
    build_output: str

    @property
    def bin(self) -> Path:
        """The virtualenv's scripts folder."""
        return self.venv / "bin"

    @property
    def script(self) -> str:
        """The installed console script."""
        return str(self.bin / "onlyfans-emulator")

    def env(self) -> dict[str, str]:
        """An environment that runs the virtualenv's python and scripts first, with no path into the checkout."""
        env = {name: value for name, value in os.environ.items()
               if name not in ("PYTHONPATH", "PYTHONHOME") and not name.startswith("EMULATOR_")}
        return {**env, "PATH": f"{self.bin}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(self.venv),
                "PYTHONUNBUFFERED": "1"}


_BUILT: dict[str, Installed] = {}


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(workdir: Path) -> tuple[Path, str]:
    """Copy the sources, build an sdist and a wheel from it (as ``python -m build`` does); the wheel and the output."""
    source = workdir / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled"))
        else:
            shutil.copy2(path, source / name)
    # Bytecode on, as most users have it: with it off, setuptools warns that it skips byte-compiling.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    built = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(workdir / "dist"), str(source)],
                env=env)
    return next((workdir / "dist").glob("*.whl")), built.stdout + built.stderr


def share_dependencies(venv: Path) -> None:
    """List the running interpreter's site-packages in a ``.pth`` file of the venv, after the venv's own."""
    own = Path(run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
               .stdout.strip())
    user = [site.getusersitepackages()] if site.ENABLE_USER_SITE else []  # where ``pip install --user`` puts them
    running = dict.fromkeys([*site.getsitepackages(), sysconfig.get_path("purelib"), sysconfig.get_path("platlib"),
                             *user])
    (own / "running-environment.pth").write_text("".join(f"{path}\n" for path in running if Path(path).is_dir()))


def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The session's wheel and virtualenv, built on first use."""
    if "package" not in _BUILT:
        workdir = tmp_path_factory.mktemp("package")
        wheel, output = build_wheel(workdir)
        venv = workdir / "venv"
        # Without pip of its own: the running environment's pip, run by the venv's python, installs into the venv.
        run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        share_dependencies(venv)
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--no-index", "--ignore-installed", str(wheel)])
        _BUILT["package"] = Installed(wheel, venv, output)
    return _BUILT["package"]
