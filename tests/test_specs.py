"""The specs in openapi/ are valid OpenAPI documents and the emulator serves them."""
from __future__ import annotations

import re

import pytest
import yaml

from .spec_check import SPECS, spec


@pytest.mark.parametrize("vendor", ["ofauth", "onlyfansapi"])
def test_spec_is_valid_openapi(vendor):
    spec(vendor).check_spec()


def served(app, blueprint: str) -> set[tuple[str, str]]:
    """The (method, path) pairs a dialect's blueprint serves, each path parameter written ``{}``."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{blueprint}."):
            path = re.sub(r"<[^>]+>", "{}", rule.rule)
            routes |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def unnamed(path: str) -> str:
    """A spec path with each parameter written ``{}``: the vendors name them in their own case, Flask in snake_case."""
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.mark.parametrize("vendor", ["ofauth", "onlyfansapi"])
def test_spec_covers_exactly_the_served_routes(app, vendor):
    document = yaml.safe_load((SPECS / f"{vendor}.yaml").read_text())
    documented = {(method, unnamed(path)) for path, operations in document["paths"].items()
                  for method in operations if method != "parameters"}
    assert documented == served(app, vendor)
    assert "nullable" not in (SPECS / f"{vendor}.yaml").read_text()


@pytest.mark.parametrize("vendor", ["ofauth", "onlyfansapi"])
def test_emulator_serves_its_specs(client, vendor):
    response = client.get(f"/openapi/{vendor}.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data())["openapi"].startswith("3.")
