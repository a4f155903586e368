"""One queue, two vendors: every route of both agrees on a message from creation to deletion."""
from __future__ import annotations

import pytest
import yaml

from emulator import create_app

from .conftest import ACCOUNT, FUTURE, NOW, OFAUTH, ONLYFANSAPI, ROOT, SpecCheckingClient, create


def test_create_update_read_delete_across_vendors(client):
    receipt = create(client, text="Draft", mediaItems=[4100000001], scheduledDate=FUTURE).json
    message_id = receipt["id"]

    update = {"text": "Final copy", "price": 15, "mediaFiles": ["4100000004", "4100000001"],
              "previews": ["4100000001"], "userLists": ["1001"]}
    updated = client.put(f"/api/{ACCOUNT}/mass-messaging/{message_id}", json=update, headers=ONLYFANSAPI)
    assert updated.status_code == 200
    assert updated.json["data"]["total"] == 48

    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["rawText"] == "Final copy"
    assert [media["id"] for media in message["media"]] == [4100000004, 4100000001]
    assert message["previews"] == [4100000001]
    assert message["changedAt"] >= message["createdAt"]

    deleted = client.delete(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert deleted["queue"]["price"] == "15.00"
    assert client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).status_code == 404
    gone = client.put(f"/api/{ACCOUNT}/mass-messaging/{message_id}", json={"text": "x"}, headers=ONLYFANSAPI)
    assert gone.status_code == 404


def test_account_of_another_creator_cannot_touch_message(client):
    message_id = create(client, scheduledDate=FUTURE).json["id"]
    other = {"Authorization": "Bearer ofapi_test_other_a913"}
    response = client.put(f"/api/acct_795f3202b17cb6bc3d4b771d8c6c9eaf/mass-messaging/{message_id}",
                          json={"text": "x"}, headers=other)
    assert response.status_code == 404


@pytest.fixture
def quiet_client(tmp_path):
    """An emulator whose creators start with empty queues, so one message's figures stand alone."""
    document = yaml.safe_load((ROOT / "fixtures" / "default.yaml").read_text(encoding="utf-8"))
    for creator in document["creators"]:
        creator["queue"], creator["history"] = [], {"weeks": 0}
    path = tmp_path / "quiet.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    app = create_app({"fixtures": str(path), "clock_start": NOW, "clock_frozen": True})
    app.test_client_class = SpecCheckingClient
    return app.test_client()


class Views:
    """Every route's view of one message, read at the same instant."""

    def __init__(self, client, message_id: int) -> None:
        self.client, self.id = client, message_id

    def ofapi(self, path: str, **query):
        response = self.client.get(f"/api/{ACCOUNT}{path}", query_string=query, headers=ONLYFANSAPI)
        return response.status_code, response.json.get("data")

    def ofauth(self, path: str, **query):
        response = self.client.get(path, query_string=query, headers=OFAUTH)
        return response.status_code, response.json

    def find(self, items: list[dict]) -> dict | None:
        return next((item for item in items if item["id"] == self.id), None)

    def read(self) -> dict[str, object]:
        """What each route says of the message (None where it is absent)."""
        analytics = "/v2/access/analytics/mass-messages"
        return {
            "ofauth_get": self.ofauth(f"/v2/access/mass-messages/{self.id}")[1],
            "ofauth_scheduled": self.find(self.ofauth("/v2/access/mass-messages/scheduled", limit=100)[1]["list"]),
            "ofauth_sent": self.find(self.ofauth("/v2/access/mass-messages", limit=100)[1]["list"]),
            "ofauth_analytics_sent": self.find(self.ofauth(f"{analytics}/sent", limit=100)[1]["items"]),
            "ofauth_purchased": self.find(self.ofauth(f"{analytics}/purchased", limit=100)[1]["items"]),
            "ofapi_queue": self.find(self.ofapi("/mass-messaging")[1]),
            "ofapi_retrieve": self.ofapi(f"/mass-messaging/{self.id}")[1],
            "ofapi_overview": self.find(self.ofapi("/mass-messaging/overview", limit=100)[1]["items"]),
            "ofapi_engagement": self.find(self.ofapi("/engagement/messages/mass-messages", limit=100)[1]["items"]),
        }

    def buyers(self) -> tuple[list[dict], list[dict]]:
        """Every buyer through OFAuth (by marker) and through OnlyFansAPI (one big page)."""
        ofauth, marker = [], 0
        while True:
            page = self.ofauth(f"/v2/access/analytics/mass-messages/{self.id}/buyers", marker=marker)[1]
            ofauth += page["list"]
            if not page["hasMore"]:
                break
            marker = page["marker"]
        ofapi = self.ofapi(f"/engagement/messages/{self.id}/buyers", limit=100)[1]["list"]
        return ofauth, ofapi

    def chart(self) -> tuple[dict, dict]:
        window = {"startDate": "2026-11-24T00:00:00Z", "endDate": "2026-11-25T23:59:59Z"}
        ofauth = self.ofauth("/v2/access/analytics/mass-messages/chart", **window)[1]
        return ofauth, self.ofapi("/engagement/messages/mass-messages/chart", **window)[1]


