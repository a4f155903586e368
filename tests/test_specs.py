"""The specs in openapi/ are valid OpenAPI documents and the emulator serves them."""
from __future__ import annotations

import pytest
import yaml

from .spec_check import SPECS, spec


@pytest.mark.parametrize("vendor", ["ofauth", "onlyfansapi"])
def test_spec_is_valid_openapi(vendor):
    spec(vendor).check_spec()


def test_ofauth_spec_has_every_route_with_path_parameters():
    document = yaml.safe_load((SPECS / "ofauth.yaml").read_text())
    assert set(document["paths"]) == {"/v2/access/mass-messages", "/v2/access/mass-messages/{massMessageId}",
                                      "/v2/access/mass-messages/scheduled/{massMessageId}"}
    assert "nullable" not in (SPECS / "ofauth.yaml").read_text()


@pytest.mark.parametrize("vendor", ["ofauth", "onlyfansapi"])
def test_emulator_serves_its_specs(client, vendor):
    response = client.get(f"/openapi/{vendor}.yaml")
    assert response.status_code == 200
    assert yaml.safe_load(response.get_data())["openapi"].startswith("3.")
