"""Start-up does only what the first request needs: Faker, the state code, waitress and a session's world wait
until something uses them, and what they give then is what they gave when built at once."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from emulator import create_app, resources
from emulator.domain import fixtures
from emulator.domain.fakes import Fakes

from .conftest import NOW, OFAUTH

LARGE_OFAUTH = {"apiKey": "ofa_test_large_5a1e", "x-connection-id": "conn_large_main"}
LARGE_ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_large_9c4d"}
LARGE_ACCOUNT = "acct_5f0a3c9e2b7d4e61a8c0f1d2e3b4a596"
DEFERRED = ("faker", "waitress", "emulator.server.waitress_server", "emulator.harness.snapshot")
PROBE = """
import sys
import emulator.cli
from emulator.app import create_app

app = create_app({options!r})
client = app.test_client()
assert client.get("/_emulator/health").status_code == 200
print(" ".join(name for name in {deferred!r} if name in sys.modules))
assert client.get("/v2/access/mass-messages", headers={headers!r}).status_code == 200
print(" ".join(name for name in {deferred!r} if name in sys.modules))
"""


def imported(options: dict[str, str], headers: dict[str, str]) -> list[str]:
    """Which of DEFERRED a fresh interpreter has imported after serving health, then after a vendor request."""
    probe = PROBE.format(options=options, deferred=DEFERRED, headers=headers)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


@pytest.mark.parametrize("options, headers", [({}, OFAUTH), ({"fixtures": "large"}, LARGE_OFAUTH)])
def test_the_app_imports_faker_only_when_a_request_needs_a_world(options, headers):
    after_health, after_vendor_request = imported(options, headers)
    assert after_health == ""
    assert after_vendor_request == "faker"


def large(built_at_start: bool = False):
    app = create_app({"fixtures": "large", "clock_start": NOW, "clock_frozen": True})
    if built_at_start:
        assert app.extensions["emulator.sessions"].get("default").world.creator(412000101).people.size == 125_000
    return app.test_client()


def test_a_large_session_first_fan_pages_are_what_they_were():
    client = large()
    page = client.get("/v2/access/subscribers?limit=5&offset=10", headers=LARGE_OFAUTH).json["list"]
    assert [fan["id"] for fan in page] == [616811485, 616811473, 616811469, 616811464, 616811453]
    first = page[0]
    assert (first["lastSeen"], first["subscription"]["subscribedAt"], first["spending"]["total"]) == (
        "2026-11-23T23:56:52+00:00", "2026-11-24T09:49:02+00:00", 45.0)
    assert [listed["id"] for listed in first["lists"]] == ["fans", "recent", 2003]
    expired = client.get(f"/api/{LARGE_ACCOUNT}/fans/expired?limit=5", headers=LARGE_ONLYFANSAPI).json["data"]
    assert [fan["id"] for fan in expired["list"]] == [616787560, 616787464, 616787413, 616787348, 616787296]


def test_a_world_built_on_first_use_answers_as_one_built_at_start():
    paths = ["/v2/access/subscribers?limit=20&offset=40", "/v2/access/users/lists/2002/users?limit=20",
             "/v2/access/mass-messages", "/v2/access/analytics/mass-messages/sent"]
    late, early = large(), large(built_at_start=True)
    assert [late.get(path, headers=LARGE_OFAUTH).get_data() for path in paths] == [
        early.get(path, headers=LARGE_OFAUTH).get_data() for path in paths]


def test_a_world_built_after_the_clock_moved_is_the_one_of_the_session_start():
    moved_first = create_app({"clock_start": NOW, "clock_frozen": True}).test_client()
    assert moved_first.post("/_emulator/clock", json={"advance": 86_400}).status_code == 200
    built_first = create_app({"clock_start": NOW, "clock_frozen": True}).test_client()
    assert built_first.get("/v2/access/mass-messages", headers=OFAUTH).status_code == 200
    assert built_first.post("/_emulator/clock", json={"advance": 86_400}).status_code == 200
    for path in ("/v2/access/mass-messages", "/v2/access/mass-messages/scheduled", "/v2/access/subscribers"):
        assert moved_first.get(path, headers=OFAUTH).get_data() == built_first.get(path, headers=OFAUTH).get_data()


def test_a_fixture_the_world_cannot_be_built_from_is_refused_at_start(tmp_path):
    document = yaml.safe_load(resources.default_fixtures().read_text(encoding="utf-8"))
    document["creators"][0]["user_lists"].append({"id": 1009, "name": "Stranger", "users": [5551]})
    path = tmp_path / "stranger.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match="5551, who is not a fan"):
        create_app({"fixtures": str(path)})


@pytest.mark.parametrize("queued, fragment", [
    ({"text": "Hi", "media": [999], "user_lists": ["fans"]}, r"media \[999\] is not in the creator's vault"),
    ({"text": "Hi", "user_lists": [4040]}, "the creator has no user list 4040"),
    ({"text": "Hi"}, "name its recipients"),
    ({"text": " ", "user_lists": ["fans"]}, "a message needs text or media"),
    ({"text": "Hi", "price": 5, "user_lists": ["fans"]}, "a paid message needs media"),
])
def test_a_queued_message_the_queue_would_refuse_is_refused_at_start(tmp_path, queued, fragment):
    path = tmp_path / "queue.yaml"
    path.write_text(yaml.safe_dump({"creators": [{"id": 77, "user_lists": [{"id": "fans", "members": 3}],
                                                  "queue": [{**queued, "sent_ago": 10}]}]}), encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match=f"creator 77, queue entry 1: {fragment}"):
        create_app({"fixtures": str(path)})


def test_more_messages_than_a_session_keeps_are_refused_at_start(tmp_path):
    path = tmp_path / "full.yaml"
    path.write_text(yaml.safe_dump({"settings": {"max_messages": 3}, "creators": [
        {"id": 77, "user_lists": [{"id": "fans", "members": 3}], "history": {"weeks": 1, "per_week": 3},
         "queue": [{"text": "Hi", "user_lists": ["fans"], "sent_ago": 10}]}]}), encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match="max_messages is fewer than"):
        create_app({"fixtures": str(path)})


def test_fakes_draw_the_same_whatever_is_drawn_first():
    names_first, media_first = Fakes(7), Fakes(7)
    person = names_first.person(500012345)
    media = media_first.vault_media(4100000001, "video")
    assert names_first.vault_media(4100000001, "video") == media
    assert media_first.person(500012345) == person


@pytest.mark.parametrize("path", [*resources.bundled("fixtures").values(), *resources.bundled("faults").values()])
def test_the_yaml_loader_reads_the_bundled_files_as_safe_load_does(path):
    text = path.read_text(encoding="utf-8")
    assert fixtures.parse_yaml(text) == yaml.safe_load(text)


def test_the_yaml_loader_keeps_the_last_of_repeated_keys_and_refuses_python_tags():
    assert fixtures.parse_yaml("seed: 1\nseed: 2\n") == {"seed": 2}
    with pytest.raises(yaml.YAMLError):
        fixtures.parse_yaml("!!python/object/apply:os.getcwd []")
