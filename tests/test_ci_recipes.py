"""The CI recipes of docs/ci.md, run: the shell script as written, and the shell steps of the GitHub and GitLab jobs.

Each runs in a project folder holding one test of its own, with the installed wheel's virtualenv first on PATH
(see tests/installed.py), ``EMULATOR_PACKAGE`` pointing at that wheel, pip kept offline, pytest's plugin
autoloading off (the user's test needs none), and port 8080 replaced by a free one. ``uses:`` steps (checkout,
setup-python, upload-artifact) are the CI system's own and are not run.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT
from .installed import Installed, installed

FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
USER_TEST = '''
import os

import httpx


def test_the_emulator_answers():
    url = os.environ["EMULATOR_URL"]
    assert httpx.get(f"{url}/_emulator/health").json()["status"] == "ok"
    created = httpx.post(f"{url}/v2/access/mass-messages", json={"text": "From CI", "userLists": ["fans"]},
                         headers={"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"})
    assert created.status_code == 200
'''


def recipes() -> list[tuple[str, str]]:
    """The fenced blocks of docs/ci.md, as (language, text)."""
    return FENCE.findall((ROOT / "docs" / "ci.md").read_text(encoding="utf-8"))


def shell_recipe() -> str:
    [script] = [text for language, text in recipes() if language == "bash" and text.startswith("set -euo")]
    return script


def free_port_tip() -> str:
    [tip] = [text for language, text in recipes() if language == "bash" and "--port 0" in text]
    return tip


def yaml_recipe(top_level_key: str) -> dict[str, Any]:
    [document] = [doc for doc in (yaml.safe_load(text) for language, text in recipes() if language == "yaml")
                  if top_level_key in doc]
    return document


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    return installed(tmp_path_factory)


class Project:
    """A user's project folder with one test, and the environment a CI job would give it."""

    def __init__(self, folder: Path, package: Installed, failing: bool = False) -> None:
        self.folder = folder
        self.port = str(free_port())
        (folder / "test_with_emulator.py").write_text(
            USER_TEST + ("    assert False, 'a failing test'\n" if failing else ""))
        self.env = {**package.env(), "EMULATOR_PACKAGE": str(package.wheel), "PIP_NO_INDEX": "1",
                    "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTEST_ADDOPTS": "-p no:cacheprovider",
                    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # the user's test needs none; loading all costs seconds

    def bash(self, script: str, env: dict[str, str] | None = None, options: str = "-eo pipefail") \
            -> subprocess.CompletedProcess[str]:
        """Run a script with bash as a CI runner would, with 8080 replaced by this project's port."""
        variables = {name: value.replace("8080", self.port) for name, value in (env or {}).items()}
        variables.pop("EMULATOR_PACKAGE", None)  # the CI system's variable: here, the wheel in self.env
        return subprocess.run(["bash", "--noprofile", "--norc", *options.split(), "-c",
                               script.replace("8080", self.port)], cwd=self.folder,
                              env={**self.env, **variables}, capture_output=True, text=True, timeout=180)

    def stopped_cleanly(self) -> bool:
        """The emulator's log ends with its clean-stop line and nothing listens on the port any more."""
        log = (self.folder / "emulator.log").read_text()
        with socket.socket() as probe:
            listening = probe.connect_ex(("127.0.0.1", int(self.port))) == 0
        return log.rstrip().endswith("emulator stopped") and f"ready: http://127.0.0.1:{self.port}" in log \
            and not listening


def test_shell_recipe_installs_starts_waits_tests_and_stops(package, tmp_path):
    project = Project(tmp_path, package)
    result = project.bash(shell_recipe())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert project.stopped_cleanly()
    log = (tmp_path / "emulator.log").read_text()
    assert " POST /v2/access/mass-messages 200 " in log  # the access log shows what the test sent


def test_shell_recipe_fails_with_the_tests_and_still_stops_the_emulator(package, tmp_path):
    project = Project(tmp_path, package, failing=True)
    result = project.bash(shell_recipe())
    assert result.returncode == 1 and "1 failed" in result.stdout
    assert project.stopped_cleanly()


def test_github_actions_job_runs_step_by_step(package, tmp_path):
    workflow = yaml_recipe("jobs")
    [job] = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu") and "push" in workflow[True]  # YAML 1.1 reads "on" as True
    assert any(step.get("uses", "").startswith("actions/setup-python") for step in job["steps"])
    project = Project(tmp_path, package)
    for step in (step for step in job["steps"] if "run" in step):  # each in a shell of its own, like the runner
        result = project.bash(step["run"], {**job.get("env", {}), **step.get("env", {})})
        assert result.returncode == 0, f"{step.get('name')}: {result.stdout}{result.stderr}"
    assert project.stopped_cleanly()
    assert "always()" in [step.get("if") for step in job["steps"] if "Stop" in step.get("name", "")]


def test_gitlab_job_runs_its_script_in_one_shell(package, tmp_path):
    [job] = [value for value in yaml_recipe("test").values()]
    assert job["image"].startswith("python:3.11") and "emulator.log" in job["artifacts"]["paths"]
    project = Project(tmp_path, package)
    script = "\n".join(job.get("before_script", []) + job["script"])
    result = project.bash(script, job.get("variables", {}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and project.stopped_cleanly()


def test_free_port_tip_reads_the_url_from_the_ready_line(package, tmp_path):
    project = Project(tmp_path, package)
    started = time.monotonic()
    result = project.bash(f"{free_port_tip()}\npid=$!\n"
                          'curl -fsS "$EMULATOR_URL/_emulator/health"\nkill -TERM $pid\nwait $pid')
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"status":"ok"' in result.stdout and time.monotonic() - started < 30
    assert os.path.getsize(tmp_path / "emulator.log") > 0


def test_shell_recipe_refuses_to_run_without_an_explicit_package(package, tmp_path):
    project = Project(tmp_path, package)
    del project.env["EMULATOR_PACKAGE"]
    result = project.bash(shell_recipe())
    assert result.returncode != 0 and "EMULATOR_PACKAGE: set EMULATOR_PACKAGE to a wheel path or git URL of the emulator" \
        in result.stderr
    assert not (tmp_path / "emulator.log").exists()  # it stopped before starting anything


@pytest.mark.parametrize("recipe", ["shell", "tip"])
def test_a_serve_that_cannot_start_ends_the_wait_with_its_log(package, tmp_path, recipe):
    project = Project(tmp_path, package)
    started = time.monotonic()
    with socket.socket() as taken:  # the recipe's port is in use, so serve exits 2 at once
        taken.bind(("127.0.0.1", int(project.port)))
        taken.listen()
        script = shell_recipe() if recipe == "shell" else free_port_tip().replace("--port 0", f"--port {project.port}")
        result = project.bash(script)
    assert result.returncode == 1 and time.monotonic() - started < 60
    assert f"error: cannot listen on 127.0.0.1:{project.port}" in result.stdout
