"""The application factory: one Flask app serving both vendors over shared sessions."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, g, request, send_from_directory

from . import config as configuration
from . import errors_http, fixtures
from .clock import parse_instant
from .ofauth.routes import bp as ofauth_bp
from .onlyfansapi.routes import bp as onlyfansapi_bp
from .session import Session
from .sessions import Sessions, current_session

SPECS = Path(__file__).resolve().parent.parent / "openapi"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build an emulator app; ``overrides`` take the keys of ``config.DEFAULTS``."""
    settings = configuration.resolve(overrides)
    document = fixtures.load(settings["fixtures"])
    start = settings["clock_start"]
    clock_start = parse_instant(start).timestamp() if isinstance(start, str) else start

    def new_session(name: str) -> Session:
        return Session(name, document, settings["seed"], clock_start, settings["clock_frozen"])

    app = Flask(__name__)
    app.config.update(EMULATOR=settings, EMULATOR_FIXTURES=document, MAX_CONTENT_LENGTH=None)
    app.extensions["emulator.sessions"] = Sessions(new_session, settings["max_sessions"])
    app.url_map.strict_slashes = False
    app.register_blueprint(ofauth_bp)
    app.register_blueprint(onlyfansapi_bp)
    errors_http.install(app)

    @app.before_request
    def identify() -> None:
        if not request.path.startswith(("/_emulator", "/openapi")):
            g.request_id = current_session().request_id()

    @app.get("/openapi/<name>.yaml")
    def openapi_spec(name: str) -> Response:
        """Serve the vendors' specs for the routes the emulator implements."""
        return send_from_directory(SPECS, f"{name}.yaml", mimetype="application/yaml")

    return app
