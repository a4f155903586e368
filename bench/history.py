"""Time the routes that read a creator's message history, in-process, with 100,000 paid messages already sent.

Run from the repository root: python bench/history.py [--repeat N] [--messages N] [--days N]. The messages go
in through the domain (fast); every figure is a request through the real routes (Flask's test client): the
median milliseconds of both vendors' charts over 366 days and over the default 30, of the list, queue and
engagement pages, and the resident memory the messages and the chart's index take. The messages are spread
over the ``--days`` before now, so a 366-day chart covers all of them. Targets (issue 20): a 366-day chart
< 100 ms, the default chart < 20 ms, a page < 20 ms.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from memory import ACCOUNT, OFAUTH, ONLYFANSAPI, rss_mb

from emulator import create_app
from emulator.domain.queue import MediaRef
from emulator.domain.world import World

NOW = "2026-11-24T12:00:00Z"
CREATOR = 412000001
DAY = 86_400.0
SAVED = 100
CHART, TIGHT, PAGE = 100.0, 20.0, 20.0
OFAUTH_CHART = "/v2/access/analytics/mass-messages/chart"
ENGAGEMENT = f"/api/{ACCOUNT}/engagement/messages"
YEAR = "?startDate=2025-11-23T12:00:00Z&endDate=2026-11-24T12:00:00Z"
WINDOW = "?publishDateStart=2026-11-24&publishDateEnd=2026-12-24&timezone=UTC"


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure, its unit, and the target it is held to (None: shown, not judged)."""

    label: str
    value: float
    unit: str
    target: float | None = None

    @property
    def verdict(self) -> str:
        """Whether the figure meets its target, as the report says it."""
        if self.target is None:
            return ""
        return f"target < {self.target:g} {self.unit}: " + ("met" if self.value < self.target else "NOT MET")


def median_ms(call: Callable[[], object], repeat: int, first: Callable[[], object] | None = None) -> float:
    """The median wall time of ``call``, in milliseconds (each time after ``first``, untimed)."""
    times = []
    for _ in range(repeat):
        if first is not None:
            first()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fill(world: World, now: float, messages: int, days: float, scheduled: int) -> None:
    """Queue ``messages`` paid messages sent evenly over the ``days`` before ``now``, ``scheduled`` more spread
    over the year after it and ``SAVED`` saved for later, straight through the domain."""
    queue, creator = world.queue, world.creator(CREATOR)
    media = [MediaRef("vault", 4100000001, "media.0"), MediaRef("vault", 4100000004, "media.1")]
    for number in range(messages):
        draft = {"text": f"History {number}", "media": media[:1 + number % 2], "price": (9.99, 14.5, 25.0)[number % 3],
                 "user_lists": ["fans"], "user_ids": [], "scheduled_at": None}
        queue.create(creator, draft, now - 2 * DAY - days * DAY * (messages - number) / messages)
    for number in range(scheduled):
        draft = {"text": f"Later {number}", "media": media[:1], "price": 9.99, "user_lists": ["fans"],
                 "user_ids": [], "scheduled_at": now + DAY + 365 * DAY * number / scheduled}
        queue.create(creator, draft, now)
    for number in range(SAVED):
        queue.create(creator, {"text": f"Saved {number}", "saved": True, "user_lists": [], "user_ids": []}, now)


def send_free(world: World, now: float, count: int) -> None:
    """``count`` free messages sent over the day before ``now``: newer than every paid one, and never bought."""
    queue, creator = world.queue, world.creator(CREATOR)
    for number in range(count):
        draft = {"text": f"Free {number}", "media": [], "price": 0.0, "user_lists": ["fans"], "user_ids": [],
                 "scheduled_at": None}
        queue.create(creator, draft, now - DAY + DAY * number / count)


