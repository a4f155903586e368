"""A small client for the admin API, and SDK clients bound to one emulator session, over a socket or in-process."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from .harness.sessions import DEFAULT, HEADER, PREFIX

if TYPE_CHECKING:
    from flask import Flask

# Reserved by RFC 2606, so an in-process URL can never reach a real host by mistake.
IN_PROCESS_URL = "http://emulator.invalid"
OFAUTH_KEY, OFAUTH_CONNECTION = "ofa_test_main_2f7c9e41", "conn_emulator_main"
ONLYFANSAPI_KEY = "ofapi_test_main_5d21b7"
MISSING_SDK = ("this needs the vendor's SDK: pip install {0} (imported as {1}), or install the emulator with its "
               "sdk extra, e.g. pip install -e '.[sdk]'")


class InProcessTransport(httpx.WSGITransport):
    """httpx's WSGI transport, with a fault rule's dropped connection raised as httpx raises it over a socket."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Call the app in this thread; a ``drop`` becomes ``httpx.RemoteProtocolError``."""
        try:
            return super().handle_request(request)
        except ConnectionResetError as error:  # what the app's DropConnections raises with no socket to close
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                            request=request) from error


class _Faults:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def add(self, rule: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Add a fault rule (a dict, or its fields as keywords); return it with its id."""
        response = self._http.post("/_emulator/faults", json={**(rule or {}), **fields})
        response.raise_for_status()
        return response.json()

    def list(self) -> list[dict[str, Any]]:
        """The rules, with how often each matched and fired."""
        return self._http.get("/_emulator/faults").json()["rules"]

    def clear(self) -> None:
        """Remove every rule."""
        self._http.delete("/_emulator/faults").raise_for_status()


class _Events:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def add(self, kind: str, target: str | int, at: str | None = None, seconds: float | None = None) -> dict[str, Any]:
        """Make a vendor event happen now, ``at`` an ISO-8601 instant, or in ``seconds``; return it."""
        body: dict[str, Any] = {"kind": kind, "target": target}
        if at is not None:
            body["at"] = at
        if seconds is not None:
            body["in"] = seconds
        response = self._http.post("/_emulator/events", json=body)
        response.raise_for_status()
        return response.json()

    def list(self) -> list[dict[str, Any]]:
        """Every event, with whether it has happened."""
        return self._http.get("/_emulator/events").json()["events"]


class _Clock:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _move(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self._http.post("/_emulator/clock", json=body)
        response.raise_for_status()
        return response.json()

    def now(self) -> dict[str, Any]:
        """The clock's current instant and whether it is frozen."""
        return self._http.get("/_emulator/clock").json()

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move time forward."""
        return self._move({"advance": seconds})

    def set(self, instant: str) -> dict[str, Any]:
        """Jump to an ISO-8601 instant."""
        return self._move({"now": instant})

    def freeze(self, frozen: bool = True) -> dict[str, Any]:
        """Stop (or restart) time."""
        return self._move({"frozen": frozen})


class Emulator:
    """Everything a test needs from one emulator session: admin calls and ready-made SDK clients.

    ``base_url`` is the session's own URL, ``{server_url}/s/{session}`` (the server's URL itself for the default
    session): any client given it, and nothing else, lands in this session. ``headers`` names the session too, for
    a client that must keep the server's URL; both may be sent, as long as they agree.
    """

    def __init__(self, server_url: str, session: str, transport: httpx.BaseTransport | None = None,
                 app: Flask | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.session = session
        own = "" if session == DEFAULT else f"{PREFIX}{quote(session, safe='')}"
        self.base_url = self.server_url + own
        self.headers = {HEADER: session}
        self.app = app
        self._transport = transport
        self.http = httpx.Client(base_url=self.base_url, headers=self.headers, transport=transport)
        self.faults = _Faults(self.http)
        self.clock = _Clock(self.http)
        self.events = _Events(self.http)
        self._clients: list[Any] = []

    @classmethod
    def in_process(cls, config: dict[str, Any] | None = None) -> Emulator:
        """A helper bound to a new in-process app (``config`` as ``create_app`` takes): no thread, no port."""
        from .app import create_app

        app = create_app(config)
        return cls(IN_PROCESS_URL, DEFAULT, transport=InProcessTransport(app=app), app=app)

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries of this session (filters: method, path, status, vendor, since, limit)."""
        response = self.http.get("/_emulator/requests", params={k: v for k, v in filters.items() if v is not None})
        response.raise_for_status()
        return response.json()["requests"]

    def reset(self, seed: int | None = None, faults: bool = False) -> dict[str, Any]:
        """Restore the fixtures' state (optionally reseeded); clear journal and runtime faults."""
        body: dict[str, Any] = {"faults": faults} if seed is None else {"seed": seed, "faults": faults}
        response = self.http.post("/_emulator/reset", json=body)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict[str, Any]:
        """The session's exported state."""
        return self.http.get("/_emulator/state").json()

    def ofauth_client(self, api_key: str = OFAUTH_KEY, connection_id: str = OFAUTH_CONNECTION) -> Any:
        """An ``onlyfans_sdk.OFAuthClient`` pointed at this session (``pip install onlyfans-sdk``)."""
        try:
            from onlyfans_sdk import OFAuthClient
        except ModuleNotFoundError as error:
            raise ModuleNotFoundError(MISSING_SDK.format("onlyfans-sdk", "onlyfans_sdk"), name=error.name) from error

        client = OFAuthClient(api_key=api_key, connection_id=connection_id, base_url=self.base_url)
        if self._transport is not None:  # the SDK takes no transport: swap the httpx client it keeps for one that has
            timeout = client._client.timeout
            client._client.close()
            client._client = httpx.Client(transport=self._transport, timeout=timeout)
        self._clients.append(client)
        return client

    def onlyfansapi_client(self, api_key: str = ONLYFANSAPI_KEY, **options: Any) -> Any:
        """An ``onlyfansapi.OnlyFansAPI`` pointed at this session (``pip install onlyfans``)."""
        try:
            from onlyfansapi import DefaultHttpxClient, OnlyFansAPI
        except ModuleNotFoundError as error:
            raise ModuleNotFoundError(MISSING_SDK.format("onlyfans", "onlyfansapi"), name=error.name) from error

        if self._transport is not None:  # the SDK's own client settings (timeouts, limits), on our transport
            options.setdefault("http_client", DefaultHttpxClient(transport=self._transport))
        client = OnlyFansAPI(api_key=api_key, base_url=self.base_url, **options)
        self._clients.append(client)
        return client

    def close(self) -> None:
        """Close the helper's HTTP clients."""
        for client in self._clients:
            client.close()
        self.http.close()
