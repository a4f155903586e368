"""``--state-file``: checked at start, clear errors when a save fails, stale temporary files cleared."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import httpx
import pytest

from emulator.harness import snapshot

from .conftest import OFAUTH, ROOT, Server


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``serve`` expecting it to refuse to start."""
    return subprocess.run([sys.executable, "-m", "emulator", "serve", "--port", "0", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("make", [
    lambda tmp: tmp / "missing" / "state.json",
    lambda tmp: tmp,
    lambda tmp: (tmp / "as-dir").mkdir() or tmp / "as-dir",
])
def test_a_state_file_that_can_never_be_written_stops_the_start(tmp_path, make):
    path = make(tmp_path)
    result = serve("--state-file", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: --state-file") and "Traceback" not in result.stderr


def test_an_unwritable_directory_is_found_at_start(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # root may write anywhere: simulate the directory's mode
    with pytest.raises(snapshot.SnapshotError, match="cannot be written: Permission denied"):
        snapshot.prepare(tmp_path / "state.json")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_stops_the_start(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = serve("--state-file", str(folder / "state.json"))
    finally:
        folder.chmod(0o700)
    assert result.returncode == 2 and "cannot be written" in result.stderr


def test_a_state_file_that_is_not_usable_json_stops_the_start(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b'{"version": 1, "text": "\\ud800"}')
    result = serve("--state-file", str(path))
    assert result.returncode == 2 and "not usable JSON" in result.stderr and "Traceback" not in result.stderr


def test_stale_temporary_files_are_cleared_at_start_and_others_kept(tmp_path):
    target = tmp_path / "state.json"
    stale = [tmp_path / ".state.json.ab12cd_9", tmp_path / ".state.json.zz99yy88.tmp"]
    kept = [tmp_path / ".state.json.swp", tmp_path / ".other.json.ab12cd_9", tmp_path / "state.json.bak"]
    for path in stale + kept:
        path.write_text("{}")
    snapshot.prepare(target)
    assert [path.exists() for path in stale] == [False, False]
    assert all(path.exists() for path in kept)


def test_a_failed_save_is_a_clear_error_and_shutdown_says_so(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir()
    running = Server("--state-file", str(folder / "state.json"))
    try:
        with httpx.Client(base_url=running.base_url) as http:
            http.post("/v2/access/mass-messages", json={"text": "kept in memory", "userLists": ["fans"]},
                      headers=OFAUTH)
            assert http.post("/_emulator/state/save", json={}).status_code == 200
            shutil.rmtree(folder)
            failed = http.post("/_emulator/state/save", json={})
            assert failed.status_code == 507
            assert failed.json()["status"] == 507 and "Could not save the state" in failed.json()["error"]
            assert http.get("/_emulator/state").status_code == 200
    finally:
        out = running.stop()
    assert "error: state NOT saved" in out and "Traceback" not in out and "emulator stopped" in out
    assert running.process.returncode == 1
