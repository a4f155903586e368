"""The package as a user gets it: a wheel, installed in a fresh virtualenv, run from an empty directory.

The wheel is built from a copy of this checkout (sdist, then wheel from the sdist) and installed with
``pip install --no-deps --no-index`` into a virtualenv that shares the running environment's dependencies (see
tests/installed.py): offline and a few seconds, with the package's own files all coming from the wheel.
"""
from __future__ import annotations

import json
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

import httpx
import pytest
from onlyfans_sdk import OFAuthClient, OFAuthError, messages
from onlyfansapi import OnlyFansAPI

from emulator import __version__

from .conftest import ACCOUNT, ROOT
from .installed import Installed, installed, run
from .serving import LINE, ServeProcess
from .spec_check import httpx_hook

DATA = ("fixtures/*.yaml", "fixtures/faults/*.yaml", "openapi/*.yaml")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return installed(tmp_path_factory)


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    """A working directory with nothing in it: no checkout, no fixtures."""
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_wheel_carries_fixtures_fault_profiles_and_specs_as_built_from_the_sources(package):
    with zipfile.ZipFile(package.wheel) as wheel:
        names = set(wheel.namelist())
        sources = [path for pattern in DATA for path in sorted(ROOT.glob(pattern))]
        assert len(sources) >= 6
        for source in sources:
            member = f"emulator/_bundled/{source.relative_to(ROOT).as_posix()}"
            assert wheel.read(member) == source.read_bytes(), member
        dist_info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert not [name for name in names if name.startswith(("fixtures/", "openapi/", "tests/"))]
    assert f"\nVersion: {__version__}\n" in metadata and "\nRequires-Python: >=3.11\n" in metadata
    assert "Project-URL: Changelog" in metadata and "Provides-Extra: dev" in metadata
    assert "onlyfans-emulator = emulator.cli:main" in entry_points
    assert "emulator = emulator.pytest_plugin" in entry_points


def test_build_prints_no_warning_and_ships_the_license_in_sdist_and_wheel(package):
    warnings = [line for line in package.build_output.splitlines() if "warn" in line.lower()]
    assert warnings == []
    [sdist] = package.wheel.parent.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        [license_file] = [name for name in archive.getnames() if name.endswith("/LICENSE")]
        assert archive.extractfile(license_file).read() == (ROOT / "LICENSE").read_bytes()  # type: ignore[union-attr]
    with zipfile.ZipFile(package.wheel) as wheel:
        [license_file] = [name for name in wheel.namelist() if re.search(r"\.dist-info/(licenses/)?LICENSE$", name)]
        assert wheel.read(license_file).startswith(b"MIT License")
        metadata = wheel.read(next(n for n in wheel.namelist() if n.endswith("METADATA"))).decode()
    assert "Provides-Extra: sdk" in metadata and "onlyfans-sdk" in metadata


def test_installed_package_reads_nothing_from_the_checkout(package, empty_dir):
    probe = "import emulator, emulator.resources as r; print(emulator.__file__); print(r.data_root())"
    module, data = run([str(package.bin / "python"), "-c", probe], cwd=empty_dir, env=package.env()).stdout.split()
    assert module.startswith(str(package.venv)) and data.startswith(str(package.venv))
    assert data.endswith("_bundled")


def test_installed_script_and_module_print_the_version(package, empty_dir):
    assert run([package.script, "--version"], cwd=empty_dir, env=package.env()).stdout == \
        f"onlyfans-emulator {__version__}\n"
    module = run([str(package.bin / "python"), "-m", "emulator", "--version"], cwd=empty_dir, env=package.env())
    assert module.stdout == f"python -m emulator {__version__}\n"


def test_installed_script_refuses_an_unknown_profile_name(package, empty_dir):
    result = run_failing([package.script, "serve", "--port", "0", "--faults", "flaky"], empty_dir, package)
    assert result.returncode == 2
    assert "unknown fault profile 'flaky'" in result.stderr
    assert "flaky-gateway, rate-limit-storm, slow-upstream" in result.stderr


