"""The vault through both vendors: media with counters and folders, vault lists, filters, sorts and limits."""
from __future__ import annotations

import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI
from .media_live import live_ofauth_client, live_onlyfansapi_client, live_session  # noqa: F401  (fixtures)

MEDIA = "/v2/access/vault/media"
FOLDERS = "/v2/access/vault/lists"
OFAPI_MEDIA = f"/api/{ACCOUNT}/media/vault"


def ids(listed):
    return [media["id"] for media in listed]


def test_ofauth_lists_the_fixture_vault_newest_first(client):
    body = client.get(MEDIA, headers=OFAUTH).json
    assert len(body["list"]) == 8 and body["hasMore"] is False
    dates = [media["createdAt"] for media in body["list"]]
    assert dates == sorted(dates, reverse=True)
    assert {media["type"] for media in body["list"]} == {"photo", "video", "gif", "audio"}
    video = next(media for media in body["list"] if media["id"] == 4100000004)
    assert video["duration"] == 94 and video["files"]["full"]["size"] > 0 and video["isReady"] is True


def test_ofauth_pages_by_offset(client):
    first = client.get(MEDIA, query_string={"limit": 3}, headers=OFAUTH).json
    second = client.get(MEDIA, query_string={"limit": 3, "offset": 3}, headers=OFAUTH).json
    everything = client.get(MEDIA, headers=OFAUTH).json["list"]
    assert first["hasMore"] is True and ids(first["list"]) + ids(second["list"]) == ids(everything)[:6]


@pytest.mark.parametrize("params", [{"sort": "oldest"}, {"sortDirection": "asc"}])
def test_ofauth_oldest_first_under_both_sdk_generations(client, params):
    newest = ids(client.get(MEDIA, headers=OFAUTH).json["list"])
    assert ids(client.get(MEDIA, query_string=params, headers=OFAUTH).json["list"]) == newest[::-1]


@pytest.mark.parametrize("params", [{"sort": "most_liked"}, {"sortBy": "most-liked"}])
def test_ofauth_most_liked_first(client, params):
    likes = [media["counters"]["likesCount"]
             for media in client.get(MEDIA, query_string=params, headers=OFAUTH).json["list"]]
    assert likes == sorted(likes, reverse=True)


@pytest.mark.parametrize("params", [{"type": "video"}, {"mediaType": "video"}])
def test_ofauth_filters_by_type(client, params):
    assert set(ids(client.get(MEDIA, query_string=params, headers=OFAUTH).json["list"])) == {4100000004, 4100000005}


def test_ofauth_folders_and_their_media(client):
    body = client.get(FOLDERS, headers=OFAUTH).json
    names = {folder["name"]: folder for folder in body["list"]}
    assert list(names)[:5] == ["Messages", "Posts", "Stories", "Streams", "Uploads"]
    beach = names["Beach set"]
    assert beach["type"] == "custom" and beach["canDelete"] is True and beach["photosCount"] == 3
    assert body["all"]["photosCount"] == 4 and body["all"]["videosCount"] == 2 and body["all"]["audiosCount"] == 1
    inside = client.get(f"{FOLDERS}/{beach['id']}/media", headers=OFAUTH).json["list"]
    assert set(ids(inside)) == {4100000001, 4100000002, 4100000003}
    assert all({"id": beach["id"], "type": "custom", "name": "Beach set"} in media["lists"] for media in inside)
    as_float = client.get(f"{FOLDERS}/{beach['id']}.0/media", headers=OFAUTH).json["list"]
    assert ids(as_float) == ids(inside)
    assert ids(client.get(MEDIA, query_string={"listId": beach["id"]}, headers=OFAUTH).json["list"]) == ids(inside)


def test_ofauth_folder_search(client):
    listed = client.get(FOLDERS, query_string={"query": "beach"}, headers=OFAUTH).json["list"]
    assert [folder["name"] for folder in listed] == ["Beach set"]


