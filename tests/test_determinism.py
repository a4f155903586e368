"""One seed drives everything: the same seed and requests give byte-identical responses."""
from __future__ import annotations

from emulator import create_app

from .conftest import ACCOUNT, FUTURE, NOW, OFAUTH, ONLYFANSAPI


def transcript(seed: int) -> list[bytes]:
    """Run a fixed sequence of requests against a fresh app and return the raw response bodies."""
    client = create_app({"seed": seed, "clock_start": NOW, "clock_frozen": True}).test_client()
    bodies = []
    created = client.post("/v2/access/mass-messages", headers=OFAUTH, json={
        "text": "Same every time", "userLists": ["fans"], "scheduledDate": FUTURE,
        "mediaItems": [4100000001, "https://example.com/new.jpg"]})
    bodies.append(created.get_data())
    message_id = created.json["id"]
    for response in (
        client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH),
        client.put(f"/api/{ACCOUNT}/mass-messaging/{message_id}", json={"text": "v2"}, headers=ONLYFANSAPI),
        client.post("/v2/access/mass-messages", headers=OFAUTH, json={"price": -1}),
        client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH),
        client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH),
    ):
        bodies.append(response.get_data())
    return bodies


def test_same_seed_gives_byte_identical_responses():
    assert transcript(7) == transcript(7)


def test_other_seed_gives_other_filler_and_request_ids():
    first, second = transcript(7), transcript(8)
    assert first[1] != second[1]
    assert first[3] != second[3]