def test_one_message_agrees_across_every_route_of_both_vendors(quiet_client):
    client = quiet_client
    sent = client.post(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI, json={
        "text": "Weekend set 🔥", "userLists": ["fans"], "mediaFiles": ["4100000001", "4100000004"],
        "previews": [0], "price": 10, "scheduledDate": "2026-11-24T13:00:00.000Z"}).json["data"]
    views = Views(client, sent["id"])

    waiting = views.read()
    assert waiting["ofauth_get"]["isNew"] is True and waiting["ofauth_scheduled"]["sentCount"] == 0
    assert waiting["ofapi_queue"]["isReady"] is False and waiting["ofapi_queue"]["pending"] == 1240
    assert waiting["ofapi_retrieve"]["queue"]["sentCount"] == 0
    assert [waiting[name] for name in ("ofauth_sent", "ofauth_analytics_sent", "ofauth_purchased",
                                       "ofapi_overview", "ofapi_engagement")] == [None] * 5
    assert views.buyers() == ([], [])

    client.post("/_emulator/clock", json={"now": "2026-11-24T13:00:10Z"})
    sending = views.read()
    assert sending["ofauth_scheduled"] is None
    assert sending["ofapi_queue"]["isReady"] is True and sending["ofapi_queue"]["pending"] == 1240 - 500
    counts = {name: sending[name]["sentCount"] for name in ("ofauth_sent", "ofauth_analytics_sent",
                                                             "ofapi_overview", "ofapi_engagement")}
    assert set(counts.values()) == {sending["ofapi_retrieve"]["queue"]["sentCount"]} == {500}
    ofauth_chart, ofapi_chart = views.chart()
    assert ofauth_chart["group_messages"]["total"] == ofapi_chart["group_messages"]["total"] == 1

    client.post("/_emulator/clock", json={"now": "2026-11-24T21:00:00Z"})
    settled = views.read()
    bought = settled["ofauth_sent"]["purchasedCount"]
    assert bought > 10
    assert {settled["ofauth_purchased"]["purchasedCount"], settled["ofapi_engagement"]["purchasedCount"],
            settled["ofapi_retrieve"]["queue"]["purchasedCount"],
            settled["ofauth_analytics_sent"]["purchasedCount"]} == {bought}
    viewed = {settled[name]["viewedCount"] for name in ("ofauth_sent", "ofauth_analytics_sent", "ofapi_overview",
                                                         "ofapi_engagement")}
    assert viewed == {settled["ofapi_retrieve"]["queue"]["viewedCount"]}
    ofauth_buyers, ofapi_buyers = views.buyers()
    assert len(ofauth_buyers) == len(ofapi_buyers) == bought
    assert [buyer["id"] for buyer in ofauth_buyers] == [user["id"] for user in ofapi_buyers]
    ofauth_chart, ofapi_chart = views.chart()
    assert ofauth_chart["group_messages_purchases"]["total"] == ofapi_chart["group_messages_purchases"]["total"]
    assert ofauth_chart["group_messages_purchases"]["total"] == round(10 * bought, 2)

    deleted = client.delete(f"/api/{ACCOUNT}/mass-messaging/{sent['id']}", headers=ONLYFANSAPI)
    assert deleted.status_code == 200 and deleted.json["data"]["queue"]["purchasedCount"] == bought
    gone = views.read()
    assert client.get(f"/v2/access/mass-messages/{sent['id']}", headers=OFAUTH).status_code == 404
    assert all(gone[name] is None for name in gone if name not in ("ofauth_get", "ofapi_retrieve"))
    assert views.ofauth(f"/v2/access/analytics/mass-messages/{sent['id']}/buyers")[0] == 404
    assert views.chart()[0]["group_messages"]["total"] == 0
