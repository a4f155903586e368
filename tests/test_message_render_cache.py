"""Message lists reuse each message's rendered JSON (the queue's ``renders``): what they answer is what a fresh
render answers, every change to a message shows in the next list, and the memo stays within its budget."""
from __future__ import annotations

import random

import orjson
import pytest

from emulator.domain import fixtures
from emulator.domain.lifecycle import Lifecycle, progress, settles_at
from emulator.domain.queue import MediaRef
from emulator.domain.renders import OVERHEAD, RenderMemo
from emulator.domain.world import World
from emulator.render.listed import (
    ENGAGEMENT_ITEM,
    OVERVIEW_ITEM,
    QUEUE_ENTRY,
    SENT_MESSAGE,
    listed_json,
    rendered_json,
)
from emulator.render.messages import queue_entry
from emulator.render.stats import engagement_item, overview_item, sent_message

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, create

NOW = 1_795_521_600.0  # 2026-11-24T12:00:00Z, the conftest clock
DAY = 86_400.0
CREATOR = 412000001
API = f"/api/{ACCOUNT}"
OFAUTH_LISTS = ("/v2/access/mass-messages?limit=100", "/v2/access/mass-messages/scheduled?limit=100",
                "/v2/access/analytics/mass-messages/sent?limit=100",
                "/v2/access/analytics/mass-messages/purchased?limit=100")
OFAPI_LISTS = (f"{API}/mass-messaging/overview?limit=100", f"{API}/engagement/messages/mass-messages?limit=100")
SHAPES = ((QUEUE_ENTRY, queue_entry), (OVERVIEW_ITEM, overview_item), (ENGAGEMENT_ITEM, engagement_item))


def bodies(client) -> list[bytes]:
    """Every message list of both vendors, as sent (OnlyFansAPI's without ``_meta``: it counts credits down)."""
    return ([client.get(path, headers=OFAUTH).get_data() for path in OFAUTH_LISTS]
            + [orjson.dumps(client.get(path, headers=ONLYFANSAPI).json["data"]) for path in OFAPI_LISTS])


def renders(client) -> RenderMemo:
    return client.application.extensions["emulator.sessions"].get("default").world.queue.renders


def advance(client, seconds: float) -> None:
    assert client.post("/_emulator/clock", json={"advance": seconds}).status_code == 200


def listed(client, path: str = "/v2/access/mass-messages?limit=100", headers=OFAUTH) -> dict:
    """A list's entries by id (OnlyFansAPI's under ``data``)."""
    body = client.get(path, headers=headers).json
    entries = body["list"] if "list" in body else body["data"]["items"]
    return {entry["id"]: entry for entry in entries}


def scheduled(client) -> dict:
    return listed(client, "/v2/access/mass-messages/scheduled?limit=100")


@pytest.fixture(scope="module")
def world() -> World:
    """The default world plus messages sent over the last weeks, some paid, one saved; it and one sent fail."""
    built = World(fixtures.load("fixtures/default.yaml"), 7, NOW)
    rng, creator = random.Random(3), built.creator(CREATOR)
    for number in range(60):
        media = [MediaRef("vault", 4100000001 + number % 6, "media.0")] if number % 3 else []
        draft = {"text": f"Message **{number}**", "media": media, "price": 9.99 if media and number % 2 else 0.0,
                 "user_lists": ["fans"], "user_ids": [], "scheduled_at": None}
        built.queue.create(creator, draft, NOW - rng.uniform(0, 20 * DAY))
    built.queue.create(creator, {"text": "Later", "saved": True, "user_lists": [], "user_ids": []}, NOW)
    built.queue.fail(max(built.queue.items), NOW - 3600)
    sending = max(item.id for item in built.queue.items.values() if not item.saved and item.starts_at < NOW - 60)
    built.queue.fail(sending, NOW + 3600)  # fails later: its figures move until then
    return built


MESSAGE_KEYS = ("id text rawText fromUser media previews isMediaReady mediaCount lockedText responseType giphyId isFree "
                "isTip isReportedByMe isCouplePeopleMedia queueId isMarkdownDisabled releaseForms isFromQueue "
                "canUnsendQueue unsendSecondsQueue isOpened isNew createdAt changedAt cancelSeconds isLiked "
                "canPurchase canPurchaseReason canReport canBePinned isPinned")
HEAD_KEYS = ("id date responseType text rawText giphyId isFree isMediaReady mediaCount media previews isTip "
             "isReportedByMe viewedCount sentCount isCanceled canUnsend unsendSeconds")
SALES_KEYS = "price purchasedCount canSendMessageToBuyers"
ENTRY_KEYS = "date textCropped sentCount viewedCount canUnsend unsendSeconds isCanceled mediaTypes hasError"
KEY_ORDER = {  # as the renderers wrote them before templates: (paid, free)
    queue_entry: 2 * (f"{MESSAGE_KEYS} {ENTRY_KEYS} {SALES_KEYS}",),
    sent_message: 2 * (f"{HEAD_KEYS} releaseForms template {SALES_KEYS} createdAt totalAmount",),
    overview_item: 2 * (f"{HEAD_KEYS} template",),
    engagement_item: (f"{HEAD_KEYS} template {SALES_KEYS}", f"{HEAD_KEYS} template"),
}


