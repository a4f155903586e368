"""pytest plugin (entry point ``pytest11``): an in-process app, a real server, and helpers per test.

pytest loads this module in every run of an environment the package is installed in, so it imports only pytest
and the standard library; Flask, the app and the server are imported by the fixtures that need them.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask

    from .testing import Emulator

URL_VARIABLE = "EMULATOR_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --emulator-seed, --emulator-fixtures and --emulator-url."""
    group = parser.getgroup("emulator", "OnlyFans mass-messaging emulator")
    group.addoption("--emulator-seed", type=int, default=None, help="seed for the emulator fixtures")
    group.addoption("--emulator-fixtures", default=None, help="YAML fixture file for the emulator")
    group.addoption("--emulator-url", default=None, metavar="URL",
                    help=f"use the emulator already running at URL instead of starting one (also ${URL_VARIABLE})")


def _overrides(config: pytest.Config) -> dict[str, Any]:
    return {"seed": config.getoption("--emulator-seed"), "fixtures": config.getoption("--emulator-fixtures")}


@pytest.fixture
def emulator_app(request: pytest.FixtureRequest) -> Flask:
    """A fresh in-process emulator app, for Flask's test client."""
    from .app import create_app

    return create_app(_overrides(request.config))


class RunningServer:
    """The server ``serve`` uses (granian, embedded), on a free loopback port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        from .config import server_body_limit
        from .server.loop_server import EmbeddedServer

        self.app = app
        self._server = EmbeddedServer(app, "127.0.0.1", 0, body_limit=server_body_limit(app.config["EMULATOR"]))
        self._server.start_in_thread()
        self.base_url = self._server.base_url

    def stop(self) -> None:
        """Stop serving: end injected delays, close the connections and the worker threads."""
        self._server.stop()
        self._server.join(timeout=5)


class ExternalServer:
    """An emulator someone else started (``--emulator-url``): checked once, never stopped from here."""

    def __init__(self, url: str) -> None:
        import httpx

        self.base_url = url.rstrip("/")
        try:
            health = httpx.get(f"{self.base_url}/_emulator/health", timeout=10)
            answered = health.status_code == 200 and health.json().get("status") == "ok"
        except (httpx.HTTPError, ValueError, AttributeError) as error:
            pytest.fail(f"--emulator-url {self.base_url}: no emulator answers there ({error})", pytrace=False)
        if not answered:
            pytest.fail(f"--emulator-url {self.base_url}: /_emulator/health answered {health.status_code}, not an "
                        "emulator's 200", pytrace=False)

    def stop(self) -> None:
        """Leave the server running: it is not this test run's."""


@pytest.fixture(scope="session")
def emulator_server(request: pytest.FixtureRequest) -> Iterator[RunningServer | ExternalServer]:
    """One emulator server for the whole test session: the one at --emulator-url, or one started here."""
    url = request.config.getoption("--emulator-url") or os.environ.get(URL_VARIABLE)
    if url:
        server: RunningServer | ExternalServer = ExternalServer(url)
    else:
        from .app import create_app

        server = RunningServer(create_app({**_overrides(request.config), "max_sessions": 256}))
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: RunningServer | ExternalServer, request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A helper bound to a fresh, isolated session of the shared server, named after the test."""
    from .testing import Emulator

    name = "test-" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16]
    helper = Emulator(emulator_server.base_url, name)
    helper.reset(seed=request.config.getoption("--emulator-seed"))  # a server at --emulator-url has its own seed
    yield helper
    helper.close()


@pytest.fixture
def emulator_local(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """The same helper as ``emulator``, bound to a fresh in-process app: no thread, no port."""
    from .testing import Emulator

    helper = Emulator.in_process(_overrides(request.config))
    yield helper
    helper.close()
