"""pytest plugin (entry point ``pytest11``): an in-process app, a real server, and helpers per test."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from .app import create_app
from .config import server_body_limit
from .server.granian_server import EmbeddedServer
from .testing import Emulator


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --emulator-seed and --emulator-fixtures."""
    group = parser.getgroup("emulator", "OnlyFans mass-messaging emulator")
    group.addoption("--emulator-seed", type=int, default=None, help="seed for the emulator fixtures")
    group.addoption("--emulator-fixtures", default=None, help="YAML fixture file for the emulator")


def _overrides(config: pytest.Config) -> dict[str, Any]:
    return {"seed": config.getoption("--emulator-seed"), "fixtures": config.getoption("--emulator-fixtures")}


@pytest.fixture
def emulator_app(request: pytest.FixtureRequest) -> Flask:
    """A fresh in-process emulator app, for Flask's test client."""
    return create_app(_overrides(request.config))


class RunningServer:
    """The server ``serve`` uses (granian, embedded), on a free loopback port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = EmbeddedServer(app, "127.0.0.1", 0, body_limit=server_body_limit(app.config["EMULATOR"]))
        self._server.start_in_thread()
        self.base_url = self._server.base_url

    def stop(self) -> None:
        """Stop serving: end injected delays, close the connections and the worker threads."""
        self._server.stop()
        self._server.join(timeout=5)


@pytest.fixture(scope="session")
def emulator_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    """One real emulator server for the whole test session."""
    server = RunningServer(create_app({**_overrides(request.config), "max_sessions": 256}))
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: RunningServer, request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A helper bound to a fresh, isolated session of the shared server, named after the test."""
    name = "test-" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16]
    helper = Emulator(emulator_server.base_url, name)
    helper.reset()
    yield helper
    helper.close()


@pytest.fixture
def emulator_local(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """The same helper as ``emulator``, bound to a fresh in-process app: no thread, no port."""
    helper = Emulator.in_process(_overrides(request.config))
    yield helper
    helper.close()