@pytest.mark.parametrize("params, field", [
    ({"limit": 41}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset"), ({"type": "pdf"}, "type"),
    ({"sort": "best"}, "sort"), ({"query": "x" * 101}, "query"), ({"listId": "abc"}, "listId"),
])
def test_ofauth_refuses_bad_queries(client, params, field):
    response = client.get(MEDIA, query_string=params, headers=OFAUTH)
    assert response.status_code == 400 and response.json["details"][0]["field"] == field


def test_ofauth_unknown_folder_is_not_found(client):
    response = client.get(f"{FOLDERS}/99/media", headers=OFAUTH)
    assert response.status_code == 404 and response.json["type"] == "RESOURCE_NOT_FOUND"


def test_ofauth_vault_needs_vault_read(client):
    readonly = {"apiKey": "ofa_test_readonly_8b3d", "x-connection-id": "conn_emulator_readonly"}
    response = client.get(MEDIA, headers=readonly)
    assert response.status_code == 403 and response.json["type"] == "FORBIDDEN"


def test_ofauth_sdk_lists_the_vault(live_ofauth):
    from onlyfans_sdk import vault, vault_lists

    listed = list(vault.iter_media(live_ofauth, page_size=3, sort_by="most-liked"))
    assert len(listed) == 8
    folders = vault_lists.list_vault_vault_lists(live_ofauth)["list"]
    beach = next(folder for folder in folders if folder["name"] == "Beach set")
    inside = vault_lists.list_vault_vault_lists_media(live_ofauth, float(beach["id"]))["list"]
    assert len(inside) == 3


def test_onlyfansapi_lists_vault_media_with_list_states(client):
    body = client.get(OFAPI_MEDIA, query_string={"type": "photo"}, headers=ONLYFANSAPI).json
    listed = body["data"]["list"]
    assert len(listed) == 4 and body["_meta"]["_credits"]["used"] == 1
    assert {state["type"] for state in listed[0]["listStates"]} >= {"messages", "posts", "media_stickers", "custom"}


def test_onlyfansapi_highest_tips_and_list_filter(client):
    tips = [media["counters"]["tipsSumm"] for media in client.get(
        OFAPI_MEDIA, query_string={"field": "highest-tips"}, headers=ONLYFANSAPI).json["data"]["list"]]
    assert tips == sorted(tips, reverse=True)
    folders = client.get(f"{OFAPI_MEDIA}/lists", headers=ONLYFANSAPI).json["data"]["list"]
    beach = next(folder for folder in folders if folder["name"] == "Beach set")
    inside = client.get(OFAPI_MEDIA, query_string={"list": beach["id"]}, headers=ONLYFANSAPI).json["data"]["list"]
    assert set(ids(inside)) == {4100000001, 4100000002, 4100000003}


def test_onlyfansapi_lightweight_lists(client):
    data = client.get(f"{OFAPI_MEDIA}/lists", query_string={"lightweight": "true"}, headers=ONLYFANSAPI).json["data"]
    assert set(data["list"][0]) == {"id", "name", "type", "canUpdate", "mediaCount"}
    assert data["all"] == {"mediaCount": 8}


@pytest.mark.parametrize("params, field", [({"limit": 9}, "limit"), ({"limit": 101}, "limit"),
                                           ({"field": "newest"}, "field"), ({"sort": "up"}, "sort")])
def test_onlyfansapi_refuses_bad_queries(client, params, field):
    response = client.get(OFAPI_MEDIA, query_string=params, headers=ONLYFANSAPI)
    assert response.status_code == 422 and field in response.json["errors"]


def test_onlyfansapi_sdk_lists_the_vault(live_onlyfansapi):
    listed = live_onlyfansapi.media.vault.list(ACCOUNT, field="most-liked", limit=10)
    assert len(listed.data.list) == 8
    lists = live_onlyfansapi.media.vault.lists.list(ACCOUNT)
    assert any(folder.name == "Beach set" for folder in lists.data.list)


def test_query_searches_file_names(client):
    everything = client.get(MEDIA, headers=OFAUTH).json["list"]
    assert client.get(MEDIA, query_string={"query": "VID_"}, headers=OFAUTH).json["list"] == [
        media for media in everything if media["type"] == "video"]


def test_onlyfansapi_vault_lists_answer_304_to_a_matching_etag(client):
    first = client.get(f"{OFAPI_MEDIA}/lists", headers=ONLYFANSAPI)
    tag = first.headers["ETag"]
    again = client.get(f"{OFAPI_MEDIA}/lists", headers={**ONLYFANSAPI, "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert again.headers["x-ofapi-credits-used"] == "1"
    assert int(again.headers["x-ofapi-credits-balance"]) == first.json["_meta"]["_credits"]["balance"] - 1
    client.post(f"/api/{ACCOUNT}/mass-messaging", headers=ONLYFANSAPI, json={
        "text": "x", "userLists": ["fans"], "mediaFiles": ["ofapi_media_k3n8q2w7"]})  # a new vault item
    changed = client.get(f"{OFAPI_MEDIA}/lists", headers={**ONLYFANSAPI, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
