"""Schemathesis against the emulator's own specs: no 5xx, and every response conforms to openapi/."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi import checks as openapi_checks  # noqa: E402

from emulator import create_app  # noqa: E402

from .conftest import NOW, OFAUTH, ONLYFANSAPI  # noqa: E402

APP = create_app({"clock_start": NOW, "clock_frozen": True, "max_sessions": 4})
CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

ofauth = schemathesis.openapi.from_wsgi("/openapi/ofauth.yaml", APP)
onlyfansapi = schemathesis.openapi.from_wsgi("/openapi/onlyfansapi.yaml", APP)


@ofauth.parametrize()
@EXAMPLES
def test_ofauth_routes_never_fail_and_conform(case):
    case.call_and_validate(headers=OFAUTH, checks=CHECKS)


@onlyfansapi.parametrize()
@EXAMPLES
def test_onlyfansapi_routes_never_fail_and_conform(case):
    case.path_parameters["account"] = "acct_fad58de7366495db4650cfefac2fcd61"
    case.call_and_validate(headers=ONLYFANSAPI, checks=CHECKS)