def run_failing(command: list[str], cwd: Path, package: Installed) -> subprocess.CompletedProcess[str]:
    """Run a command expected to fail; return its result."""
    return subprocess.run(command, cwd=cwd, env=package.env(), capture_output=True, text=True, timeout=60)


def drive_both_sdks(base_url: str) -> list[int]:
    """Thirty OFAuth reads (their statuses, as the SDK saw them) and one OnlyFansAPI update, which retries."""
    ofauth = OFAuthClient(api_key="ofa_test_main_2f7c9e41", connection_id="conn_emulator_main", base_url=base_url)
    ofauth._client.event_hooks["response"] = [httpx_hook]  # observe only: validate against openapi/
    seen = []
    for _ in range(30):
        try:
            assert messages.get_mass_messages(ofauth, "3100000001")["id"] == 3100000001
            seen.append(200)
        except OFAuthError as error:
            seen.append(error.status)
    ofauth.close()
    with httpx.Client(event_hooks={"response": [httpx_hook]}) as http:
        ofapi = OnlyFansAPI(api_key="ofapi_test_main_5d21b7", base_url=base_url, http_client=http, max_retries=5)
        assert ofapi.mass_messaging.update("3100000001", account=ACCOUNT, text="From the wheel").data.id == 3100000001
    return seen


def test_installed_script_serves_from_an_empty_directory_with_a_bundled_profile(package, empty_dir, tmp_path):
    server = ServeProcess([package.script, "serve", "--port", "0", "--faults", "flaky-gateway"],
                         tmp_path / "serve.log", cwd=empty_dir, env=package.env())
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url) and not server.base_url.endswith(":0")
        health = httpx.get(f"{server.base_url}/_emulator/health")
        assert health.status_code == 200
        assert set(health.json()) == {"status", "version", "uptime_seconds", "sessions", "sessions_evicted",
                                         "log_lines_dropped"}
        assert health.json()["version"] == __version__
        rules = httpx.get(f"{server.base_url}/_emulator/faults").json()["rules"]
        assert [rule["id"] for rule in rules] == ["lost-response", "html-502", "json-502"]
        seen = drive_both_sdks(server.base_url)
    finally:
        output = server.stop()
    assert server.process.returncode == 0 and output.endswith("emulator stopped\n")
    assert list(empty_dir.iterdir()) == []
    lines = [LINE.match(line) for line in server.access_log()]
    assert all(lines), server.access_log()
    assert (lines[0]["method"], lines[0]["path"], lines[0]["status"], lines[0]["fault"]) == \
        ("GET", "/_emulator/health", "200", None)
    reads = [line for line in lines if line["path"] == "/v2/access/mass-messages/3100000001"]
    assert [int(line["status"]) for line in reads] == seen  # what each client call received, in order
    assert all((line["fault"] is None) == (line["status"] == "200") for line in reads)
    assert {line["fault"] for line in reads} - {None} <= {"html-502", "json-502"}
    assert 200 in seen and 502 in seen  # the profile fired, and not every time (the seed makes this repeat)
    updates = [line for line in lines if line["method"] == "PUT"]
    assert updates[-1]["status"] == "200" and all(line["fault"] for line in updates[:-1])


def test_installed_script_logs_json_lines_with_a_bundled_fixture_name(package, empty_dir, tmp_path):
    server = ServeProcess([package.script, "serve", "--port", "0", "--fixtures", "default", "--log-format", "json"],
                          tmp_path / "serve.log", cwd=empty_dir, env=package.env())
    try:
        with server.client() as http:
            created = http.post("/v2/access/mass-messages", json={"text": "x", "userLists": ["fans"]},
                                headers={"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main",
                                         "X-Emulator-Session": "ci-7", "X-Emulator-Fault": "503;after"})
        assert created.status_code == 503
    finally:
        server.stop()
    [entry] = [json.loads(line) for line in server.access_log()]
    assert set(entry) == {"time", "session", "method", "path", "status", "duration_ms", "fault", "dropped"}
    assert (entry["session"], entry["method"], entry["path"], entry["status"], entry["fault"], entry["dropped"]) == \
        ("ci-7", "POST", "/v2/access/mass-messages", 503, "header", False)
