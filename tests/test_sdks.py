"""The vendors' official SDKs, unchanged but for base_url, through a whole flow and their errors."""
from __future__ import annotations

import httpx
import pytest

from .conftest import ACCOUNT, FUTURE, ONLYFANSAPI
from .spec_check import httpx_hook

onlyfans_sdk = pytest.importorskip("onlyfans_sdk")
onlyfansapi = pytest.importorskip("onlyfansapi")
from onlyfans_sdk import OFAuthClient, OFAuthError, messages  # noqa: E402
from onlyfansapi import NotFoundError, OnlyFansAPI, UnprocessableEntityError  # noqa: E402


@pytest.fixture
def ofauth(server):
    client = OFAuthClient(api_key="ofa_test_main_2f7c9e41", connection_id="conn_emulator_main",
                          base_url=server.base_url)
    client._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    yield client
    client.close()


@pytest.fixture
def ofapi(server):
    http = httpx.Client(event_hooks={"response": [httpx_hook]})
    client = OnlyFansAPI(api_key=ONLYFANSAPI["Authorization"].split()[1], base_url=server.base_url,
                         http_client=http, max_retries=0)
    yield client
    client.close()


def test_full_flow_through_both_sdks(ofauth, ofapi):
    receipt = messages.create_mass_messages(ofauth, body={
        "text": "Made with the OFAuth SDK", "userLists": ["fans"], "mediaItems": [4100000001],
        "scheduledDate": FUTURE})
    message_id = str(receipt["id"])

    updated = ofapi.mass_messaging.update(message_id, account=ACCOUNT, text="Edited with the OnlyFansAPI SDK",
                                          price=20, media_files=["4100000004", "4100000001"],
                                          previews=["4100000001"], user_lists=["1001"])
    assert updated.data.id == int(message_id)
    assert updated.data.total == 48
    assert updated.api_meta.api_credits.used == 1

    message = messages.get_mass_messages(ofauth, message_id)
    assert message["rawText"] == "Edited with the OnlyFansAPI SDK"
    assert message["previews"] == [4100000001]

    deleted = messages.delete_mass_messages(ofauth, message_id)
    assert deleted["success"] is True and deleted["queue"]["price"] == "20.00"

    with pytest.raises(OFAuthError) as missing:
        messages.get_mass_messages(ofauth, message_id)
    assert missing.value.status == 404


def test_ofauth_sdk_raises_on_validation_error(ofauth):
    with pytest.raises(OFAuthError) as error:
        messages.create_mass_messages(ofauth, body={"text": "x", "userLists": ["fans"], "price": 500})
    assert error.value.status == 400
    assert error.value.details == [{"field": "price", "message": "Number must be less than or equal to 200"}]


def test_onlyfansapi_sdk_raises_typed_errors(ofapi):
    with pytest.raises(UnprocessableEntityError) as invalid:
        ofapi.mass_messaging.update("3100000001", account=ACCOUNT, text="x", price=2)
    assert invalid.value.status_code == 422
    assert invalid.value.body["errors"]["price"] == ["The price field must be 0 or between 3 and 200."]
    with pytest.raises(NotFoundError) as missing:
        ofapi.mass_messaging.update("1", account=ACCOUNT, text="x")
    assert missing.value.status_code == 404
