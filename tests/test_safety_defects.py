"""The small defects: ASCII-digit integers, marker over offset, one meaning for a clock set back, the seed kept
with the state."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from emulator import create_app
from emulator.domain import fixtures
from emulator.domain.ratelimits import KeyWindows
from emulator.harness import snapshot

from .conftest import ACCOUNT, NOW, OFAUTH, ONLYFANSAPI, SpecCheckingClient, create

OFAPI = f"/api/{ACCOUNT}"
OFAUTH_BUYERS = "/v2/access/analytics/mass-messages/{id}/buyers"
OFAPI_BUYERS = OFAPI + "/engagement/messages/{id}/buyers"


@pytest.mark.parametrize("control", ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u3000"])
def test_integers_take_only_ascii_digits_around_ascii_spaces(client, control):
    query = client.get(f"{OFAPI}/mass-messaging/overview", query_string={"limit": f"{control}3"},
                       headers=ONLYFANSAPI)
    assert query.status_code == 422 and query.json["errors"]["limit"] == ["The limit field must be an integer."]
    body = client.put(f"{OFAPI}/mass-messaging/3100000001", headers=ONLYFANSAPI,
                      json={"text": "x", "price": f"{control}0"})
    assert body.status_code == 422 and "price" in body.json["errors"]


def test_ascii_spaces_around_an_integer_are_trimmed(client):
    response = client.get(f"{OFAPI}/mass-messaging/overview", query_string={"limit": " \t2\r\n"},
                          headers=ONLYFANSAPI)
    assert response.status_code == 200 and len(response.json["data"]["items"]) <= 2


def paid_message(client) -> int:
    return client.get("/v2/access/analytics/mass-messages/purchased?limit=1", headers=OFAUTH).json["items"][0]["id"]


@pytest.mark.parametrize("route, headers", [(OFAUTH_BUYERS, OFAUTH), (OFAPI_BUYERS, ONLYFANSAPI)])
def test_marker_wins_over_offset_even_when_zero(client, route, headers):
    path = route.format(id=paid_message(client))

    def ids(query: str) -> list[int]:
        body = client.get(f"{path}?limit=3&{query}", headers=headers).json
        return [user["id"] for user in body.get("data", body)["list"]]

    assert ids("marker=0&offset=5") == ids("marker=0") == ids("") != ids("offset=5")
    assert ids("marker=2&offset=5") == ids("marker=2") == ids("offset=2")


def test_a_used_session_refuses_to_move_its_clock_back_and_nothing_changes(client):
    receipt = create(client).json
    clock = client.get("/_emulator/clock").json
    for body in ({"advance": -86400}, {"now": "2026-11-23T12:00:00Z"}, {"advance": -1, "frozen": False}):
        refused = client.post("/_emulator/clock", json=body)
        assert refused.status_code == 409 and "cannot move back" in refused.json["error"]
    assert client.get("/_emulator/clock").json == clock
    sent = client.get(f"/v2/access/mass-messages/{receipt['id']}", headers=OFAUTH)
    assert sent.status_code == 200
    assert client.post("/_emulator/clock", json={"advance": 60}).status_code == 200  # forward is always fine


def test_an_unused_session_moves_back_and_its_history_is_rebuilt_there():
    app = create_app({"clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    later = client.get(f"{OFAPI}/mass-messaging/overview?limit=1", headers=ONLYFANSAPI).json["data"]["items"][0]
    client.post("/_emulator/reset", json={})
    assert client.post("/_emulator/clock", json={"advance": -86400}).json["now"] == "2026-11-23T12:00:00+00:00"
    earlier = client.get(f"{OFAPI}/mass-messaging/overview?limit=1", headers=ONLYFANSAPI).json["data"]["items"][0]
    # The same history, as seen from a day before: the newest message went out a day earlier.
    assert earlier["id"] == later["id"]
    gap = datetime.fromisoformat(later["date"]) - datetime.fromisoformat(earlier["date"])
    assert gap == timedelta(days=1)


def test_a_window_never_outlasts_its_length_when_time_goes_back():
    windows = KeyWindows(per_minute=2, per_day=None)
    windows.hit(1_000_000.0)
    windows.hit(1_000_000.0)
    windows.hit(1_000_000.0 - 86_400)  # a state import set the clock a day back: no day-long lock-out
    assert windows.report(1_000_000.0 - 86_400)["remaining_minute"] == 1


def test_an_imported_state_brings_its_seed():
    seeded = create_app({"seed": 7, "clock_start": NOW, "clock_frozen": True}).test_client()
    plain = create_app({"clock_start": NOW, "clock_frozen": True}).test_client()
    message = paid_message(seeded)
    path = OFAUTH_BUYERS.format(id=message)
    state = seeded.get("/_emulator/state").json
    assert state["seed"] == 7
    assert plain.get(path, headers=OFAUTH).json["list"] != seeded.get(path, headers=OFAUTH).json["list"]
    assert plain.put("/_emulator/state", json=state).status_code == 200
    assert plain.get(path, headers=OFAUTH).json["list"] == seeded.get(path, headers=OFAUTH).json["list"]
    assert plain.get("/_emulator/state").json["seed"] == 7


def test_the_state_file_keeps_its_seed_or_refuses_another(tmp_path):
    path = str(tmp_path / "state.json")
    first = create_app({"seed": 7, "state_file": path, "clock_start": NOW, "clock_frozen": True})
    message = paid_message(first.test_client())
    buyers = first.test_client().get(OFAUTH_BUYERS.format(id=message), headers=OFAUTH).json["list"]
    snapshot.save(first.extensions["emulator.sessions"].get("default"), path)

    restarted = create_app({"state_file": path})  # no --seed: the file's
    assert restarted.extensions["emulator.sessions"].get("default").seed == 7
    assert restarted.test_client().get(OFAUTH_BUYERS.format(id=message), headers=OFAUTH).json["list"] == buyers
    assert create_app({"seed": 7, "state_file": path}).extensions["emulator.sessions"].get("default").seed == 7
    with pytest.raises(fixtures.FixtureError, match="saved under seed 7, not 8: start with --seed 7"):
        create_app({"seed": 8, "state_file": path})


@pytest.mark.parametrize("path, headers", [
    ("/v2/access/analytics/mass-messages/purchased", OFAUTH),  # OFAuth's query integers
    ("/_emulator/requests", {}),  # the admin API's
])
def test_every_query_integer_takes_ascii_digits_around_ascii_spaces(client, path, headers):
    assert client.get(path, query_string={"limit": "\t2 "}, headers=headers).status_code == 200
    for odd in ("\x1c2", "2\x1f", "\u00a02", "２"):
        assert client.get(path, query_string={"limit": odd}, headers=headers).status_code == 400, repr(odd)
