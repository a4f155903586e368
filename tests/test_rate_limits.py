"""Real rate limits on the emulator's clock: OFAuth's token bucket, OnlyFansAPI's windows and credits."""
from __future__ import annotations

import pytest

from emulator import create_app

from .conftest import NOW, SpecCheckingClient

TINY = """
creators: [{id: 7, user_lists: [{id: fans, members: 5}], queue: [{text: hi, user_lists: [fans], scheduled_in: 600}]}]
ofauth_keys:
  - {key: k, permissions: [messages:read, messages:write], burst: 3, refill_per_minute: 30,
     connections: [{id: conn_a, creator: 7}, {id: conn_b, creator: 7}]}
onlyfansapi_keys:
  - {key: b, credits: 4, limit_minute: 2, limit_day: 3, accounts: [{id: acct_0123456789abcdef0123456789abcdef, creator: 7}]}
"""
ITEM = "/v2/access/mass-messages/3100000001"
UPDATE = "/api/acct_0123456789abcdef0123456789abcdef/mass-messaging/3100000001"


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    app = create_app({"fixtures": str(path), "clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    return app.test_client()


def advance(client, seconds):
    assert client.post("/_emulator/clock", json={"advance": seconds}).status_code == 200


def test_ofauth_bucket_empties_then_refills_on_the_clock(tiny):
    headers = {"apiKey": "k", "x-connection-id": "conn_a"}
    remaining = [tiny.get(ITEM, headers=headers).headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = tiny.get(ITEM, headers=headers)
    assert limited.status_code == 429
    assert limited.json["type"] == "RATE_LIMIT_EXCEEDED"
    assert limited.headers["Retry-After"] == "2"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert tiny.get(ITEM, headers={**headers, "x-connection-id": "conn_b"}).status_code == 200
    advance(tiny, 2)
    assert tiny.get(ITEM, headers=headers).status_code == 200
    assert tiny.get(ITEM, headers=headers).status_code == 429


def test_onlyfansapi_minute_and_day_windows(tiny):
    headers = {"Authorization": "Bearer b"}
    first = tiny.put(UPDATE, json={"text": "1"}, headers=headers).json["_meta"]["_rate_limits"]
    assert first == {"limit_minute": 2, "limit_day": 3, "remaining_minute": 1, "remaining_day": 2}
    assert tiny.put(UPDATE, json={"text": "2"}, headers=headers).status_code == 200
    limited = tiny.put(UPDATE, json={"text": "3"}, headers=headers)
    assert limited.status_code == 429 and limited.json == {"message": "Too Many Attempts."}
    assert limited.headers["Retry-After"] == "60"
    advance(tiny, 60)
    third = tiny.put(UPDATE, json={"text": "3"}, headers=headers).json["_meta"]["_rate_limits"]
    assert third["remaining_day"] == 0
    advance(tiny, 60)
    day_limited = tiny.put(UPDATE, json={"text": "4"}, headers=headers)
    assert day_limited.status_code == 429 and int(day_limited.headers["Retry-After"]) > 80_000


def test_onlyfansapi_credits_run_out(tmp_path):
    path = tmp_path / "credits.yaml"
    path.write_text(TINY.replace("credits: 4", "credits: 2").replace("limit_minute: 2, limit_day: 3",
                                                                     "limit_minute: 100, limit_day: 100"))
    client = create_app({"fixtures": str(path)}).test_client()
    headers = {"Authorization": "Bearer b"}
    balances = [client.put(UPDATE, json={"text": "x"}, headers=headers).json["_meta"]["_credits"]["balance"]
                for _ in range(2)]
    assert balances == [1, 0]
    broke = client.put(UPDATE, json={"text": "x"}, headers=headers)
    assert broke.status_code == 402


def test_failed_calls_cost_no_credit(tiny):
    headers = {"Authorization": "Bearer b"}
    assert tiny.put(UPDATE, json={}, headers=headers).status_code == 422
    ok = tiny.put(UPDATE, json={"text": "x"}, headers=headers).json["_meta"]
    assert ok["_credits"]["balance"] == 3
    assert ok["_rate_limits"]["remaining_minute"] == 0


@pytest.mark.parametrize("body", [{}, {"advance": "1"}, {"now": "never"}, {"frozen": 1}, {"tick": 1}])
def test_clock_refuses_bad_moves(tiny, body):
    assert tiny.post("/_emulator/clock", json=body).status_code == 400


def test_clock_moves_and_reports(tiny):
    assert tiny.get("/_emulator/clock").json == {"now": "2026-11-24T12:00:00+00:00", "epoch": 1795521600.0,
                                                 "frozen": True}
    moved = tiny.post("/_emulator/clock", json={"now": "2026-12-01T00:00:00Z"}).json
    assert moved["now"] == "2026-12-01T00:00:00+00:00"
