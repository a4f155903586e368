"""The emulator's own admin API under ``/_emulator/``: JSON in, JSON out, per session."""
from __future__ import annotations

import hmac
import re

from flask import Blueprint, Response, current_app, request

from ..domain.clock import OutOfRange, format_instant, parse_instant
from ..domain.errors import BadRequest, EmulatorError, ValidationFailed
from ..domain.events import parse
from ..harness.faults import FaultRuleError
from ..harness.journal import render
from ..harness.session import Session
from ..harness.sessions import DEFAULT
from ..http.context import current_session, locked_session, registry
from ..http.web import json_body, json_response, query_integer
from .guard import refuse_web_pages

bp = Blueprint("admin", __name__, url_prefix="/_emulator")
EPOCH = re.compile(r"[0-9]{1,12}(\.[0-9]{1,9})?")


class RuleNotFound(EmulatorError):
    """No fault rule with that id in this session."""

    status = 404
    message = "No fault rule with that id."


class StateNotSaved(EmulatorError):
    """The --state-file could not be written (disk full, permissions); the state lives on in memory."""

    status = 507
    message = "Could not save the state."


class AdminUnauthorized(EmulatorError):
    """The emulator was started with --admin-token and the request did not present it."""

    status = 401
    message = "The admin API needs Authorization: Bearer <admin token>."


@bp.before_request
def require_admin_token() -> None:
    """With --admin-token, every admin route needs it as a Bearer token, compared as bytes; without, what a web
    page could send on its own is refused (``guard``)."""
    token = current_app.config["EMULATOR"].get("admin_token")
    if not token:
        refuse_web_pages()
    elif not hmac.compare_digest(wire_bytes(request.headers.get("Authorization", "")),
                                 f"Bearer {token}".encode("utf-8", "surrogateescape")):
        raise AdminUnauthorized()


def wire_bytes(value: str) -> bytes:
    """A header value as the bytes the client sent (servers decode headers as Latin-1); never raises."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


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


@bp.get("/events")
def list_events() -> Response:
    """List the session's vendor events, applied or still to come."""
    session = current_session()
    with session.lock:
        session.events.settle(session.world, session.clock.now())
        return json_response({"events": [event.describe() for event in session.events.items]})


@bp.post("/events")
def add_event() -> Response:
    """Make a vendor event happen now (or ``at`` an instant, or ``in`` seconds): see docs/media.md."""
    with locked_session() as session:
        now = session.clock.now()
        try:
            event = session.events.add(session.world, *parse(json_body(), now), now)
        except ValidationFailed as error:
            raise BadRequest(f"{next(iter(error.fields))}: {error.message}") from error
        return json_response(event.describe(), 201)


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
    """Freeze or unfreeze, set, and advance the clock, all checked before any of it happens."""
    body = json_body()
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
    except ValueError as error:
        raise BadRequest(f"now is an ISO-8601 instant, e.g. 2026-12-01T18:00:00Z: {error}.") from error
    try:
        current_session().move_clock(frozen, instant, advance)
    except OutOfRange as error:
        raise BadRequest(f"The clock cannot move there: {error}; it did not move.") from error
    return json_response(clock_state())


def _since() -> float | None:
    since = request.args.get("since")
    if since is None:
        return None
    try:
        return float(since) if EPOCH.fullmatch(since) else parse_instant(since).timestamp()
    except ValueError as error:
        raise BadRequest("since is epoch seconds or an ISO-8601 instant, in ASCII digits.") from error


@bp.get("/requests")
def list_requests() -> Response:
    """The session's journal, filtered by method, path pattern, status, vendor, since and limit; streamed."""
    journal = current_session().journal
    entries = journal.select(
        method=request.args.get("method"), path=request.args.get("path"),
        status=query_integer("status", 0, 599), vendor=request.args.get("vendor"), since=_since(),
        limit=query_integer("limit", 1, 10**9))
    return current_app.response_class(render(entries, journal.evicted), mimetype="application/json")


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
    from ..harness import snapshot

    return json_response(snapshot.export(current_session()))


@bp.put("/state")
def put_state() -> Response:
    """Import a state document; a bad one is refused and leaves the state untouched."""
    from ..harness import snapshot

    try:
        snapshot.restore(current_session(), json_body(limit=current_app.config["EMULATOR"]["max_state_body"]))
    except snapshot.SnapshotError as error:
        raise BadRequest(str(error)) from error
    return json_response({"imported": True, "messages": len(current_session().world.queue.items)})


@bp.post("/state/save")
def save_state() -> Response:
    """Write the default session's state to the --state-file, atomically."""
    from ..harness import snapshot

    path = current_app.config["EMULATOR"].get("state_file")
    if not path:
        raise BadRequest("Start the emulator with --state-file PATH to save state.")
    try:
        snapshot.save(registry().get(DEFAULT), path)
    except OSError as error:
        raise StateNotSaved(f"Could not save the state to {snapshot.shown(path)}: {error.strerror or error}; "
                            "it is still in memory.") from error
    return json_response({"saved": snapshot.shown(path)})


@bp.get("/sessions")
def list_sessions() -> Response:
    """The live sessions, least recently used first."""
    return json_response({"sessions": registry().names()})
