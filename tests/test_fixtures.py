"""Fixture documents: the default loads; a broken one is refused with a message saying where."""
from __future__ import annotations

import pytest

from emulator import create_app, resources
from emulator.domain import fixtures


def test_default_fixtures_declare_both_vendors():
    document = fixtures.load(resources.default_fixtures())
    assert len(document["creators"]) == 3
    assert document["ofauth_keys"] and document["onlyfansapi_keys"]


@pytest.mark.parametrize("text, fragment", [
    ("- just a list", "must be a mapping"),
    ("creators: [{id: 0}]", "creators"),
    ("creators: [{id: 1}]\nofauth_keys: [{key: k, connections: [{id: conn_x, creator: 2}]}]", "unknown creator 2"),
    ("creators: [{id: 1}]\nonlyfansapi_keys: [{key: k, accounts: [{id: acct_short, creator: 1}]}]", "accounts"),
    ("creators: [{id: 1, vault: [{id: 5, type: hologram}]}]", "vault"),
    ("creators: [{id: 1}\n", "cannot read"),
])
def test_broken_fixture_is_refused(tmp_path, text, fragment):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(fixtures.FixtureError, match=fragment):
        create_app({"fixtures": str(path)})


def test_minimal_fixture_gets_faker_filler(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("creators: [{id: 77, user_lists: [{id: fans, members: 3}]}]\n"
                    "ofauth_keys: [{key: k, permissions: [messages:read, messages:write],"
                    " connections: [{id: conn_t, creator: 77}]}]\n")
    client = create_app({"fixtures": str(path)}).test_client()
    headers = {"apiKey": "k", "x-connection-id": "conn_t"}
    created = client.post("/v2/access/mass-messages", json={"text": "hi", "userLists": ["fans"]}, headers=headers)
    message = client.get(f"/v2/access/mass-messages/{created.json['id']}", headers=headers).json
    assert message["fromUser"]["id"] == 77 and len(message["fromUser"]["name"].split()) == 2
