"""The package's layers are folders, and imports keep to them: each layer's docstring says what it may import.

The rules are read from the code, not listed here: every folder of ``emulator/`` with an ``__init__.py`` is a
layer, its docstring's ``May import:`` line names the layers it may reach, and every ``import`` in every module
(function-level ones included) is read with ``ast``.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "emulator"
WEB_FRAMEWORKS = {"flask", "werkzeug", "httptools", "uvloop", "waitress"}
ROOT_LAYER = "emulator"  # the entry points and the composition root: no layer may import them
MAY_IMPORT = re.compile(r"^May import: (?P<names>.+?)\.?$", re.MULTILINE)
MAX_TOP_MODULES = 10


@dataclass(frozen=True)
class Import:
    """One imported module, as seen from the module that imports it."""

    source: Path
    line: int
    target: str  # dotted and absolute, e.g. "emulator.domain.clock" or "flask"

    @property
    def layer(self) -> str:
        """The layer of the source module (``emulator`` for the package's top)."""
        return layer_of(self.source)

    @property
    def target_layer(self) -> str | None:
        """The layer the import reaches into, or None when it leaves the package."""
        parts = self.target.split(".")
        if parts[0] != "emulator":
            return None
        if len(parts) > 1 and (PACKAGE / parts[1] / "__init__.py").is_file():
            return parts[1]
        return ROOT_LAYER

    def __str__(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line} imports {self.target}"


def layer_of(path: Path) -> str:
    """``domain`` for ``emulator/domain/clock.py``; ``emulator`` for a module at the top."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ROOT_LAYER


def layers() -> dict[str, set[str]]:
    """Every layer folder, with the layers its docstring says it may import."""
    found = {}
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        match = MAY_IMPORT.search(docstring)
        assert match, f"{init.relative_to(ROOT)}: its docstring must say 'May import: ...'"
        names = match["names"]
        found[init.parent.name] = set() if names.startswith("nothing") else {
            name.strip() for name in names.split(",")}
    return found


def imports_of(path: Path, source: str) -> Iterator[Import]:
    """Every import in ``source``, the text of the module at ``path``, resolved to an absolute module name."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield Import(path, node.lineno, node.module or "")
                continue
            module = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            if node.module:
                yield Import(path, node.lineno, module)
            else:  # "from . import a, b": each name may be a module of its own
                for alias in node.names:
                    yield Import(path, node.lineno, f"{module}.{alias.name}")


def imports() -> Iterator[Import]:
    """Every import of every module in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        yield from imports_of(path, path.read_text(encoding="utf-8"))


def upward(found: list[Import]) -> list[str]:
    """Imports a layer makes outside what its docstring allows."""
    return [str(each) for each in found if each.layer != ROOT_LAYER and each.target_layer not in (None, each.layer)
            and each.target_layer not in LAYERS[each.layer]]


def into_the_top(found: list[Import]) -> list[str]:
    """Imports a layer makes of the package's top (entry points and composition root)."""
    return [str(each) for each in found if each.layer != ROOT_LAYER and each.target_layer == ROOT_LAYER]


def web_in_the_domain(found: list[Import]) -> list[str]:
    """Imports of a web framework or of another layer from the domain."""
    return [str(each) for each in found if each.layer == "domain"
            and (each.target.split(".")[0] in WEB_FRAMEWORKS or each.target_layer not in (None, "domain"))]


def across_dialects(found: list[Import]) -> list[str]:
    """Imports of one dialect from the other."""
    pairs = {("ofauth", "onlyfansapi"), ("onlyfansapi", "ofauth")}
    return [str(each) for each in found if (each.layer, each.target_layer) in pairs]


ALL_IMPORTS = list(imports())
LAYERS = layers()


def test_the_package_top_holds_at_most_ten_modules():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_every_folder_of_the_package_with_code_is_a_declared_layer():
    folders = {path.parent.relative_to(PACKAGE).parts[0] for path in PACKAGE.glob("*/**/*.py")}
    assert folders == set(LAYERS)


def test_the_allowances_name_only_real_layers_and_form_no_cycle():
    for layer, allowed in LAYERS.items():
        assert allowed <= set(LAYERS) - {layer}, (layer, allowed)
    seen: dict[str, str] = {}

    def visit(layer: str, trail: tuple[str, ...]) -> None:
        assert layer not in trail, " -> ".join((*trail, layer))
        if seen.get(layer) == "done":
            return
        for reached in LAYERS[layer]:
            visit(reached, (*trail, layer))
        seen[layer] = "done"

    for layer in LAYERS:
        visit(layer, ())


def test_each_layer_imports_only_what_its_docstring_allows():
    assert upward(ALL_IMPORTS) == []


def test_no_layer_imports_the_package_top():
    assert into_the_top(ALL_IMPORTS) == []


def test_the_domain_imports_no_web_framework_and_no_other_layer():
    assert any(each.layer == "domain" for each in ALL_IMPORTS), "no imports read from emulator/domain/"
    assert web_in_the_domain(ALL_IMPORTS) == []


def test_the_dialects_never_import_each_other():
    assert across_dialects(ALL_IMPORTS) == []


def test_the_factory_wires_the_app_from_every_layer_it_serves():
    app = {each.target_layer for each in ALL_IMPORTS if each.source == PACKAGE / "app.py"}
    # The server runs an app rather than being part of one (cli and the pytest plugin start it), and render is
    # reached through the dialects and the admin API.
    assert set(LAYERS) - {"server", "render"} <= app


@pytest.mark.parametrize(("where", "source", "rule"), [
    ("domain/planted.py", "from ..pipeline import errors\n", upward),
    ("domain/planted.py", "import flask\n", web_in_the_domain),
    ("domain/planted.py", "from werkzeug.exceptions import NotFound\n", web_in_the_domain),
    ("harness/planted.py", "from .. import app\n", into_the_top),
    ("harness/planted.py", "def f():\n    from ..http import web\n", upward),
    ("render/planted.py", "from emulator.admin import routes\n", upward),
    ("ofauth/planted.py", "from ..onlyfansapi.auth import bearer_key\n", across_dialects),
])
def test_the_rules_catch_a_planted_import(where, source, rule):
    """The checks above are not vacuous: the same code reports an import that breaks a rule."""
    assert rule(list(imports_of(PACKAGE / where, source)))


def test_the_architecture_page_shows_the_allowances_the_code_declares():
    tree = re.findall(r"^[├└]── (\w+)/\s+(.+)$", (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"),
                      re.MULTILINE)
    shown = {name: set() if allowed.startswith("may import nothing") else {part.strip() for part in allowed.split(",")}
             for name, allowed in tree}
    assert shown == LAYERS
