"""The pytest plugin's fixtures, as a user of the package would use them."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .serving import LINE, ServeProcess
from .spec_check import httpx_hook

ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"


def test_emulator_app_serves_in_process(emulator_app):
    response = emulator_app.test_client().get("/_emulator/clock")
    assert response.status_code == 200


def test_emulator_helper_drives_sdks_faults_clock_and_journal(emulator):
    from onlyfans_sdk import messages

    ofauth = emulator.ofauth_client()
    receipt = messages.create_mass_messages(ofauth, body={"text": "hi", "userLists": ["fans"],
                                                          "scheduledDate": "2031-01-01T00:00:00Z"})
    assert receipt["id"] == 3100000005

    emulator.faults.add(match={"route": "update_mass_message"}, respond={"status": 429,
                                                                          "headers": {"retry-after-ms": "10"}},
                        times=1)
    ofapi = emulator.onlyfansapi_client()
    ofapi.mass_messaging.update(str(receipt["id"]), account=ACCOUNT, text="edited")
    puts = emulator.requests(method="PUT")
    assert [entry["status"] for entry in puts] == [429, 200]
    assert [entry["retry_count"] for entry in puts] == ["0", "1"]

    emulator.clock.advance(3600)
    assert emulator.state()["clock"]["epoch"] > 0


def test_each_test_gets_a_fresh_session(emulator):
    assert emulator.faults.list() == []
    assert emulator.requests() == []
    assert emulator.state()["next_queue_id"] == 3100000005


def test_emulator_local_is_the_same_helper_in_process(emulator_local):
    from onlyfans_sdk import messages

    assert emulator_local.base_url == "http://emulator.invalid" and emulator_local.app is not None
    ofauth, ofapi = emulator_local.ofauth_client(), emulator_local.onlyfansapi_client()
    for client in (ofauth, ofapi):
        client._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    receipt = messages.create_mass_messages(ofauth, body={
        "text": "local", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"})
    assert receipt["id"] == 3100000005
    emulator_local.faults.add(match={"route": "update_mass_message"}, times=1, respond={"drop": True})
    ofapi.mass_messaging.update(str(receipt["id"]), account=ACCOUNT, text="again")
    assert [entry["dropped"] for entry in emulator_local.requests(method="PUT")] == [True, False]


def test_emulator_local_is_fresh_for_each_test(emulator_local):
    assert emulator_local.faults.list() == [] and emulator_local.requests() == []
    assert emulator_local.state()["next_queue_id"] == 3100000005


def test_sdks_and_a_plain_client_given_only_base_url_land_in_the_tests_session(emulator):
    import httpx
    from onlyfans_sdk import OFAuthClient, messages
    from onlyfansapi import OnlyFansAPI

    assert emulator.base_url == f"{emulator.server_url}/s/{emulator.session}"
    hooks = {"response": [httpx_hook]}
    with OFAuthClient(api_key="ofa_test_main_2f7c9e41", connection_id="conn_emulator_main",
                      base_url=emulator.base_url) as ofauth:
        ofauth._client.event_hooks = hooks  # observe only: validate against openapi/
        messages.create_mass_messages(ofauth, body={"text": "sdk", "userLists": ["fans"]})
    with httpx.Client(event_hooks=hooks) as http:
        OnlyFansAPI(api_key="ofapi_test_main_5d21b7", base_url=emulator.base_url, http_client=http) \
            .mass_messaging.retrieve_overview(account=ACCOUNT)
    with httpx.Client(base_url=emulator.base_url, event_hooks=hooks) as plain:
        assert plain.get("/v2/access/mass-messages/3100000005",
                         headers={"apiKey": "ofa_test_main_2f7c9e41",
                                  "x-connection-id": "conn_emulator_main"}).json()["rawText"] == "sdk"
    assert [entry["method"] for entry in emulator.requests()] == ["POST", "GET", "GET"]
    shared = httpx.get(f"{emulator.server_url}/_emulator/requests").json()["requests"]
    assert not [entry for entry in shared if entry["path"].startswith(("/v2/", "/api/"))]


class Shop:
    """An app under test: it builds its own HTTP client from a base URL, and knows nothing of sessions."""

    def __init__(self, base_url: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base_url, headers={"apiKey": "ofa_test_main_2f7c9e41",
                                                             "x-connection-id": "conn_emulator_main"})

    def announce(self, text: str) -> int:
        response = self.http.post("/v2/access/mass-messages", json={"text": text, "userLists": ["fans"]})
        response.raise_for_status()
        return response.json()["id"]


def test_an_app_with_its_own_client_lands_in_the_tests_session(emulator):
    shop = Shop(emulator.base_url)
    emulator.faults.add(match={"route": "create_mass_message"}, respond={"status": 503}, times=1)
    with pytest.raises(Exception, match="503"):
        shop.announce("first try")
    assert shop.announce("second try") == 3100000005
    assert [entry["status"] for entry in emulator.requests(method="POST")] == [503, 200]


def test_a_missing_sdk_names_the_pip_package(emulator, monkeypatch):
    monkeypatch.setitem(sys.modules, "onlyfans_sdk", None)
    monkeypatch.setitem(sys.modules, "onlyfansapi", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install onlyfans-sdk \(imported as onlyfans_sdk\)"):
        emulator.ofauth_client()
    with pytest.raises(ModuleNotFoundError, match=r"pip install onlyfans \(imported as onlyfansapi\)"):
        emulator.onlyfansapi_client()


HEAVY = ("flask", "werkzeug", "faker", "marshmallow", "yaml", "httptools", "uvloop", "waitress", "httpx", "orjson",
         "emulator.app", "emulator.testing")


def test_loading_the_plugin_imports_nothing_heavy():
    probe = ("import sys, emulator.pytest_plugin; "
             f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == ""


USER_TESTS = '''
import httpx


def test_one(emulator):
    emulator.faults.add(respond={"status": 500}, times=1)
    assert httpx.get(f"{emulator.base_url}/v2/access/mass-messages").status_code == 500
    assert len(emulator.requests()) == 1


def test_two(emulator):
    assert emulator.faults.list() == [] and emulator.requests() == []
'''


def run_user_tests(folder: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    (folder / "test_user.py").write_text(USER_TESTS)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, "test_user.py"],
                          cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("by", ["option", "variable"])
def test_fixtures_use_a_server_started_outside_pytest(tmp_path, by):
    server = ServeProcess([sys.executable, "-m", "emulator", "serve", "--port", "0"], tmp_path / "serve.log")
    try:
        if by == "option":
            result = run_user_tests(tmp_path, "--emulator-url", server.base_url)
        else:
            result = run_user_tests(tmp_path, env={"EMULATOR_URL": server.base_url})
        assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout + result.stderr
        lines = [match for match in map(LINE.match, server.access_log()) if match]
    finally:
        server.stop()
    sessions = {line.group("session") for line in lines if line.group("path") != "/_emulator/health"}
    assert len(sessions) == 2 and all(name.startswith("test-") for name in sessions)  # one per test, by path
    vendor = [line.group("session") for line in lines if line.group("path").startswith("/v2/")]
    assert len(vendor) == 1 and vendor[0] in sessions  # test_one's call, in test_one's session


def test_an_emulator_url_where_nothing_answers_fails_each_test_saying_so(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_user_tests(tmp_path, "--emulator-url", f"http://127.0.0.1:{port}")
    assert result.returncode == 1 and "2 errors" in result.stdout, result.stdout + result.stderr
    assert f"--emulator-url http://127.0.0.1:{port}: no emulator answers there" in result.stdout
    assert "Traceback" not in result.stdout
