"""Fixtures: a fresh app per test, a spec-checking test client, and a real server process."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from emulator import create_app

from .spec_check import check_response, httpx_hook

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-24T12:00:00Z"
OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}
ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_main_5d21b7"}
FUTURE = "2026-12-01T18:00:00Z"


class SpecCheckingClient(FlaskClient):
    """A Flask test client that validates every vendor response against openapi/."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        request = response.request
        check_response(request.method, request.path, response.status_code,
                       response.headers.get("Content-Type", ""), response.get_data(),
                       response.headers.get("X-Emulator-Fault", ""))
        return response


@pytest.fixture
def app() -> Flask:
    """A fresh emulator with the default fixtures and the clock frozen at NOW."""
    flask_app = create_app({"clock_start": NOW, "clock_frozen": True})
    flask_app.test_client_class = SpecCheckingClient
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def create(client: FlaskClient, **body: Any) -> Any:
    """Create a mass message through OFAuth (to the fans list unless told otherwise)."""
    body.setdefault("text", "Hello from the emulator")
    body.setdefault("userLists", ["fans"])
    return client.post("/v2/access/mass-messages", json=body, headers=OFAUTH)


def creator_of(client: FlaskClient, creator_id: int = 412000001) -> Any:
    """The default session's creator: its population and lists, to check routes against the sets."""
    return client.application.extensions["emulator.sessions"].get("default").world.creator(creator_id)


def queue_size(client: FlaskClient) -> int:
    """How many messages the default session's queue holds."""
    return len(client.application.extensions["emulator.sessions"].get("default").world.queue.items)


class Server:
    """A ``python -m emulator serve`` process on a free loopback port (no access log: nothing reads it)."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "emulator", "serve", "--port", "0", "--quiet", *args]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.banner: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.banner.append(line)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.base_url = match.group(1)
            if line.startswith("Press Ctrl-C"):
                break
        else:
            raise RuntimeError("server did not start: " + "".join(self.banner))

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for this server that checks responses against the specs."""
        return httpx.Client(base_url=self.base_url, event_hooks={"response": [httpx_hook]}, **kwargs)

    def stop(self) -> str:
        """SIGTERM the process and return what it printed after the banner."""
        self.process.terminate()
        out, _ = self.process.communicate(timeout=10)
        return out


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    running = Server("--clock-start", NOW)
    yield running
    running.stop()
