"""OFAuth auth: apiKey, x-connection-id and permissions, each with its documented error type."""
from __future__ import annotations

import pytest

from .conftest import OFAUTH, create

MAIN_KEY = OFAUTH["apiKey"]


@pytest.mark.parametrize("headers, status, error_type", [
    ({}, 401, "UNAUTHORIZED"),
    ({"apiKey": "ofa_nope", "x-connection-id": "conn_emulator_main"}, 401, "UNAUTHORIZED"),
    ({"apiKey": MAIN_KEY}, 401, "SESSION_NOT_PROVIDED"),
    ({"apiKey": MAIN_KEY, "x-connection-id": "conn_unknown"}, 401, "SESSION_NOT_PROVIDED"),
    ({"apiKey": MAIN_KEY, "x-connection-id": "conn_emulator_readonly"}, 401, "SESSION_NOT_PROVIDED"),
    ({"apiKey": MAIN_KEY, "x-connection-id": "conn_emulator_expired"}, 401, "SESSION_EXPIRED"),
    ({"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}, 403, "FORBIDDEN"),
])
def test_create_refuses_bad_credentials(client, headers, status, error_type):
    response = client.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]}, headers=headers)
    assert response.status_code == status
    assert response.json["type"] == error_type
    assert response.json["requestId"].startswith("req_")


def test_header_names_are_case_insensitive(client):
    headers = {"apikey": MAIN_KEY, "X-Connection-Id": "conn_emulator_main"}
    response = client.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]}, headers=headers)
    assert response.status_code == 200


def test_expired_connection_says_what_to_do(client):
    response = client.get("/v2/access/mass-messages/3100000001",
                          headers={"apiKey": MAIN_KEY, "x-connection-id": "conn_emulator_expired"})
    assert response.json["actionRequired"] == "relink_connection"


def test_read_only_key_can_read(client):
    message_id = create(client).json["id"]
    headers = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}
    assert client.get(f"/v2/access/mass-messages/{message_id}", headers=headers).status_code == 200
    assert client.delete(f"/v2/access/mass-messages/{message_id}", headers=headers).status_code == 403


def test_connection_only_sees_its_creators_messages(client):
    message_id = create(client).json["id"]
    other = {**OFAUTH, "x-connection-id": "conn_emulator_second"}
    response = client.get(f"/v2/access/mass-messages/{message_id}", headers=other)
    assert response.status_code == 404
    assert response.json["type"] == "RESOURCE_NOT_FOUND"


def test_every_response_carries_rate_limit_headers(client):
    response = create(client)
    assert response.headers["X-RateLimit-Limit"] == "90"
    assert response.headers["X-RateLimit-Remaining"] == "89"
    assert int(response.headers["X-RateLimit-Reset"]) > 0
