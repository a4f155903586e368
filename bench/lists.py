"""Time every list route in-process with 100,000 messages stored in one creator's queue.

Run from the repository root: python bench/lists.py [--messages N]. Prints milliseconds per request (mean of 5).
"""
from __future__ import annotations

import argparse
import time

from emulator import create_app

OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}
ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_main_5d21b7"}
ROUTES = [("/v2/access/mass-messages/scheduled", OFAUTH), ("/v2/access/mass-messages", OFAUTH),
          ("/v2/access/analytics/mass-messages/chart", OFAUTH), ("/v2/access/analytics/mass-messages/sent", OFAUTH),
          ("/v2/access/analytics/mass-messages/purchased", OFAUTH), (f"/api/{ACCOUNT}/mass-messaging", ONLYFANSAPI),
          (f"/api/{ACCOUNT}/mass-messaging/overview", ONLYFANSAPI),
          (f"/api/{ACCOUNT}/engagement/messages/mass-messages", ONLYFANSAPI),
          (f"/api/{ACCOUNT}/engagement/messages/mass-messages/chart", ONLYFANSAPI),
          ("/v2/access/mass-messages/3100000003", OFAUTH)]


def main() -> None:
    """Fill one session's queue, then time each route."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    app = create_app({"clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True,
                      "max_sessions": 4})
    session = app.extensions["emulator.sessions"].get("default")
    world, now = session.world, session.clock.now()
    world.queue.limit = max(world.queue.limit, args.messages + 1_000)
    creator = world.creators[412000001]
    started = time.perf_counter()
    for number in range(args.messages):  # one a second, ending now: the newest are inside the unsend window
        world.queue.create(creator, {"text": f"message {number}", "media": [], "user_lists": ["fans"],
                                     "user_ids": [], "price": 0, "scheduled_at": None}, now - args.messages + number)
    print(f"created {args.messages} messages in {time.perf_counter() - started:.2f} s")
    client = app.test_client()
    for path, headers in ROUTES:
        started = time.perf_counter()
        for _ in range(5):
            response = client.get(path, headers=headers)
        print(f"{response.status_code} {(time.perf_counter() - started) / 5 * 1000:8.1f} ms  {path}")


if __name__ == "__main__":
    main()
