"""OnlyFansAPI's queue and saved-for-later: list, count, publish, and what each message shows on the way."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, FUTURE, ONLYFANSAPI
from .media_live import live_onlyfansapi_client, live_session  # noqa: F401  (fixtures)

API = f"/api/{ACCOUNT}"
WINDOW = {"publishDateStart": "2026-11-24", "publishDateEnd": "2026-12-31", "timezone": "UTC"}


def queue(client, **params):
    return client.get(f"{API}/queue", query_string={**WINDOW, **params}, headers=ONLYFANSAPI)


def counts(client, **params):
    return client.get(f"{API}/queue/counts", query_string={**WINDOW, **params}, headers=ONLYFANSAPI).json["data"]


def test_sdk_saved_for_later_list_publish_sent(live, live_onlyfansapi):
    sent = live_onlyfansapi.mass_messaging.send(ACCOUNT, text="**Later**", user_lists=["1001"], save_for_later=True)
    saved = live_onlyfansapi.saved_for_later.messages.list(ACCOUNT, limit=10, offset=0)
    item = next(entry for entry in saved.data.list if entry.id == sent.data.id)
    assert item.publish_date_time is None and item.entity.queue_id == sent.data.id and item.entity.is_from_queue
    assert live_onlyfansapi.queue.publish(str(sent.data.id), account=ACCOUNT).data.success is True
    assert all(entry.id != sent.data.id
               for entry in live_onlyfansapi.saved_for_later.messages.list(ACCOUNT, limit=10, offset=0).data.list)
    live.advance(2)
    listed = live_onlyfansapi.mass_messaging.list(ACCOUNT).data
    published = next(entry for entry in listed if entry.id == sent.data.id)
    assert published.is_ready is True and published.total == 48


def test_sdk_queue_lists_and_counts_a_scheduled_message(live, live_onlyfansapi):
    before = live_onlyfansapi.queue.count(ACCOUNT, publish_date_start="2026-11-24", publish_date_end="2026-12-31",
                                          timezone="Europe/Prague").to_dict()["data"]["list"]
    sent = live_onlyfansapi.mass_messaging.send(ACCOUNT, text="Soon", user_lists=["fans"],
                                                scheduled_date="2026-12-01T23:30:00.000Z")
    after = live_onlyfansapi.queue.count(ACCOUNT, publish_date_start="2026-11-24", publish_date_end="2026-12-31",
                                         timezone="Europe/Prague").to_dict()["data"]["list"]
    assert after["2026-12-02"]["chat"] == before.get("2026-12-02", {}).get("chat", 0) + 1  # Prague is UTC+1
    listed = live_onlyfansapi.queue.list(ACCOUNT, publish_date_start="2026-12-02", publish_date_end="2026-12-02",
                                         timezone="Europe/Prague", type=["chat", "post"])
    entry = next(item for item in listed.data.list if item.id == sent.data.id)
    assert entry.publish_date_time == "2026-12-02T00:30:00+01:00" and entry.entity.user_lists == ["fans"]
    live_onlyfansapi.queue.publish(str(sent.data.id), account=ACCOUNT)
    gone = live_onlyfansapi.queue.count(ACCOUNT, publish_date_start="2026-11-24", publish_date_end="2026-12-31",
                                        timezone="Europe/Prague").to_dict()["data"]["list"]
    assert gone == before


def test_saved_item_shows_its_fans(client):
    client.post(f"{API}/mass-messaging", json={"text": "Just you", "userIds": ["5001"], "saveForLater": True},
                headers=ONLYFANSAPI)
    entity = client.get(f"{API}/saved-for-later/messages", headers=ONLYFANSAPI).json["data"]["list"][-1]["entity"]
    assert entity["userIds"] == ["5001"] and entity["sentRulesType"] == "user" and entity["scheduledAt"] is None


def test_queue_type_post_lists_nothing_and_limit_applies(client):
    client.post(f"{API}/mass-messaging", json={"text": "a", "userLists": ["fans"], "scheduledDate": FUTURE},
                headers=ONLYFANSAPI)
    assert queue(client, type="post").json["data"]["list"] == []
    assert len(queue(client, limit=1).json["data"]["list"]) == 1
    assert len(queue(client).json["data"]["list"]) == 2


def test_publishing_a_sent_or_unknown_message_is_refused(client):
    sent = client.put(f"{API}/queue/3100000003/publish", headers=ONLYFANSAPI)
    assert sent.status_code == 400 and "already been sent" in sent.json["message"]
    assert client.put(f"{API}/queue/999/publish", headers=ONLYFANSAPI).status_code == 404


@pytest.mark.parametrize("params, field", [
    ({"publishDateStart": "2026-11-23"}, "publishDateStart"),
    ({"publishDateEnd": "2026-11-23"}, "publishDateEnd"),
    ({"publishDateStart": "2026-13-01"}, "publishDateStart"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"limit": 0}, "limit"),
    ({"type": "chat,story"}, "type"),
])
def test_queue_refuses_bad_windows(client, params, field):
    response = queue(client, **params)
    assert response.status_code == 422 and field in response.json["errors"]


def test_queue_needs_its_window(client):
    response = client.get(f"{API}/queue/counts", headers=ONLYFANSAPI)
    assert response.status_code == 422 and {"publishDateStart", "publishDateEnd", "timezone"} <= set(
        response.json["errors"])
