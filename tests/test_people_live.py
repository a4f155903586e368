"""Each vendor's guide flow and every people method of both official SDKs, against a live emulator."""
from __future__ import annotations

import httpx
import pytest

from . import test_sdk_surface
from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI
from .spec_check import httpx_hook

# The live-server fixtures of the SDK surface test: a fresh emulator session and each SDK's client on it.
session, ofauth, ofapi = test_sdk_surface.session, test_sdk_surface.ofauth, test_sdk_surface.ofapi

onlyfans_sdk = pytest.importorskip("onlyfans_sdk")
onlyfansapi = pytest.importorskip("onlyfansapi")
from onlyfans_sdk import OFAuthError, account, messages, models, subscribers, user_lists

SESSION = "X-Emulator-Session"


@pytest.fixture
def http(server, session):
    with httpx.Client(base_url=server.base_url, headers={SESSION: session[0]},
                      event_hooks={"response": [httpx_hook]}) as client:
        yield client


def test_ofauth_mass_messaging_guide_complete_example(http):
    """The guide: get the lists, find the "active" one, send to it (reading ``list``, as the schema says)."""
    lists = http.get("/v2/access/users/lists", headers=OFAUTH).json()["list"]
    for entry in lists:
        assert entry["name"] and entry["usersCount"] >= 0
    active = next(entry for entry in lists if "active" in entry["name"].lower())
    sent = http.post("/v2/access/mass-messages", headers=OFAUTH, json={
        "text": "Hey! Thanks for being so active 💕", "userLists": [active["id"]]}).json()
    assert sent["total"] == active["usersCount"] == 120
    members = http.get(f"/v2/access/users/lists/{active['id']}/users?limit=100&offset=100", headers=OFAUTH).json()
    assert len(members["list"]) == 20 and members["hasMore"] is False


def test_onlyfansapi_account_lists_fans_send_flow(http):
    """A client finds its account, then the lists and the fans, then sends to a list and a few fans."""
    accounts = http.get("/api/accounts", headers=ONLYFANSAPI).json()
    acct = next(entry["id"] for entry in accounts if entry["onlyfans_username"] == "miarivers")
    lists = http.get(f"/api/{acct}/user-lists", params={"view": "queue"}, headers=ONLYFANSAPI).json()["data"]
    vip = next(entry for entry in lists if entry["name"] == "VIP")
    fans = http.get(f"/api/{acct}/fans/active", params={"limit": 20}, headers=ONLYFANSAPI).json()["data"]["list"]
    sent = http.post(f"/api/{acct}/mass-messaging", headers=ONLYFANSAPI, json={
        "text": "Just for you", "userLists": [vip["id"]], "userIds": [fan["id"] for fan in fans[:3]]}).json()
    vip_ids = {user["id"] for user in http.get(f"/api/{acct}/user-lists/{vip['id']}/users?limit=100",
                                               headers=ONLYFANSAPI).json()["data"]["list"]}
    assert sent["data"]["total"] == len(vip_ids | {fan["id"] for fan in fans[:3]})


def test_ofauth_sdk_people_methods(ofauth):
    listed = user_lists.list_users_users_lists(ofauth, limit=3, offset=0)
    models.V2AccessUsersListsGetResponse.model_validate(listed)
    assert [entry["id"] for entry in user_lists.iter_users_users_lists(ofauth, page_size=3)][-1] == 1003
    created = user_lists.create_users_users_lists(ofauth, {"name": "SDK list"})
    models.V2AccessUsersListsPostResponse.model_validate(created)
    models.V2AccessUsersListsListIdGetResponse.model_validate(user_lists.get_users_users_lists(ofauth, "1001"))
    renamed = user_lists.update_users_users_lists(ofauth, str(created["id"]), {"name": "SDK list 2"})
    models.V2AccessUsersListsListIdPatchResponse.model_validate(renamed)
    fans = list(user_lists.iter_users_lists_users(ofauth, "fans", page_size=50, max_items=120))
    assert len({fan["id"] for fan in fans}) == 120
    page = user_lists.list_users_lists_users(ofauth, "1001", limit=5, offset=0)
    models.V2AccessUsersListsListIdUsersGetResponse.model_validate(page)
    added = user_lists.create_users_lists_users(ofauth, str(created["id"]), str(fans[0]["id"]))
    models.V2AccessUsersListsListIdUsersUserIdPostResponse.model_validate(added)
    several = user_lists.create_users_users_lists_2(ofauth, str(fans[1]["id"]), {"listIds": [created["id"]]})
    models.V2AccessUsersUserIdListsPostResponse.model_validate(several)
    removed = user_lists.delete_users_lists_users(ofauth, str(created["id"]), str(fans[0]["id"]))
    models.V2AccessUsersListsListIdUsersUserIdDeleteResponse.model_validate(removed)
    assert [user["id"] for user in removed["list"]] == [fans[1]["id"]]
    assert user_lists.delete_users_users_lists(ofauth, str(created["id"])) == {}
    with pytest.raises(OFAuthError) as refused:
        user_lists.delete_users_users_lists(ofauth, "fans")
    assert refused.value.status == 400
    active = subscribers.list_subscribers(ofauth, type="active", limit=5)
    # The Python model marks nothing nullable; sdk-ts (which the contract follows) lets an unrenewed fan's
    # renewedAt and the discount dates be null, so only fans with every date set validate against it.
    dated = [fan for fan in active["list"] if None not in fan["subscription"].values()]
    models.V2AccessSubscribersGetResponse.model_validate({**active, "list": dated})
    everyone = list(subscribers.iter_subscribers(ofauth, type="all", page_size=20, max_items=60))
    assert len({fan["id"] for fan in everyone}) == 60
    assert subscribers.list_subscribers(ofauth, filter={"online": "1"}, limit=2)["list"] is not None
    fan_id = str(active["list"][0]["id"])
    for write, body, model in ((subscribers.set_note, {"notice": "VIP since day one"},
                                models.V2AccessSubscribersUserIdNotePutResponse),
                               (subscribers.set_custom_name, {"displayName": "Day one"},
                                models.V2AccessSubscribersUserIdCustomNamePutResponse),
                               (subscribers.set_discount, {"discount": 25, "period": 2},
                                models.V2AccessSubscribersUserIdDiscountPutResponse)):
        model.model_validate(write(ofauth, fan_id, body))
    again = subscribers.list_subscribers(ofauth, type="active", limit=1)["list"][0]
    assert again["displayName"] == "Day one" and again["subscription"]["discountPercent"] == 25
    who = account.whoami(ofauth)
    models.V2AccountWhoamiGetResponse.model_validate(who)
    connections = account.list_connections(ofauth, limit=10)
    # Likewise the Python model refuses sdk-ts's null expiredAt (an active connection) and clientReferenceId.
    complete = [entry for entry in connections["list"] if None not in entry.values()]
    assert complete and models.V2AccountConnectionsGetResponse.model_validate({**connections, "list": complete})
    assert [entry["id"] for entry in account.iter_connections(ofauth)] == [
        "conn_emulator_main", "conn_emulator_second", "conn_emulator_expired"]
    sent = messages.create_mass_messages(ofauth, body={"text": "To a list", "userLists": [1002]})
    assert sent["total"] == 19


