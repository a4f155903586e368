"""Every route of the app, read from its url_map, with a concrete path and the credentials its dialect needs.

Tests built on this cover routes as they are added, with no list to keep up to date.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from emulator import create_app
from emulator.pipeline.errors import dialect_of

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, SpecCheckingClient

# The fixture message every route's id argument points at (scheduled, so it can be edited and deleted).
MESSAGE_ID = "3100000001"
ODD_IDS = ["3_100_000_001", "+3100000001", "３１００００００００１", "3100000001 ", "²", "-3100000001", "0",
           "9" * 5000, "3100000001.0", "0x1", "%F0%9F%94%A5"]


@dataclass(frozen=True)
class Route:
    """One method of one URL rule, ready to call."""

    endpoint: str
    method: str
    rule: str
    arguments: tuple[str, ...]

    @property
    def dialect(self) -> str:
        """``ofauth``, ``onlyfansapi`` or ``admin``: whose error shape the route's path gets."""
        return dialect_of(self.rule)

    @property
    def headers(self) -> dict[str, str]:
        """The default credentials of the route's vendor."""
        return {"ofauth": OFAUTH, "onlyfansapi": ONLYFANSAPI}.get(self.dialect, {})

    @property
    def takes_id(self) -> bool:
        """Whether the path names a message by id."""
        return any(name.endswith("id") and name != "rule_id" for name in self.arguments)

    def path(self, message_id: str = MESSAGE_ID) -> str:
        """The rule with every argument filled in: the account, ``message_id``, or a plausible value."""
        path = self.rule
        for name in self.arguments:
            value = ACCOUNT if name == "account" else "ofauth" if name == "name" else \
                "fault_1" if name == "rule_id" else "x.txt" if name == "filename" else message_id
            path = path.replace(f"<{name}>", value).replace(f"<path:{name}>", value)
        return path

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def fresh_app() -> Flask:
    """An app as tests/conftest.py builds it: default fixtures, clock frozen at NOW, responses checked against
    openapi/ by its spec-checking test client."""
    app = create_app({"clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    return app


def routes(app: Flask | None = None) -> list[Route]:
    """Every route and method of the app (HEAD and OPTIONS, which Flask adds to all, left out)."""
    found = []
    for rule in (app or fresh_app()).url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(Route(rule.endpoint, method, rule.rule, tuple(sorted(rule.arguments))))
    return sorted(found, key=str)


ALL = routes()
VENDOR = [route for route in ALL if route.endpoint.split(".")[0] in ("ofauth", "onlyfansapi")]
WITH_BODY = [route for route in ALL if route.method in ("POST", "PUT", "PATCH", "DELETE")]
WITH_ID = [route for route in VENDOR if route.takes_id]


def assert_error_shape(response: object, dialect: str) -> None:
    """The response is an error in ``dialect``'s shape: OFAuth, OnlyFansAPI (Laravel) or the admin API's."""
    body = response.get_json()  # type: ignore[attr-defined]
    status = response.status_code  # type: ignore[attr-defined]
    assert 400 <= status < 500, (status, body)
    if dialect == "ofauth":
        assert {"error", "type", "requestId"} <= set(body) and body["requestId"].startswith("req_"), body
    elif dialect == "onlyfansapi":
        assert set(body) <= {"message", "errors", "code"} and isinstance(body["message"], str), body
    else:
        assert body == {"error": body["error"], "status": status}, body
