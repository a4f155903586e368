"""Find the bundled fixtures, fault profiles and specs: inside the installed package, else in the checkout."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# A wheel carries copies made at build time (see setup.py); an editable install or a checkout reads the originals.
BUNDLED = PACKAGE / "_bundled"
CHECKOUT = PACKAGE.parent
KINDS = {"fixtures": ("fixtures", "fixture file"), "faults": ("fixtures/faults", "fault profile")}


class UnknownName(ValueError):
    """A ``--fixtures``/``--faults`` value that is neither a file nor a bundled name."""


def data_root() -> Path:
    """The folder holding ``fixtures/`` and ``openapi/`` for this install."""
    if (BUNDLED / "openapi").is_dir():
        return BUNDLED
    if (CHECKOUT / "setup.py").is_file() and (CHECKOUT / "openapi").is_dir():
        return CHECKOUT
    raise FileNotFoundError(f"no bundled data in {BUNDLED} and no checkout at {CHECKOUT}: reinstall the package")


def specs_dir() -> Path:
    """The folder of the vendors' OpenAPI specs."""
    return data_root() / "openapi"


def default_fixtures() -> Path:
    """The fixture file a session starts from unless told otherwise."""
    return data_root() / "fixtures" / "default.yaml"


def bundled(kind: str) -> dict[str, Path]:
    """The bundled files of a kind (``fixtures`` or ``faults``), by name (the file name without ``.yaml``)."""
    folder = data_root() / KINDS[kind][0]
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def find(kind: str, value: str | None) -> str | None:
    """Resolve a ``--fixtures``/``--faults`` value: an existing file, a bundled name, or a path to report."""
    if not value or Path(value).is_file():
        return value
    name = value.removesuffix(".yaml")
    files = bundled(kind)
    if name in files:
        return str(files[name])
    if "/" in value or "\\" in value or value.endswith((".yaml", ".yml", ".json")):
        return value  # a path after all: the loader says it cannot read it
    label = KINDS[kind][1]
    raise UnknownName(f"unknown {label} {value!r}: not a file, and the bundled ones are {', '.join(files)}")
