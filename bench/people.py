"""Time the people routes on the ``large`` fixture (100,000 active fans) in-process, and weigh the population.

Run from the repository root: python bench/people.py [--repeat N]. Prints the median milliseconds per request
of creating a mass message to the whole 100,000-fan audience (and to a set built from four lists), of a
members page at offset 0 and at 99,900, and the resident memory the population adds. bench/run.py prints the
same figures at its end. Targets (issue 16): create < 20 ms, a page < 10 ms, < 50 MB for the population.
"""
from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Callable

from history import median_ms
from memory import LARGE_OFAUTH as OFAUTH
from memory import rss_mb

from emulator import create_app

ACCOUNT = "acct_5f0a3c9e2b7d4e61a8c0f1d2e3b4a596"
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_large_9c4d"}
MEMBERS = "/v2/access/users/lists/fans/users"


def figures(repeat: int = 20) -> list[tuple[str, float, str]]:
    """Each measured figure with its unit and target."""
    gc.collect()
    before = rss_mb(os.getpid())
    app = create_app({"fixtures": "large", "clock_start": "2026-11-24T12:00:00Z", "clock_frozen": True})
    client = app.test_client()
    client.get("/v2/access/users/lists", headers=OFAUTH)  # builds the default session's world
    gc.collect()
    added = rss_mb(os.getpid()) - before

    def ok(response: object) -> None:
        assert response.status_code == 200, response.get_json()  # type: ignore[attr-defined]

    def send(body: dict[str, object]) -> Callable[[], None]:
        return lambda: ok(client.post("/v2/access/mass-messages", json={"text": "Bench", **body}, headers=OFAUTH))

    def get(path: str, headers: dict[str, str]) -> Callable[[], None]:
        return lambda: ok(client.get(path, headers=headers))

    whole = send({"userLists": ["fans"]})
    mixed = send({"userLists": ["fans", 2003, "following"], "userIds": [1, 2],
                  "excludeUserLists": [2001], "subscribedAfterDate": "2025-06-01T00:00:00Z"})
    people = app.extensions["emulator.sessions"].get("default").world.creator(412000101).people
    return [
        ("create, audience = fans (100,000)", median_ms(whole, repeat), "ms (target < 20)"),
        ("create, (fans | 2003 | following) - VIP, dated", median_ms(mixed, repeat), "ms (target < 20)"),
        ("OFAuth members page, limit 10, offset 0", median_ms(get(f"{MEMBERS}?limit=10", OFAUTH), repeat),
         "ms (target < 10)"),
        ("OFAuth members page, limit 100, offset 0", median_ms(get(f"{MEMBERS}?limit=100", OFAUTH), repeat),
         "ms (target < 10)"),
        ("OFAuth members page, limit 100, offset 99,900",
         median_ms(get(f"{MEMBERS}?limit=100&offset=99900", OFAUTH), repeat), "ms (target < 10)"),
        ("OnlyFansAPI members page, limit 100, offset 99,900",
         median_ms(get(f"/api/{ACCOUNT}/user-lists/fans/users?limit=100&offset=99900", ONLYFANSAPI), repeat),
         "ms (full fan objects)"),
        ("OnlyFansAPI /fans/active, limit 20, offset 99,900",
         median_ms(get(f"/api/{ACCOUNT}/fans/active?limit=20&offset=99900", ONLYFANSAPI), repeat), "ms"),
        ("resident memory added by the app and the large world", added, "MB (target < 50 for the population)"),
        ("  per fan of the population", added * 1e6 / people.size, "bytes (target well under 100)"),
    ]


def report(repeat: int = 20) -> str:
    """The figures as lines of text."""
    return "\n".join(f"{label:<52}{value:>10.2f} {unit}" for label, value, unit in figures(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="requests timed per figure (the median is shown)")
    print(report(parser.parse_args().repeat))


if __name__ == "__main__":
    main()
