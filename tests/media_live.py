"""Both SDKs against the shared live server, each test in an emulator session of its own, with its clock."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import ONLYFANSAPI, Server
from .spec_check import httpx_hook


class Live:
    """A test's own session on the live server: its name, base URL, and an httpx client bound to it."""

    def __init__(self, server: Server) -> None:
        self.name = f"media-{uuid.uuid4().hex[:12]}"
        self.base_url = server.base_url
        self.http = server.client(headers={"X-Emulator-Session": self.name})

    def advance(self, seconds: float) -> None:
        """Move the session's clock forward."""
        assert self.http.post("/_emulator/clock", json={"advance": seconds}).status_code == 200

    def freeze(self) -> None:
        """Stop the session's clock, so only ``advance`` moves it."""
        assert self.http.post("/_emulator/clock", json={"frozen": True}).status_code == 200


@pytest.fixture(name="live")
def live_session(server: Server) -> Iterator[Live]:
    running = Live(server)
    running.freeze()
    yield running
    running.http.close()


@pytest.fixture(name="live_ofauth")
def live_ofauth_client(live: Live) -> Iterator[Any]:
    from onlyfans_sdk import OFAuthClient

    client = OFAuthClient(api_key="ofa_test_main_2f7c9e41", connection_id="conn_emulator_main",
                          base_url=live.base_url)
    client._client.headers["X-Emulator-Session"] = live.name
    client._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    yield client
    client.close()


@pytest.fixture(name="live_onlyfansapi")
def live_onlyfansapi_client(live: Live) -> Iterator[Any]:
    from onlyfansapi import OnlyFansAPI

    http = httpx.Client(event_hooks={"response": [httpx_hook]}, headers={"X-Emulator-Session": live.name})
    yield OnlyFansAPI(api_key=ONLYFANSAPI["Authorization"].split()[1], base_url=live.base_url, http_client=http,
                      max_retries=0)
    http.close()