def measure(repeat: int = 9, messages: int = 100_000, days: float = 300.0,
            scheduled: int = 20_000) -> list[Figure]:
    """Build the session, then time each history route through the app."""
    # run.py imports this module: borrow its roomy fixtures only once both are loaded
    from run import roomy_fixtures

    fixtures = roomy_fixtures()
    app = create_app({"fixtures": fixtures, "clock_start": NOW, "clock_frozen": True})
    Path(fixtures).unlink()
    client = app.test_client()
    session = app.extensions["emulator.sessions"].get("default")
    client.get("/v2/access/mass-messages", headers=OFAUTH)  # builds the default session's world
    gc.collect()
    before = rss_mb(os.getpid())
    fill(session.world, session.clock.now(), messages, days, scheduled)
    gc.collect()
    stored = rss_mb(os.getpid())

    def get(path: str, headers: dict[str, str]) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_json()
        return call

    started = time.perf_counter()
    get(OFAUTH_CHART + YEAR, OFAUTH)()
    first = (time.perf_counter() - started) * 1000
    gc.collect()
    indexed = rss_mb(os.getpid())
    timed = [
        ("OFAuth chart, 366 days", OFAUTH_CHART + YEAR, OFAUTH, CHART),
        ("OFAuth chart, default (30 days)", OFAUTH_CHART, OFAUTH, TIGHT),
        ("OnlyFansAPI chart, 366 days", f"{ENGAGEMENT}/mass-messages/chart{YEAR}", ONLYFANSAPI, CHART),
        ("OnlyFansAPI chart, default (30 days)", f"{ENGAGEMENT}/mass-messages/chart", ONLYFANSAPI, TIGHT),
        ("OFAuth mass messages, first page", "/v2/access/mass-messages", OFAUTH, PAGE),
        ("OFAuth scheduled, first page", "/v2/access/mass-messages/scheduled", OFAUTH, PAGE),
        ("OFAuth analytics sent, limit 100", "/v2/access/analytics/mass-messages/sent?limit=100", OFAUTH, PAGE),
        ("OFAuth analytics purchased, first page", "/v2/access/analytics/mass-messages/purchased", OFAUTH, PAGE),
        ("OnlyFansAPI live queue (mass-messaging)", f"/api/{ACCOUNT}/mass-messaging", ONLYFANSAPI, PAGE),
        ("OnlyFansAPI overview, first page", f"/api/{ACCOUNT}/mass-messaging/overview", ONLYFANSAPI, PAGE),
        ("OnlyFansAPI engagement list, first page", f"{ENGAGEMENT}/mass-messages", ONLYFANSAPI, PAGE),
        ("OnlyFansAPI queue, a 30-day window", f"/api/{ACCOUNT}/queue{WINDOW}", ONLYFANSAPI, PAGE),
        ("OnlyFansAPI queue counts, a 30-day window", f"/api/{ACCOUNT}/queue/counts{WINDOW}", ONLYFANSAPI, PAGE),
        ("OnlyFansAPI saved for later, first page", f"/api/{ACCOUNT}/saved-for-later/messages", ONLYFANSAPI, PAGE),
    ]
    figures = [Figure(label, median_ms(get(path, headers), repeat), "ms", target)
               for label, path, headers, target in timed]
    def send() -> None:
        paid = {"text": "Flash sale", "userLists": ["fans"], "mediaItems": [4100000001], "price": 9.99}
        assert client.post("/v2/access/mass-messages", json=paid, headers=OFAUTH).status_code == 200

    after_send = median_ms(get(OFAUTH_CHART, OFAUTH), repeat, send)
    free = messages // 5
    send_free(session.world, session.clock.now(), free)
    purchased = median_ms(get("/v2/access/analytics/mass-messages/purchased", OFAUTH), repeat)
    return [
        Figure("OFAuth chart, 366 days, first (builds the index)", first, "ms"),
        *figures[:4],
        Figure("OFAuth chart, default, right after a send", after_send, "ms", TIGHT),
        *figures[4:],
        Figure(f"OFAuth analytics purchased, {free:,} free sent since", purchased, "ms", PAGE),
        Figure("resident memory added by the messages", stored - before, "MB"),
        Figure("  and by the charts' index, once built", indexed - stored, "MB"),
    ]


def report(repeat: int = 9, messages: int = 100_000, days: float = 300.0, scheduled: int = 20_000) -> str:
    """The figures as lines of text, each beside its target."""
    head = (f"history: {messages:,} paid messages sent over the {days:g} days before now, {scheduled:,} scheduled "
            f"after it; median of {repeat} requests, in-process")
    lines = [f"  {figure.label:<52}{figure.value:>10.2f} {figure.unit:<3} {figure.verdict}".rstrip()
             for figure in measure(repeat, messages, days, scheduled)]
    return "\n".join([head, *lines])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9, help="requests timed per figure (the median is shown)")
    parser.add_argument("--messages", type=int, default=100_000, help="paid messages already sent")
    parser.add_argument("--days", type=float, default=300.0, help="the days before now they were sent over")
    parser.add_argument("--scheduled", type=int, default=20_000, help="messages scheduled over the next year")
    args = parser.parse_args()
    print(report(args.repeat, args.messages, args.days, args.scheduled))


if __name__ == "__main__":
    main()
