"""Bad input of every kind gets a clear vendor-shaped 4xx, never a 500, and changes nothing."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, queue_size

CREATE = "/v2/access/mass-messages"
UPDATE = f"/api/{ACCOUNT}/mass-messaging/3100000001"
JSON = {"Content-Type": "application/json"}



@pytest.mark.parametrize("raw, content_type, fragment", [
    (b"{bad json", "application/json", "Malformed JSON"),
    (b"[1, 2]", "application/json", "must be a JSON object"),
    (b'"text"', "application/json", "must be a JSON object"),
    (b'{"text": "a", "text": "b"}', "application/json", "more than once"),
    (b'{"price": NaN}', "application/json", "NaN"),
    (b"\xff\xfe{}", "application/json", "not valid UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json", "nested too deeply"),
    (b'{"price": 1' + b"0" * 5000 + b"}", "application/json", "is too large"),
    (b"text=hello", "application/x-www-form-urlencoded", "Content-Type must be application/json"),
    (b'{"text": "hi"}', "text/plain", "Content-Type must be application/json"),
], ids=["malformed", "array", "string", "duplicate-keys", "nan", "bad-utf8", "deep-nesting", "huge-number",
        "form", "text-plain"])
def test_ofauth_malformed_body_is_bad_request(client, raw, content_type, fragment):
    before = queue_size(client)
    response = client.post(CREATE, data=raw, headers={**OFAUTH, "Content-Type": content_type})
    assert response.status_code == 400
    assert response.json["type"] == "BAD_REQUEST"
    assert fragment in response.json["error"]
    assert queue_size(client) == before


@pytest.mark.parametrize("raw", [b"{bad json", b"[]", b"\xff"])
def test_onlyfansapi_malformed_body_is_bad_request(client, raw):
    response = client.put(UPDATE, data=raw, headers={**ONLYFANSAPI, **JSON})
    assert response.status_code == 400
    assert set(response.json) == {"message"}


def test_huge_body_is_payload_too_large_in_both_dialects(client):
    body = b'{"text": "' + b"a" * (1024 * 1024) + b'"}'
    ofauth = client.post(CREATE, data=body, headers={**OFAUTH, **JSON})
    assert ofauth.status_code == 413 and ofauth.json["type"] == "PAYLOAD_TOO_LARGE"
    onlyfansapi = client.put(UPDATE, data=body, headers={**ONLYFANSAPI, **JSON})
    assert onlyfansapi.status_code == 413 and "message" in onlyfansapi.json


def test_unicode_text_round_trips(client):
    text = "Привет 👋🏽 — ünïcødé \u200d 日本語 \U0001F525"
    response = client.post(CREATE, json={"text": text, "userLists": ["fans"]}, headers=OFAUTH)
    message = client.get(f"{CREATE}/{response.json['id']}", headers=OFAUTH)
    assert message.json["text"] == f"<p>{text}</p>" and message.json["rawText"] == text


@pytest.mark.parametrize("method, path", [
    ("GET", "/v2/access/nothing-here"),
    ("PATCH", "/v2/access/mass-messages/3100000001"),
    ("GET", "/"),
])
def test_ofauth_unknown_route_or_method_is_route_not_found(client, method, path):
    response = client.open(path, method=method, headers=OFAUTH)
    assert response.status_code in (404, 405)
    assert response.json["type"] == "ROUTE_NOT_FOUND"
    assert response.json["requestId"].startswith("req_")


def test_onlyfansapi_unknown_route_and_method(client):
    missing = client.get("/api/acct_x/nothing", headers=ONLYFANSAPI)
    assert missing.status_code == 404
    assert missing.json == {"message": "The route api/acct_x/nothing could not be found."}
    wrong = client.patch(UPDATE, headers=ONLYFANSAPI)
    assert wrong.status_code == 405 and "Supported methods: DELETE, GET, HEAD, PUT." in wrong.json["message"]


def test_odd_header_bytes_do_not_break_auth(client):
    response = client.post(CREATE, json={"text": "x"}, headers={"apiKey": "ключ\x7f", "x-connection-id": "é"})
    assert response.status_code == 401 and response.json["type"] == "UNAUTHORIZED"


def test_unexpected_error_is_vendor_shaped_500(client, monkeypatch):
    from emulator.ofauth import mass_messages

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(mass_messages, "message", broken)
    response = client.get(f"{CREATE}/3100000001", headers=OFAUTH)
    assert response.status_code == 500
    assert response.json["type"] == "UNKNOWN_ERROR" and response.json["actionRequired"] == "try_again"
    assert "boom" not in response.get_data(as_text=True)


def test_huge_array_is_refused_quickly_with_bounded_details(client):
    response = client.post(CREATE, json={"text": "x", "userLists": ["fans"], "mediaItems": list(range(1, 50_001))},
                           headers=OFAUTH)
    assert response.status_code == 400
    assert len(response.json["details"]) == 100
    laravel = client.put(UPDATE, json={"text": "x", "mediaFiles": ["x"] * 50_000}, headers=ONLYFANSAPI)
    assert laravel.status_code == 422
    assert len(laravel.json["errors"]) == 100
    assert laravel.json["message"].endswith("(and 49999 more errors)")


def test_numbers_as_strings_are_refused_where_the_vendor_refuses_them(client):
    response = client.post(CREATE, json={"text": "x", "userLists": ["fans"], "previewMediaCount": "1",
                                         "isLockedText": "false"}, headers=OFAUTH)
    assert {detail["field"] for detail in response.json["details"]} == {"previewMediaCount", "isLockedText"}
    laravel = client.put(UPDATE, json={"text": "x", "price": "0"}, headers=ONLYFANSAPI)
    assert laravel.status_code == 200


def test_admin_token_guards_the_admin_api():
    from emulator import create_app

    client = create_app({"admin_token": "s3cret"}).test_client()
    assert client.get("/_emulator/faults").status_code == 401
    assert client.get("/_emulator/faults", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/_emulator/faults", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).status_code == 200


def test_literal_route_is_not_read_as_an_id(client):
    response = client.get("/v2/access/mass-messages/scheduled", headers=OFAUTH)
    assert response.status_code == 200 and "list" in response.json
