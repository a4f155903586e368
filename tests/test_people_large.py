"""The bundled ``large`` fixture: one creator with 100,000 active fans, held as rules and bitmaps."""
from __future__ import annotations

import tracemalloc

import pytest

from emulator import create_app, resources
from emulator.domain import fixtures
from emulator.domain.world import World

OFAUTH = {"apiKey": "ofa_test_large_5a1e", "x-connection-id": "conn_large_main"}
ACCOUNT = "acct_5f0a3c9e2b7d4e61a8c0f1d2e3b4a596"


@pytest.fixture(scope="module")
def client():
    app = create_app({"fixtures": "large", "clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True})
    return app.test_client()


def test_the_large_population_costs_bytes_per_fan_not_objects():
    document = fixtures.load(resources.bundled("fixtures")["large"])
    tracemalloc.start()
    world = World(document, 7, 1_795_521_600.0)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    people = world.creator(412000101).people
    assert people.size == 125_000 and people.active.bit_count() == 100_000
    assert held / people.size < 50  # the lists and the audiences of the seeded history included


def test_a_whole_audience_and_the_last_page(client):
    sent = client.post("/v2/access/mass-messages", json={"text": "Hi all", "userLists": ["fans"]}, headers=OFAUTH)
    assert sent.json["total"] == 100_000
    mixed = client.post("/v2/access/mass-messages", headers=OFAUTH, json={
        "text": "Hi", "userLists": [2001, 2003], "excludeUserLists": [2002]}).json["total"]
    world = client.application.extensions["emulator.sessions"].get("default").world
    lists = world.creator(412000101).user_lists
    assert mixed == ((lists["2001"].members | lists["2003"].members) & ~lists["2002"].members).bit_count()
    last = client.get("/v2/access/users/lists/fans/users?limit=100&offset=99950", headers=OFAUTH).json
    assert len(last["list"]) == 50 and last["hasMore"] is False and last["nextOffset"] == 100_000
    first = client.get("/v2/access/users/lists/fans/users?limit=1", headers=OFAUTH).json["list"][0]
    newest = client.get("/v2/access/subscribers?type=active&limit=1", headers=OFAUTH).json["list"][0]
    assert first["id"] == newest["id"]
