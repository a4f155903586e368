"""Every mass-messaging method of both official SDKs, unchanged but for base_url, against a live emulator."""
from __future__ import annotations

import uuid

import httpx
import pytest

from .conftest import ACCOUNT, ONLYFANSAPI
from .spec_check import httpx_hook

onlyfans_sdk = pytest.importorskip("onlyfans_sdk")
onlyfansapi = pytest.importorskip("onlyfansapi")
from onlyfans_sdk import OFAuthClient, OFAuthError, analytics, mass_messages, messages  # noqa: E402
from onlyfansapi import OnlyFansAPI  # noqa: E402

SESSION = "X-Emulator-Session"


@pytest.fixture
def session(server):
    """A fresh emulator session on the shared server, with its clock pinned."""
    name = f"sdk-{uuid.uuid4().hex[:12]}"
    with httpx.Client(base_url=server.base_url, headers={SESSION: name}) as admin:
        admin.post("/_emulator/clock", json={"now": "2026-11-24T12:00:00Z", "frozen": True}).raise_for_status()
        yield name, admin


@pytest.fixture
def ofauth(server, session):
    client = OFAuthClient(api_key="ofa_test_main_2f7c9e41", connection_id="conn_emulator_main",
                          base_url=server.base_url)
    client._client.headers[SESSION] = session[0]  # the SDK has no default-headers option
    client._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    yield client
    client.close()


@pytest.fixture
def ofapi(server, session):
    http = httpx.Client(event_hooks={"response": [httpx_hook]})
    client = OnlyFansAPI(api_key=ONLYFANSAPI["Authorization"].split()[1], base_url=server.base_url,
                         http_client=http, max_retries=0, default_headers={SESSION: session[0]})
    yield client
    client.close()


def test_onlyfansapi_sdk_mass_messaging_methods(ofapi):
    sent = ofapi.mass_messaging.send(ACCOUNT, text="Hello from the SDK", user_lists=["fans"],
                                     media_files=["4100000001", 4100000004], previews=[0], price=10)
    assert sent.data.id == 3100000005 and sent.data.total == 1240 and sent.data.is_ready is True
    scheduled = ofapi.mass_messaging.send(ACCOUNT, text="Later", user_lists=["1001"],
                                          scheduled_date="2026-12-24T09:00:00.000Z")
    assert scheduled.data.is_ready is False

    queue = ofapi.mass_messaging.list(ACCOUNT)
    assert [item.id for item in queue.data][:2] == [scheduled.data.id, 3100000001]

    retrieved = ofapi.mass_messaging.retrieve(str(sent.data.id), account=ACCOUNT)
    assert retrieved.data.success is True and retrieved.data.queue.text == "Hello from the SDK"

    updated = ofapi.mass_messaging.update(str(scheduled.data.id), account=ACCOUNT, text="Later, edited", price=5,
                                          media_files=["4100000002"])
    assert updated.data.id == scheduled.data.id

    overview = ofapi.mass_messaging.retrieve_overview(ACCOUNT, limit=5, query="hello",
                                                      start_date="2026-11-01 00:00:00",
                                                      end_date="2026-11-24 12:00:00")
    assert [item.id for item in overview.data.items] == [sent.data.id] and overview.data.has_more is False

    deleted = ofapi.mass_messaging.delete(str(sent.data.id), account=ACCOUNT)
    assert deleted.data.queue.is_canceled is True
    assert deleted.api_meta.api_credits.used == 1


def test_onlyfansapi_sdk_engagement_methods(ofapi):
    listed = ofapi.engagement.messages.mass_messages.list(ACCOUNT, limit=5)
    assert len(listed.data.items) == 5 and listed.data.has_more is True
    assert listed.api_pagination.next_page.startswith("http://127.0.0.1:")

    chart = ofapi.engagement.messages.mass_messages.chart(ACCOUNT, start_date="2026-10-25 00:00:00",
                                                          end_date="2026-11-24 12:00:00", with_total=True)
    assert len(chart.data.group_messages.chart) == 31 and chart.data.group_messages.total > 0

    paid = next(item for item in ofapi.engagement.messages.mass_messages.list(ACCOUNT, limit=100).data.items
                if not item.is_free and item.to_dict().get("purchasedCount", 0) > 0)
    buyers = ofapi.engagement.messages.get_message_buyers(str(paid.id), account=ACCOUNT, limit=100)
    assert len(buyers.data.list) == paid.to_dict()["purchasedCount"] and buyers.data.has_more is False


def test_ofauth_sdk_mass_message_functions(ofauth):
    receipt = messages.create_mass_messages(ofauth, body={"text": "From OFAuth", "userLists": ["fans"],
                                                          "scheduledDate": "2026-12-20T10:00:00Z"})
    message_id = str(receipt["id"])
    assert messages.get_mass_messages(ofauth, message_id)["rawText"] == "From OFAuth"

    replaced = messages.replace_mass_messages(ofauth, message_id, body={
        "text": "Replaced", "userLists": [1001], "scheduledDate": "2026-12-21T10:00:00Z"})
    assert replaced["id"] == receipt["id"] and replaced["total"] == 48

    scheduled = mass_messages.list_scheduleds(ofauth, limit=10, offset=0)
    assert [entry["id"] for entry in scheduled["list"]] == [3100000001, receipt["id"]]

    deleted = messages.delete_mass_messages(ofauth, message_id)
    assert deleted["success"] is True and deleted["queue"]["isCanceled"] is True
    with pytest.raises(OFAuthError) as gone:
        messages.get_mass_messages(ofauth, message_id)
    assert gone.value.status == 404


def test_ofauth_sdk_analytics_functions(ofauth):
    chart = analytics.list_mass_messages_charts(ofauth, start_date="2026-10-25T00:00:00Z",
                                                end_date="2026-11-24T12:00:00Z", with_total=True)
    assert len(chart["group_messages"]["chart"]) == 31 and chart["messages"] == chart["group_messages"]

    sent = analytics.list_mass_messages_sents(ofauth, limit=5)
    assert len(sent["items"]) == 5 and sent["hasMore"] is True

    purchased = ofauth.request("GET", "/v2/access/analytics/mass-messages/purchased", query={"limit": 100})
    top = max(purchased["items"], key=lambda item: item["purchasedCount"])
    assert top["purchasedCount"] > 10  # more than one page of buyers at the server's default of 10

    first = analytics.list_mass_messages_buyers(ofauth, str(top["id"]), limit=20)
    every = list(analytics.iter_mass_messages_buyers(ofauth, str(top["id"])))
    assert len(every) == len({buyer["id"] for buyer in every}) == top["purchasedCount"]
    assert every[:len(first["list"])] == first["list"]
