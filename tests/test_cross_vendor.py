"""One queue, two vendors: create through OFAuth, update through OnlyFansAPI, read and delete."""
from __future__ import annotations

from .conftest import ACCOUNT, FUTURE, OFAUTH, ONLYFANSAPI, create


def test_create_update_read_delete_across_vendors(client):
    receipt = create(client, text="Draft", mediaItems=[4100000001], scheduledDate=FUTURE).json
    message_id = receipt["id"]

    update = {"text": "Final copy", "price": 15, "mediaFiles": ["4100000004", "4100000001"],
              "previews": ["4100000001"], "userLists": ["1001"]}
    updated = client.put(f"/api/{ACCOUNT}/mass-messaging/{message_id}", json=update, headers=ONLYFANSAPI)
    assert updated.status_code == 200
    assert updated.json["data"]["total"] == 48

    message = client.get(f"/v2/access/mass-messages/{message_id}", headers=OFAUTH).json
    assert message["text"] == "Final copy"
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
