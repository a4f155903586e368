"""8 threads, 2,000 mixed requests with faults on, through a real server: state stays consistent."""
from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

from .conftest import ACCOUNT, OFAUTH, ONLYFANSAPI, ROOT, Server

SESSION = {"X-Emulator-Session": "concurrency"}
THREADS, PER_THREAD = 8, 250


def worker(base_url: str, number: int, outcomes: list[tuple[str, int, int | None]]) -> None:
    mine: list[int] = []
    with httpx.Client(base_url=base_url, headers=SESSION, timeout=30) as http:
        for step in range(PER_THREAD):
            operation = ("create", "get", "update", "delete")[step % 4]
            if operation == "create" or not mine:
                response = http.post("/v2/access/mass-messages", headers=OFAUTH, json={
                    "text": f"t{number}-{step}", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"})
                created = response.json().get("id") if response.status_code == 200 else None
                if created:
                    mine.append(created)
                outcomes.append(("create", response.status_code, created))
            elif operation == "get":
                response = http.get(f"/v2/access/mass-messages/{mine[-1]}", headers=OFAUTH)
                outcomes.append(("get", response.status_code, None))
            elif operation == "update":
                response = http.put(f"/api/{ACCOUNT}/mass-messaging/{mine[-1]}", headers=ONLYFANSAPI,
                                    json={"text": f"u{number}-{step}", "userLists": ["1001"]})
                outcomes.append(("update", response.status_code, None))
            else:
                response = http.delete(f"/v2/access/mass-messages/{mine.pop(0)}", headers=OFAUTH)
                outcomes.append(("delete", response.status_code, None))


@pytest.fixture(scope="module")
def roomy_server(tmp_path_factory):
    """A server whose OFAuth bucket is large enough that the load is not mostly 429s."""
    text = (ROOT / "fixtures" / "default.yaml").read_text().replace("burst: 90", "burst: 100000")
    path = tmp_path_factory.mktemp("fixtures") / "roomy.yaml"
    path.write_text(text)
    running = Server("--fixtures", str(path), "--journal-bytes", str(32 * 1024 * 1024))  # room for all 2,000
    yield running
    running.stop()


def test_mixed_load_with_faults_keeps_state_consistent(roomy_server):
    server = roomy_server
    with httpx.Client(base_url=server.base_url, headers=SESSION) as admin:
        admin.post("/_emulator/reset", json={"faults": True})
        start = admin.get("/_emulator/state").json()
        admin.post("/_emulator/faults", json={"id": "lost", "match": {"route": "create_mass_message"},
                                              "respond": {"status": 502}, "when": "after", "probability": 0.1})
        admin.post("/_emulator/faults", json={"id": "gw", "respond": {"status": 503}, "probability": 0.05})
        outcomes: list[tuple[str, int, int | None]] = []
        threads = [threading.Thread(target=worker, args=(server.base_url, n, outcomes)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(outcomes) == THREADS * PER_THREAD
        statuses = Counter(status for _, status, _ in outcomes)
        assert all(status < 500 or status in (502, 503) for status in statuses), statuses
        created = [item for kind, status, item in outcomes if kind == "create" and status == 200]
        assert len(created) == len(set(created))

        journal = admin.get("/_emulator/requests", params={"limit": 10_000}).json()["requests"]
        assert len(journal) == THREADS * PER_THREAD
        lost = sum(1 for entry in journal if entry["fault"] == "lost" and entry["handled_status"] == 200)
        assert lost > 0 and statuses[200] > 1000
        deleted = sum(1 for kind, status, _ in outcomes if kind == "delete" and status == 200)
        state = admin.get("/_emulator/state").json()
        assert len(state["queue"]) == len(start["queue"]) + len(created) + lost - deleted
        assert state["next_queue_id"] == start["next_queue_id"] + len(created) + lost
        updated = sum(1 for kind, status, _ in outcomes if kind == "update" and status == 200)
        assert state["credits"]["ofapi_test_main_5d21b7"] == 1_000_000 - updated
        admin.post("/_emulator/reset", json={"faults": True})