def fresh(render, item, creator, state, *extra) -> bytes:
    return orjson.dumps(render(item, creator, state, *extra))


@pytest.mark.parametrize("later", [0.0, 60.0, 0.5 * DAY, 2 * DAY, 14 * DAY, 40 * DAY, 400 * DAY])
def test_kept_renderings_equal_fresh_renders_as_time_passes(world, later):
    creator, memo = world.creator(CREATOR), RenderMemo()
    for now in (NOW, NOW + later, NOW + later, NOW + later + 1):  # warm, reuse, then one second on
        for item in world.queue.items.values():
            if item.creator_id != CREATOR:
                continue
            state = progress(item, now, world.lifecycle)
            for shape, render in SHAPES:
                kept = listed_json(memo, shape, item, creator, now, world.lifecycle)
                assert orjson.dumps(kept) == fresh(render, item, creator, state), (item.id, now, render)
            kept = rendered_json(memo, SENT_MESSAGE, item, creator, state, world.fakes)
            assert orjson.dumps(kept) == fresh(sent_message, item, creator, state, world.fakes)


@pytest.mark.parametrize("render", list(KEY_ORDER))
def test_entries_keep_their_key_order_and_show_their_progress(world, render):
    creator, now = world.creator(CREATOR), NOW + 600
    items = [item for item in world.queue.items.values() if item.creator_id == CREATOR and not item.saved]
    for paid, order in zip((True, False), KEY_ORDER[render]):
        item = next(item for item in items if (item.price > 0 and bool(item.media_ids)) == paid)
        state = progress(item, now, world.lifecycle)
        entry = render(item, creator, state, *([world.fakes] if render is sent_message else []))
        assert " ".join(entry) == order
        assert (entry["sentCount"], entry["viewedCount"], entry["unsendSeconds"]) == (
            state.sent, state.viewed, state.unsend_seconds)
        assert entry.get("purchasedCount", state.purchased) == state.purchased


def test_a_kept_template_is_never_written_into(world):
    creator, memo = world.creator(CREATOR), RenderMemo()
    item = next(item for item in world.queue.items.values() if item.creator_id == CREATOR and item.price > 0)
    for later in (0.0, 10.0, 3600.0, 30 * DAY):
        listed_json(memo, QUEUE_ENTRY, item, creator, item.starts_at + later, world.lifecycle)
    kept = memo.recall(item.id, QUEUE_ENTRY.template)[1]
    assert kept == QUEUE_ENTRY.template(item, creator)
    assert kept["sentCount"] is None and kept["canUnsendQueue"] is None


def test_progress_stays_as_it_is_from_settles_at_on(world):
    rng = random.Random(11)
    lifecycles = [world.lifecycle, Lifecycle(0.5, 3600), Lifecycle(2000.0, 0), Lifecycle(50.0, 90 * 86_400)]
    for item in world.queue.items.values():
        for lifecycle in lifecycles:
            settled = settles_at(item, lifecycle)
            if settled == float("inf"):
                continue
            first = progress(item, max(settled, item.created_at), lifecycle)
            for _ in range(20):
                later = max(settled, item.created_at) + rng.choice((0.0, 1e-6, 1.0, rng.uniform(0, 900 * DAY)))
                assert progress(item, later, lifecycle) == first, (item.id, lifecycle, later - settled)


def test_settles_at_waits_for_the_whole_send_and_the_unsend_window(world):
    for item in world.queue.items.values():
        settled = settles_at(item, world.lifecycle)
        if item.saved or item.failed_at is not None:
            assert settled == (float("-inf") if item.failed_at is None else float("inf"))
            continue
        assert settled >= item.starts_at + world.lifecycle.unsend_window
        state = progress(item, settled, world.lifecycle)
        assert state.status == "sent" and state.pending == 0 and not state.can_unsend


def test_lists_read_twice_are_identical_and_equal_a_cold_read(client):
    create(client, text="Later one", scheduledDate="2026-12-01T18:00:00Z", mediaItems=[4100000001], price=5)
    create(client, text="Now", mediaItems=[4100000004], price=7)
    advance(client, 90)
    first, second = bodies(client), bodies(client)
    assert len(renders(client)) > 0
    renders(client).clear()
    assert first == second == bodies(client)


def test_an_edit_shows_in_the_next_scheduled_list(client):
    message_id = create(client, text="Before", scheduledDate="2026-12-01T18:00:00Z", mediaItems=[4100000001],
                        price=5).json["id"]
    assert scheduled(client)[message_id]["rawText"] == "Before"
    client.put(f"/v2/access/mass-messages/{message_id}", json={"text": "After **bold**"}, headers=OFAUTH)
    assert scheduled(client)[message_id]["rawText"] == "After **bold**"
    client.put(f"/v2/access/mass-messages/{message_id}", json={"price": 12.5}, headers=OFAUTH)
    assert scheduled(client)[message_id]["price"] == "12.50"
    client.put(f"/v2/access/mass-messages/{message_id}", json={"mediaItems": [4100000004, 4100000007]},
               headers=OFAUTH)
    entry = scheduled(client)[message_id]
    assert [media["id"] for media in entry["media"]] == [4100000004, 4100000007]
    assert entry["mediaTypes"] == {"video": 1, "photo": 0, "gif": 0, "audio": 1}


