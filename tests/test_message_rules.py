"""The message as the guides write it: PPV price rules, markdown, error types, and the guide-read fields."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, FUTURE, OFAUTH, ONLYFANSAPI, create, queue_size

GUIDE_EXAMPLES = [
    ("**Hey!** Check out my *exclusive* content 💕\n\n~~Click here~~ for something special",
     ('<p><strong>Hey!</strong> Check out my <em>exclusive</em> content 💕<br><br>'
      '<span class="m-editor-fc__blue-2">Click here</span> for something special</p>')),
    ("**Thank you** for all the support!\n\n~Limited time only~\n\nCheck out this ***exclusive*** content below 👇",
     ('<p><strong>Thank you</strong> for all the support!<br><br><span class="m-editor-fc__gray">Limited time only'
      '</span><br><br>Check out this <span class="m-editor-fc__blue-1"><em><strong>exclusive</strong></em></span>'
      ' content below 👇</p>')),
    ("__bold__ _it_ ___vip___", ('<p><strong>bold</strong> <em>it</em> '
                                 '<span class="m-editor-fc__blue-1"><em><strong>vip</strong></em></span></p>')),
    ("# Big news\n## New set", ('<p><span class="m-editor-fs__lg">Big news</span><br>'
                                 '<span class="m-editor-fs__l">New set</span></p>')),
    ("snake_case_name 2*3*4 a**b**c <3 & more", "<p>snake_case_name 2*3*4 a**b**c &lt;3 &amp; more</p>"),
]


@pytest.mark.parametrize("price", [0.5, 1, 2.5, 2.99, 200.01, 500])
def test_ofauth_refuses_ppv_prices_outside_3_to_200(client, price):
    before = queue_size(client)
    response = create(client, price=price, mediaItems=[4100000001])
    assert response.status_code == 400 and response.json["details"][0]["field"] == "price"
    assert queue_size(client) == before


@pytest.mark.parametrize("price", [0, 3, 9.99, 200])
def test_ofauth_accepts_free_and_ppv_prices(client, price):
    assert create(client, price=price, mediaItems=[4100000001]).status_code == 200


def test_ofauth_paid_message_needs_media(client):
    response = create(client, price=10)
    assert response.status_code == 400 and response.json["details"][0]["field"] == "mediaItems"


@pytest.mark.parametrize("body, field", [
    ({"text": "x", "userLists": ["fans"], "price": 2}, "price"),
    ({"text": "x", "userLists": ["fans"], "price": 10}, "mediaFiles"),
])
def test_onlyfansapi_price_rules(client, body, field):
    response = client.post(f"/api/{ACCOUNT}/mass-messaging", json=body, headers=ONLYFANSAPI)
    assert response.status_code == 422 and field in response.json["errors"]


def test_onlyfansapi_update_cannot_drop_the_media_of_a_paid_message(client):
    sent = client.post(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI, json={
        "text": "x", "userLists": ["fans"], "price": 10, "mediaFiles": ["4100000001"], "scheduledDate": FUTURE})
    response = client.put(f"/api/{ACCOUNT}/mass-messaging/{sent.json['data']['id']}", headers=ONLYFANSAPI,
                          json={"text": "y", "mediaFiles": []})
    assert response.status_code == 422 and "mediaFiles" in response.json["errors"]


@pytest.mark.parametrize("text, html", GUIDE_EXAMPLES)
def test_markdown_is_converted_as_the_guide_shows(client, text, html):
    message_id = create(client, text=text).json["id"]
    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["text"] == html and message["rawText"] == text and message["isMarkdownDisabled"] is False


def test_markdown_false_keeps_the_text_raw(client):
    message_id = create(client, text="<p>Raw HTML content</p>", isMarkdown=False).json["id"]
    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["text"] == "<p>Raw HTML content</p>" and message["isMarkdownDisabled"] is True


def test_converted_text_shows_in_the_analytics_list(client):
    create(client, text="**Hey!**")
    assert client.post("/_emulator/clock", json={"advance": 60}).status_code == 200
    items = client.get("/v2/access/analytics/mass-messages/sent", headers=OFAUTH).json["items"]
    assert items[0]["text"] == "<p><strong>Hey!</strong></p>" and items[0]["rawText"] == "**Hey!**"


def test_expired_connection_says_relink_connection(client):
    response = client.get("/v2/access/mass-messages", headers={**OFAUTH, "x-connection-id": "conn_emulator_expired"})
    assert response.status_code == 401
    assert response.json["type"] == "SESSION_EXPIRED" and response.json["actionRequired"] == "relink_connection"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_injected_server_errors_are_unknown_error_try_again(client, status):
    client.post("/_emulator/faults", json={"respond": {"status": status}})
    response = client.get("/v2/access/mass-messages", headers=OFAUTH)
    assert response.status_code == status
    assert response.json["type"] == "UNKNOWN_ERROR" and response.json["actionRequired"] == "try_again"


def test_receipt_carries_scheduled_date(client):
    receipt = create(client, scheduledDate=FUTURE).json
    assert receipt["scheduledDate"] == "2026-12-01T18:00:00+00:00" == receipt["date"]
    assert create(client).json["scheduledDate"] is None


def test_sent_list_serves_the_guides_keys_beside_the_sdks(client):
    body = client.get("/v2/access/analytics/mass-messages/sent", headers=OFAUTH).json
    assert body["list"] == body["items"] and body["items"]
    paid = next(item for item in body["items"] if item["price"] != "0.00")
    assert paid["totalAmount"] == round(paid["purchasedCount"] * float(paid["price"]), 2)
    assert paid["createdAt"].endswith("+00:00")


def test_buyers_carry_the_amount_they_paid(client):
    sent = client.get("/v2/access/analytics/mass-messages/purchased", headers=OFAUTH).json["items"][0]
    buyers = client.get(f"/v2/access/analytics/mass-messages/{sent['id']}/buyers", headers=OFAUTH).json["list"]
    assert buyers and all(buyer["amount"] == float(sent["price"]) for buyer in buyers)
