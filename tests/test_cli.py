"""The command line: the console script, --version, bundled names for --fixtures/--faults, start-up errors."""
from __future__ import annotations

import socket
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from emulator import __version__, create_app, resources
from emulator.cli import main
from emulator.domain.fixtures import FixtureError

from .conftest import ROOT


def serve_fails(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m emulator serve`` expecting it to stop at once."""
    return subprocess.run([sys.executable, "-m", "emulator", "serve", *args], capture_output=True, text=True,
                          timeout=30)


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0 and capsys.readouterr().out == f"onlyfans-emulator {__version__}\n"


def test_console_script_is_declared_next_to_the_pytest_plugin():
    [script] = entry_points(group="console_scripts", name="onlyfans-emulator")
    assert script.value == "emulator.cli:main"
    assert [plugin.value for plugin in entry_points(group="pytest11", name="emulator")] == ["emulator.pytest_plugin"]


@pytest.mark.parametrize(("option", "label", "bundled"), [("--faults", "fault profile", "flaky-gateway"),
                                                           ("--fixtures", "fixture file", "default")])
def test_serve_refuses_an_unknown_name_listing_the_bundled_ones(option, label, bundled):
    result = serve_fails("--port", "0", option, "no-such-thing")
    assert result.returncode == 2 and result.stdout == ""
    assert f"{label} 'no-such-thing'" in result.stderr and bundled in result.stderr


def test_serve_reports_a_missing_path_as_a_path():
    result = serve_fails("--port", "0", "--faults", "profiles/missing.yaml")
    assert result.returncode == 2 and "cannot read fault profile profiles/missing.yaml" in result.stderr


@pytest.mark.parametrize("instant", ["notadate", "2026-13-01T00:00:00Z", "99999-01-01T00:00:00Z"])
def test_serve_refuses_a_clock_start_it_cannot_read(instant):
    result = serve_fails("--port", "0", "--clock-start", instant)
    assert result.returncode == 2 and result.stderr.startswith("error: --clock-start:")
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = serve_fails("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2 and "cannot listen on 127.0.0.1:" in result.stderr


@pytest.mark.parametrize("name", ["flaky-gateway", "flaky-gateway.yaml"])
def test_bundled_fault_profile_names_resolve(name):
    app = create_app({"faults": name})
    rules = app.test_client().get("/_emulator/faults").get_json()["rules"]
    assert [rule["id"] for rule in rules] == ["lost-response", "html-502", "json-502"]


def test_bundled_fixture_name_resolves_to_the_default_fixtures():
    assert create_app({"fixtures": "default"}).config["EMULATOR_FIXTURES"] == \
        create_app().config["EMULATOR_FIXTURES"]


def test_a_file_beats_a_bundled_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("flaky-gateway").write_text("- {id: mine, respond: {status: 500}}\n")
    rules = create_app({"faults": "flaky-gateway"}).test_client().get("/_emulator/faults").get_json()["rules"]
    assert [rule["id"] for rule in rules] == ["mine"]


def test_unknown_names_raise_in_process_too():
    with pytest.raises(resources.UnknownName, match="rate-limit-storm"):
        create_app({"faults": "storm"})
    with pytest.raises(FixtureError, match="cannot read fixtures"):
        create_app({"fixtures": "nowhere/world.yaml"})


def test_editable_install_reads_the_checkout_where_a_wheel_reads_its_bundled_copy():
    assert resources.data_root() == ROOT  # nothing is copied for an editable install: see test_packaging
    assert set(resources.bundled("faults")) == {"flaky-gateway", "rate-limit-storm", "slow-upstream"}
    assert resources.default_fixtures() == ROOT / "fixtures" / "default.yaml"
    assert sorted(path.name for path in resources.specs_dir().glob("*.yaml")) == ["ofauth.yaml", "onlyfansapi.yaml"]


@pytest.mark.parametrize(("arguments", "option"), [
    (["--port", "99999"], "--port"), (["--port", "-1"], "--port"), (["--port", "http"], "--port"),
    (["--max-sessions", "0"], "--max-sessions"), (["--journal-size", "-1"], "--journal-size"),
    (["--journal-size", "0"], "--journal-size"), (["--journal-bytes", "0"], "--journal-bytes"),
    (["--journal-body-bytes", "-1"], "--journal-body-bytes"), (["--journal-header-bytes", "0"],
                                                              "--journal-header-bytes"),
    (["--header-timeout", "0"], "--header-timeout"), (["--header-timeout", "-2"], "--header-timeout"),
    (["--header-timeout", "nan"], "--header-timeout"), (["--header-timeout", "inf"], "--header-timeout"),
    (["--threads", "0"], "--threads"), (["--max-connections", "0"], "--max-connections"),
    (["--seed", "-1"], "--seed"), (["--seed", "1.5"], "--seed"), (["--host", " "], "--host"),
    (["--admin-token", ""], "--admin-token"), (["--clock-start", "soon"], "--clock-start"),
    (["--log-format", "xml"], "--log-format"), (["--server", "gunicorn"], "--server"),
])
def test_serve_refuses_a_value_out_of_range_on_one_line_naming_the_option(arguments, option):
    result = serve_fails(*arguments)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {option}: ")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("variable", "value"), [("EMULATOR_SEED", "lots"), ("EMULATOR_SEED", "-4"),
                                                 ("EMULATOR_CLOCK_START", "yesterday")])
def test_serve_refuses_a_bad_environment_variable_on_one_line_naming_it(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    result = serve_fails("--port", "0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {variable}: ") and "Traceback" not in result.stderr


def test_an_option_given_wins_over_a_bad_environment_variable(monkeypatch):
    from emulator.cli import parse

    monkeypatch.setenv("EMULATOR_SEED", "lots")
    assert parse(["serve", "--seed", "7"]).seed == 7


def test_serve_accepts_the_edges_of_each_range():
    from emulator.cli import parse

    args = parse(["serve", "--port", "65535", "--journal-body-bytes", "0", "--header-timeout", "0.5",
                  "--threads", "1", "--max-sessions", "1", "--seed", "0"])
    assert (args.port, args.journal_body_bytes, args.header_timeout, args.max_sessions) == (65535, 0, 0.5, 1)


def test_serve_help_groups_its_options_with_metavars_and_lists_the_environment(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--help"])
    text = capsys.readouterr().out
    assert stopped.value.code == 0
    groups = ["network and server:", "world and state:", "journal (per session):", "logging:"]
    assert [text.index(group) for group in groups] == sorted(text.index(group) for group in groups)
    for shown in ("--port N", "--fixtures PATH|NAME", "--clock-start ISO", "--state-file PATH",
                  "--header-timeout SECONDS", "--journal-size N"):
        assert shown in text
    assert "CLOCK_START" not in text.replace("EMULATOR_CLOCK_START", "") and "default; default" not in text
    epilog = text.split("environment variables", 1)[1]
    for variable in ("EMULATOR_SEED", "EMULATOR_FIXTURES", "EMULATOR_FAULTS", "EMULATOR_CLOCK_START",
                     "EMULATOR_ADMIN_TOKEN"):
        assert variable in epilog


@pytest.mark.parametrize("given, meant", [([], "async"), (["--server", "granian"], "async"),
                                          (["--server", "waitress"], "waitress")])
def test_serve_reads_the_old_default_servers_name_as_the_new_one(given, meant):
    from emulator.cli import parse

    assert parse(["serve", *given]).server == meant
