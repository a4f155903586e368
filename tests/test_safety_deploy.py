"""deploy/ fails loudly: when one emulator process dies, its sessions answer 502 until it is back, never a fresh
world on another process. Skipped, with the reason, only where nginx is not installed."""
from __future__ import annotations

import os
import re
import signal

import httpx
import pytest

from .conftest import OFAUTH
from .spec_check import httpx_hook
from .test_scale_out import Deployment, find_nginx

pytestmark = pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed (apt-get install nginx-light; "
                                                                ".ci/run installs it)")
PIDS = re.compile(r"^emulator \d+ \(pid (\d+)\): (http://\S+)$", re.MULTILINE)


def test_a_dead_process_makes_its_sessions_fail_loudly_not_move(tmp_path):
    deployment = Deployment(2, tmp_path)
    try:
        names = [f"job-{number}" for number in range(12)]
        with httpx.Client(base_url=deployment.url, timeout=10, event_hooks={"response": [httpx_hook]}) as http:
            created = {}
            for name in names:
                headers = {**OFAUTH, "X-Emulator-Session": name}
                body = {"text": f"kept by {name}", "userLists": ["fans"], "scheduledDate": "2031-01-01T00:00:00Z"}
                created[name] = http.post("/v2/access/mass-messages", json=body, headers=headers).json()["id"]
            pid, dead = PIDS.findall(deployment.output())[0]
            doomed = deployment.sessions_on(dead) - {"default"}
            assert doomed and doomed != set(names)
            os.kill(int(pid), signal.SIGKILL)

            for _ in range(3):  # nginx's default would send these to the survivor after the first 502
                for name in names:
                    headers = {**OFAUTH, "X-Emulator-Session": name}
                    answer = http.get(f"/v2/access/mass-messages/{created[name]}", headers=headers)
                    if name in doomed:
                        assert answer.status_code == 502, (name, answer.status_code, answer.text)
                        assert answer.json()["type"] == "UNKNOWN_ERROR" and "did not answer" in answer.json()["error"]
                    else:
                        assert answer.status_code == 200 and answer.json()["rawText"] == f"kept by {name}"
            gone = min(doomed)
            admin = http.get("/_emulator/requests", headers={"X-Emulator-Session": gone})
            assert admin.status_code == 502 and admin.json()["status"] == 502
    finally:
        deployment.stop()