def test_onlyfansapi_sdk_people_methods(ofapi):
    accounts = ofapi.accounts.list()
    assert [entry.id for entry in accounts] == [ACCOUNT, "acct_c944634550c698febdd9c868db908d9d"]
    who = ofapi.whoami.retrieve()
    assert who.team.slug == "rivers-creative" and who.api_key.name == "Production"
    lists = ofapi.user_lists.list(ACCOUNT, limit=10, view="queue")
    assert [entry.id for entry in lists.data][:2] == ["fans", "following"]
    type(lists).model_validate(lists.to_dict())
    vip = ofapi.user_lists.retrieve("1001", account=ACCOUNT)
    type(vip).model_validate(vip.to_dict())
    assert vip.data.users_count == 48
    created = ofapi.user_lists.create(ACCOUNT, name="From the SDK")
    type(created).model_validate(created.to_dict())
    list_id = str(created.data.id)
    updated = ofapi.user_lists.update(list_id, account=ACCOUNT, name="SDK 2", is_pinned_to_feed=True)
    assert updated.data.is_pinned_to_feed is True
    members = ofapi.user_lists.users.list("1001", account=ACCOUNT, limit="10", offset="0")
    type(members).model_validate(members.to_dict())
    ids = [str(fan.id) for fan in members.data.list]
    added = ofapi.user_lists.users.add(list_id, account=ACCOUNT, ids=ids[:2])
    assert sorted(added.to_dict()["data"][list_id]) == sorted(int(user_id) for user_id in ids[:2])
    skipped = ofapi.user_lists.users.add(list_id, account=ACCOUNT, ids=["5551"], skip_invalid=True)
    assert skipped.to_dict()["data"]["failed"] == {"5551": "User not found among this creator's fans"}
    assert ofapi.user_lists.users.pin(int(ids[1]), account=ACCOUNT, user_list_id=list_id).data.success is True
    pinned = ofapi.user_lists.users.list_pinned(list_id, account=ACCOUNT, limit="10", offset="0")
    type(pinned).model_validate(pinned.to_dict())
    assert [str(fan.id) for fan in pinned.data.list] == [ids[1]]
    removed = ofapi.user_lists.users.remove(int(ids[0]), account=ACCOUNT, user_list_id=list_id)
    assert removed.data.user_state.has_user is False and removed.data.list.users_count == 1
    assert ofapi.user_lists.users.clear(list_id, account=ACCOUNT).data.users_count == 0
    assert ofapi.user_lists.delete(list_id, account=ACCOUNT).data.success is True
    for method in (ofapi.fans.list_active, ofapi.fans.list_all, ofapi.fans.list_expired):
        page = method(ACCOUNT, limit=20, filter={"total_spent": 50})
        if method != ofapi.fans.list_expired:  # its model types subscribedOn, a boolean everywhere else, as str
            type(page).model_validate(page.to_dict())
        assert len(page.data.list) == 20 and page.data.has_more is True
    fan_id = str(ofapi.fans.list_active(ACCOUNT, limit=1).data.list[0].id)
    renamed = ofapi.fans.set_custom_name(fan_id, account=ACCOUNT, custom_name="From the SDK")
    # Like the expired-fans model, this one types subscribedOn and subscribedBy (booleans elsewhere) as str.
    assert renamed.data.display_name == "From the SDK"
    history = ofapi.fans.get_subscription_history(fan_id, account=ACCOUNT)
    type(history).model_validate(history.to_dict())
    assert history.data.list and history.data.has_more is False
    latest = ofapi.fans.list_latest(ACCOUNT, start_date="2026-11-01 00:00:00", end_date="2026-11-24 00:00:00",
                                    type="new", limit=50)
    type(latest).model_validate(latest.to_dict())
    assert latest.data.users and latest.data.has_more is False