def test_sending_shows_as_the_clock_moves(client):
    message_id = create(client, text="Going out", mediaItems=[4100000001], price=5).json["id"]
    seen = []
    for step in (0, 1, 5, 30, 3600, DAY, 20 * DAY, 30 * DAY):
        advance(client, step) if step else None
        entry = listed(client)[message_id]
        seen.append((entry["sentCount"], entry["viewedCount"], entry["unsendSeconds"], entry["purchasedCount"]))
        overview = listed(client, f"{API}/mass-messaging/overview?limit=100", ONLYFANSAPI)[message_id]
        assert (overview["sentCount"], overview["viewedCount"]) == seen[-1][:2]
    assert len(set(seen)) >= 6, seen  # the figures move step by step, never a stale copy
    assert seen[0][0] < seen[-1][0] and seen[-1][2] == 0 and seen[-2] == seen[-1]


def test_unsend_and_delete_leave_the_lists(client):
    sent = create(client, text="Unsend me").json["id"]
    waiting = create(client, text="Drop me", scheduledDate="2026-12-01T18:00:00Z").json["id"]
    advance(client, 10)
    assert sent in listed(client) and waiting in scheduled(client)
    assert client.delete(f"/v2/access/mass-messages/{sent}", headers=OFAUTH).status_code == 200
    assert client.delete(f"/v2/access/mass-messages/scheduled/{waiting}", headers=OFAUTH).status_code == 200
    assert sent not in listed(client) and waiting not in scheduled(client)


def test_a_failure_shows_in_the_next_list(client):
    message_id = create(client, text="Fails", mediaItems=[4100000001], price=5).json["id"]
    advance(client, 5)
    assert listed(client)[message_id]["hasError"] is False
    client.post("/_emulator/events", json={"kind": "message_fails", "target": str(message_id)})
    advance(client, 1)  # it fails at this instant: its figures stop from the next one
    assert listed(client)[message_id]["hasError"] is True


def test_publishing_moves_a_message_from_scheduled_to_sent(client):
    message_id = create(client, text="Publish me", scheduledDate="2026-12-01T18:00:00Z").json["id"]
    assert message_id in scheduled(client) and message_id not in listed(client)
    assert client.put(f"{API}/queue/{message_id}/publish", headers=ONLYFANSAPI).status_code == 200
    advance(client, 1)
    assert message_id not in scheduled(client) and listed(client)[message_id]["sentCount"] > 0


def test_a_restored_state_shows_its_own_messages(client):
    message_id = create(client, text="Old words", scheduledDate="2026-12-01T18:00:00Z").json["id"]
    state = client.get("/_emulator/state").json
    client.put(f"/v2/access/mass-messages/{message_id}", json={"text": "New words"}, headers=OFAUTH)
    assert scheduled(client)[message_id]["rawText"] == "New words"
    assert client.put("/_emulator/state", json=state).status_code == 200
    assert scheduled(client)[message_id]["rawText"] == "Old words"


def test_the_memo_stays_within_its_budget():
    memo = RenderMemo(budget=10_000, largest=2_000)
    for item_id in range(1_000):
        for shape in ("a", "b"):
            memo.keep(item_id, shape, 5.0, b"x" * 300, 300, memo.token)
        assert memo.used <= memo.budget
    kept = 2 * (300 + OVERHEAD)  # an item's two shapes, each counted with what keeping it costs beyond its bytes
    assert len(memo) == 10_000 // kept and memo.recall(999, "a") == (5.0, b"x" * 300, 300 + OVERHEAD)
    assert memo.recall(0, "a") is None  # the least recently used went first
    memo.keep(5_000, "a", 5.0, b"y" * 3_000, 3_000, memo.token)
    assert memo.recall(5_000, "a") is None  # too large to keep
    memo.forget(999)
    assert memo.recall(999, "a") is None and memo.used == len(memo) * kept
    memo.clear()
    assert memo.used == 0 and len(memo) == 0


def test_a_rendering_begun_before_a_change_is_not_kept():
    memo = RenderMemo()
    token = memo.token
    memo.forget(1)  # the item changed while it was being rendered
    memo.keep(1, "a", 5.0, b"stale", 5, token)
    assert memo.recall(1, "a") is None and memo.used == 0
    memo.keep(1, "a", 5.0, b"fresh", 5, memo.token)
    assert memo.recall(1, "a") == (5.0, b"fresh", 5 + OVERHEAD) and memo.recall(1, "b") is None


def test_the_session_memo_is_bounded_by_design(client):
    assert renders(client).budget <= 1024 * 1024 and renders(client).largest < renders(client).budget
