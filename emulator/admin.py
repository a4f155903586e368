"""The emulator's own admin API under ``/_emulator/``: JSON in, JSON out, per session."""
from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, current_app, request

from . import snapshot
from .clock import format_instant, parse_instant
from .errors import BadRequest, EmulatorError
from .faults import FaultRuleError
from .session import Session
from .sessions import DEFAULT, current_session, registry
from .web import json_body, json_response

bp = Blueprint("admin", __name__, url_prefix="/_emulator")
STATE_LIMIT = 1024 * 1024 * 1024


class RuleNotFound(EmulatorError):
    """No fault rule with that id in this session."""

    status = 404
    message = "No fault rule with that id."


class AdminUnauthorized(EmulatorError):
    """The emulator was started with --admin-token and the request did not present it."""

    status = 401
    message = "The admin API needs Authorization: Bearer <admin token>."


@bp.before_request
def require_admin_token() -> None:
    """When --admin-token is set, every admin route needs it as a Bearer token."""
    token = current_app.config["EMULATOR"].get("admin_token")
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        raise AdminUnauthorized()


@bp.get("/faults")
def list_faults() -> Response:
    """List the session's fault rules, in evaluation order, with how often each fired."""
    faults = current_session().faults
    return json_response({"rules": [rule.describe() for rule in faults.rules]})


@bp.post("/faults")
def add_fault() -> Response:
    """Add a fault rule at the end of the list; answer with it (and its id)."""
    try:
        rule = current_session().faults.add(json_body())
    except FaultRuleError as error:
        raise BadRequest(str(error)) from error
    return json_response(rule.describe(), 201)


@bp.delete("/faults/<rule_id>")
def delete_fault(rule_id: str) -> Response:
    """Remove one fault rule."""
    if not current_session().faults.remove(rule_id):
        raise RuleNotFound(f"No fault rule {rule_id!r}.")
    return json_response({"deleted": rule_id})


@bp.delete("/faults")
def clear_faults() -> Response:
    """Remove every fault rule of the session, the start-up profile's included."""
    current_session().faults.clear()
    return json_response({"deleted": "all"})


def clock_state() -> dict[str, object]:
    """The request's session clock as the admin API shows it."""
    return clock_state_of(current_session())


def clock_state_of(session: Session) -> dict[str, object]:
    """A session's clock as the admin API shows it."""
    clock = session.clock
    now = clock.now()
    return {"now": format_instant(now), "epoch": round(now, 3), "frozen": clock.frozen}


@bp.get("/clock")
def get_clock() -> Response:
    """Show the session's clock."""
    return json_response(clock_state())


@bp.post("/clock")
def move_clock() -> Response:
    """Advance the clock by seconds, set it to an instant, or freeze and unfreeze it."""
    body = json_body()
    clock = current_session().clock
    unknown = set(body) - {"advance", "now", "frozen"}
    if unknown or not body:
        raise BadRequest('Send {"advance": seconds}, {"now": "<ISO-8601>"} or {"frozen": true|false}.')
    advance, moment, frozen = body.get("advance"), body.get("now"), body.get("frozen")
    if advance is not None and (isinstance(advance, bool) or not isinstance(advance, (int, float))):
        raise BadRequest("advance is a number of seconds.")
    if frozen is not None and not isinstance(frozen, bool):
        raise BadRequest("frozen is true or false.")
    try:
        instant = parse_instant(moment).timestamp() if moment is not None else None
    except (TypeError, ValueError, AttributeError) as error:
        raise BadRequest("now is an ISO-8601 instant, e.g. 2026-12-01T18:00:00Z.") from error
    if frozen is not None:
        clock.freeze(frozen)
    if instant is not None:
        clock.set(instant)
    if advance is not None:
        clock.advance(float(advance))
    return json_response(clock_state())


def _number(name: str, kind: type = int) -> Any:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError as error:
        raise BadRequest(f"{name} must be a number.") from error


@bp.get("/requests")
def list_requests() -> Response:
    """The session's journal, filtered by method, path pattern, status, vendor, since and limit."""
    since = request.args.get("since")
    try:
        since_epoch = None if since is None else (float(since) if since.replace(".", "", 1).isdigit()
                                                  else parse_instant(since).timestamp())
    except ValueError as error:
        raise BadRequest("since is epoch seconds or an ISO-8601 instant.") from error
    entries = current_session().journal.query(
        method=request.args.get("method"), path=request.args.get("path"), status=_number("status"),
        vendor=request.args.get("vendor"), since=since_epoch, limit=_number("limit"))
    return json_response({"requests": entries, "count": len(entries)})


@bp.delete("/requests")
def clear_requests() -> Response:
    """Forget the session's journal."""
    current_session().journal.clear()
    return json_response({"deleted": "all"})


@bp.post("/reset")
def reset() -> Response:
    """Rebuild the session from the fixtures: state, journal, runtime faults, clock and rate limits."""
    body = json_body()
    seed, faults = body.get("seed"), body.get("faults", False)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise BadRequest("seed is an integer.")
    if not isinstance(faults, bool):
        raise BadRequest("faults is true (also drop the start-up profile) or false.")
    name = current_session().name
    session = registry().reset(name, seed=seed, with_profile=not faults)
    return json_response({"session": name, "seed": session.seed, "clock": clock_state_of(session)})


@bp.get("/state")
def get_state() -> Response:
    """Export the session's state as JSON."""
    return json_response(snapshot.export(current_session()))


@bp.put("/state")
def put_state() -> Response:
    """Import a state document; a bad one is refused and leaves the state untouched."""
    try:
        snapshot.restore(current_session(), json_body(limit=STATE_LIMIT))
    except snapshot.SnapshotError as error:
        raise BadRequest(str(error)) from error
    return json_response({"imported": True, "messages": len(current_session().world.queue.items)})


@bp.post("/state/save")
def save_state() -> Response:
    """Write the default session's state to the --state-file, atomically."""
    path = current_app.config["EMULATOR"].get("state_file")
    if not path:
        raise BadRequest("Start the emulator with --state-file PATH to save state.")
    snapshot.save(registry().get(DEFAULT), path)
    return json_response({"saved": str(path)})


@bp.get("/sessions")
def list_sessions() -> Response:
    """The live sessions, least recently used first."""
    return json_response({"sessions": registry().names()})
