"""The application factory: one Flask app serving both vendors over shared sessions."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, Response, send_from_directory

from . import __version__, resources
from . import config as configuration
from .admin import dashboard, health, media  # noqa: F401  (media adds its route to the dashboard's API)
from .admin import routes as admin
from .domain import fixtures
from .domain.clock import parse_instant
from .domain.errors import ValidationFailed
from .domain.events import parse as parse_event
from .harness.faults import FaultRuleError, parse_rule
from .harness.journal import JournalLimits
from .harness.session import Session
from .harness.sessions import DEFAULT, Sessions
from .http import context, web
from .http.flaskapp import EmulatorFlask
from .ofauth.routes import bp as ofauth_bp
from .onlyfansapi.routes import bp as onlyfansapi_bp
from .pipeline import admission, stages
from .pipeline import errors as vendor_errors

SPECS = resources.specs_dir()


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build an emulator app; ``overrides`` take the keys of ``config.DEFAULTS``."""
    settings = configuration.resolve(overrides)
    document = fixtures.load(resources.find("fixtures", settings["fixtures"]) or resources.default_fixtures())
    start = settings["clock_start"]
    try:
        clock_start = parse_instant(start).timestamp() if isinstance(start, str) else start
    except ValueError as error:
        raise fixtures.FixtureError(f"--clock-start: {error}") from error

    profile = load_profile(resources.find("faults", settings["faults"]))

    def new_session(name: str, seed: int | None = None, with_profile: bool = True) -> Session:
        return Session(name, document, settings["seed"] if seed is None else seed, clock_start,
                       settings["clock_frozen"], profile if with_profile else [], JournalLimits.from_settings(settings))

    app = EmulatorFlask(__name__)
    app.config.update(EMULATOR=settings, EMULATOR_FIXTURES=document, MAX_CONTENT_LENGTH=None)
    sessions = Sessions(new_session, settings["max_sessions"], settings["on_full"])
    app.extensions["emulator.sessions"] = sessions
    load_state_file(sessions, settings["state_file"], settings["seed"] if seed_given(overrides) else None)
    app.url_map.strict_slashes = False
    app.url_map.merge_slashes = False  # "/v2//access/..." is a 404 in the vendor's shape, never a redirect
    app.register_blueprint(ofauth_bp)
    app.register_blueprint(onlyfansapi_bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(dashboard.bp)
    health.install(app, __version__)
    vendor_errors.install(app)

    web.install(app)
    context.install(app, admission.fixture_keys(document))

    @app.get("/openapi/<name>.yaml")
    def openapi_spec(name: str) -> Response:
        """Serve the vendors' specs for the routes the emulator implements."""
        return send_from_directory(SPECS, f"{name}.yaml", mimetype="application/yaml")

    stages.install(app)
    return app


def seed_given(overrides: dict[str, Any] | None) -> bool:
    """Whether the caller chose the seed (``--seed`` or ``EMULATOR_SEED``), rather than taking the default."""
    return (overrides or {}).get("seed") is not None or bool(os.environ.get(configuration.ENVIRONMENT["seed"][0]))


def load_state_file(sessions: Sessions, path: str | None, seed: int | None = None) -> None:
    """Restore the default session from ``--state-file`` when that file exists, with the seed it was saved under
    (``seed``, when the caller chose one: refuse a file saved under another)."""
    if not path:
        return
    from .harness import snapshot

    try:
        snapshot.prepare(path)
        snapshot.load_file(sessions.get(DEFAULT), path, seed)
    except snapshot.SnapshotError as error:
        raise fixtures.FixtureError(str(error)) from error


def load_profile(path: str | None) -> list[dict[str, Any]]:
    """Read a fault profile (YAML: a list of rules, or ``rules:`` holding one, and ``events:``, vendor events) and
    check every rule and event."""
    if not path:
        return []
    try:
        document = fixtures.parse_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise fixtures.FixtureError(f"cannot read fault profile {path}: {error}") from error
    rules = document.get("rules", []) if isinstance(document, dict) else document
    if not isinstance(rules, list):
        raise fixtures.FixtureError(f"fault profile {path}: expected a list of rules")
    try:
        for number, rule in enumerate(rules, 1):
            parse_rule(rule, f"fault_{number}")
    except FaultRuleError as error:
        raise fixtures.FixtureError(f"fault profile {path}: {error}") from error
    events = document.get("events", []) if isinstance(document, dict) else []
    if not isinstance(events, list):
        raise fixtures.FixtureError(f"fault profile {path}: expected a list of events")
    try:
        for event in events:
            parse_event(event, 0.0)
    except ValidationFailed as error:
        raise fixtures.FixtureError(f"fault profile {path}: events: {error}") from error
    return rules + [{"event": event} for event in events]
