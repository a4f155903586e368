"""Fault rules as data: what they match, what they do, when, and how often; evaluated by one function."""
from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import orjson
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from ..domain.jsongate import UnsafeJSON, check
from .pattern import compiled

MAX_RULES = 1000
RULES_BUDGET = 1024 * 1024
MAX_DELAY_MS = 120_000
# Header names are RFC 9110 tokens, values visible Latin-1 (what goes on the wire), never CR, LF or NUL.
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}")
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]{0,8192}")
# The server frames the response itself: a rule that set these would break the connection, not the client.
FRAMING = {"connection", "content-length", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
           "trailer", "trailers", "transfer-encoding", "upgrade"}
# Statuses that carry no body: the vendors' error bodies (or a rule's) could not be sent with them.
BODILESS = {204, 205, 304}
HEADER_DIRECTIVE = re.compile(r"(?P<status>[0-9]{3})|delay=(?P<low>[0-9]{1,6})(?:-(?P<high>[0-9]{1,6}))?|"
                              r"(?P<word>drop|html|truncate|before|after)")


class FaultRuleError(ValueError):
    """A fault rule that cannot be used; the message says why."""


def _header(name: str, value: str) -> None:
    if not HEADER_NAME.fullmatch(name):
        raise ValidationError(f"header name {name[:40]!r} is not an HTTP token", "headers")
    if name.lower() in FRAMING:
        raise ValidationError(f"header {name!r} is set by the server and cannot be faked", "headers")
    if not HEADER_VALUE.fullmatch(value):
        raise ValidationError(f"header {name!r}: a value is at most 8192 visible Latin-1 characters, "
                              "without CR, LF or other control characters", "headers")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class MatchSchema(_Strict):
    vendor = fields.String(validate=validate.OneOf(("ofauth", "onlyfansapi")))
    method = fields.String(validate=validate.OneOf(("GET", "POST", "PUT", "DELETE", "PATCH")))
    route = fields.String(validate=validate.Length(min=1))
    connection = fields.String()
    account = fields.String()
    key = fields.String()


class RespondSchema(_Strict):
    status = fields.Integer(strict=True, validate=[
        validate.Range(min=200, max=599, error="status is 200-599"),
        validate.NoneOf(BODILESS, error="status 204, 205 and 304 carry no body; use 200-599 otherwise")])
    headers = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    body = fields.Raw()
    delay_ms = fields.Raw()
    drop = fields.Boolean(truthy={True}, falsy={False}, load_default=False)
    html = fields.Boolean(truthy={True}, falsy={False}, load_default=False)
    truncate = fields.Boolean(truthy={True}, falsy={False}, load_default=False)

    @validates_schema
    def delay_is_ms_or_range(self, data: dict[str, Any], **kwargs: Any) -> None:
        delay = data.get("delay_ms")
        if delay is None:
            return
        bounds = delay if isinstance(delay, list) else [delay, delay]
        if len(bounds) != 2 or not all(isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= MAX_DELAY_MS
                                       for b in bounds) or bounds[0] > bounds[1]:
            raise ValidationError(f"delay_ms is milliseconds (0-{MAX_DELAY_MS}) or a [low, high] range", "delay_ms")

    @validates_schema
    def headers_render(self, data: dict[str, Any], **kwargs: Any) -> None:
        for name, value in data.get("headers", {}).items():
            _header(name, value)

    @validates_schema
    def body_is_text_or_json(self, data: dict[str, Any], **kwargs: Any) -> None:
        body = data.get("body")
        if body is not None and not isinstance(body, (str, dict, list)):
            raise ValidationError("body is text, or a JSON object or array", "body")


RULE_ID = r"[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}\Z"
RULE_ID_RULE = "1-128 letters, digits and _ . : -, starting with a letter, a digit or _"


class RuleSchema(_Strict):
    # A path segment as it is: no encoding needed, and never "." or ".." (which a URL resolves away).
    id = fields.String(validate=validate.Regexp(RULE_ID, error=f"id is {RULE_ID_RULE}"))
    match = fields.Nested(MatchSchema, load_default=dict)
    respond = fields.Nested(RespondSchema, required=True)
    when = fields.String(load_default="before", validate=validate.OneOf(("before", "after")))
    times = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(min=1))
    after = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0))
    probability = fields.Float(load_default=1.0, validate=validate.Range(min=0, max=1))


@dataclass
class Rule:
    """One fault rule, with how often it has matched and fired."""

    id: str
    match: dict[str, str]
    respond: dict[str, Any]
    when: str = "before"
    times: int | None = None
    after: int = 0
    probability: float = 1.0
    matched: int = 0
    fired: int = 0
    from_profile: bool = False
    size: int = 0

    @property
    def retired(self) -> bool:
        """Whether the rule has fired as many times as it was told to."""
        return self.times is not None and self.fired >= self.times

    def describe(self) -> dict[str, Any]:
        """The rule as the admin API shows it."""
        return {"id": self.id, "match": self.match, "respond": self.respond, "when": self.when,
                "times": self.times, "after": self.after, "probability": self.probability,
                "matched": self.matched, "fired": self.fired, "retired": self.retired,
                "source": "profile" if self.from_profile else "runtime"}


@dataclass(frozen=True)
class Facts:
    """What a rule can match on, read from one request."""

    vendor: str
    method: str
    route: str
    path: str
    connection: str = ""
    account: str = ""
    key: str = ""


def parse_rule(document: Any, rule_id: str, from_profile: bool = False) -> Rule:
    """Check a rule document whole, so that the rule it builds is sure to render, and build the Rule."""
    try:
        check(document)
        loaded = RuleSchema().load(document if isinstance(document, dict) else {"respond": None})
    except UnsafeJSON as error:
        raise FaultRuleError(f"invalid fault rule: {error.message}") from error
    except ValidationError as error:
        raise FaultRuleError(f"invalid fault rule: {error.messages}") from error
    respond = {key: value for key, value in loaded["respond"].items() if value not in (None, False, {})}
    if not respond:
        raise FaultRuleError("invalid fault rule: respond needs status, body, headers, delay_ms, drop, html or "
                             "truncate")
    return Rule(loaded.get("id") or rule_id, loaded["match"], respond, loaded["when"], loaded["times"],
                loaded["after"], loaded["probability"], from_profile=from_profile)


def matches(rule: Rule, facts: Facts) -> bool:
    """Whether every condition the rule states holds for the request."""
    for name, wanted in rule.match.items():
        if name == "route":
            if wanted != facts.route and not compiled(wanted).matches(facts.path):
                return False
        elif name == "method":
            if wanted != facts.method:
                return False
        elif getattr(facts, name) != wanted:
            return False
    return True


@dataclass
class FaultBook:
    """The ordered rules of one session, and the seeded generator their probabilities draw from."""

    seed: int
    rules: list[Rule] = field(default_factory=list)
    next_number: int = 1

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.seed}:faults")
        self.lock = threading.Lock()

    def add(self, document: Any, from_profile: bool = False) -> Rule:
        """Append a rule (checked whole, and within the session's rule budget) and return it."""
        with self.lock:
            rule = parse_rule(document, f"fault_{self.next_number}", from_profile)
            if any(existing.id == rule.id for existing in self.rules):
                raise FaultRuleError(f"a fault rule with id {rule.id!r} exists already")
            rule.size = len(orjson.dumps(rule.describe()))
            if len(self.rules) >= MAX_RULES or rule.size + sum(kept.size for kept in self.rules) > RULES_BUDGET:
                raise FaultRuleError(f"a session holds at most {MAX_RULES} fault rules and {RULES_BUDGET} bytes "
                                     "of them; delete some first")
            self.next_number += 1
            self.rules.append(rule)
            return rule

    def remove(self, rule_id: str) -> bool:
        """Delete one rule; return whether it existed."""
        with self.lock:
            kept = [rule for rule in self.rules if rule.id != rule_id]
            found, self.rules = len(kept) != len(self.rules), kept
            return found

    def clear(self, keep_profile: bool = False) -> None:
        """Delete the runtime rules, and the profile's unless ``keep_profile``."""
        with self.lock:
            self.rules = [rule for rule in self.rules if keep_profile and rule.from_profile]

    def evaluate(self, facts: Facts, extra: Rule | None = None) -> Rule | None:
        """Return the rule that fires for this request, if any: ``extra`` first, then in order."""
        with self.lock:
            for rule in ([extra] if extra else []) + self.rules:
                if rule.retired or not matches(rule, facts):
                    continue
                rule.matched += 1
                if rule.matched <= rule.after:
                    continue
                if rule.probability < 1.0 and self.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                return rule
            return None

    def delay_seconds(self, rule: Rule) -> float:
        """The delay a firing rule asks for, drawn from its range with the seeded generator."""
        delay = rule.respond.get("delay_ms")
        if delay is None:
            return 0.0
        if isinstance(delay, list):
            with self.lock:
                return self.rng.uniform(delay[0], delay[1]) / 1000
        return delay / 1000


def from_header(value: str) -> Rule:
    """Build a one-off rule from ``X-Emulator-Fault``: ``429``, ``502;after``, ``delay=250``, ``drop``, ``html``."""
    respond: dict[str, Any] = {}
    when = "before"
    for part in (piece.strip().lower() for piece in value.split(";") if piece.strip()):
        found = HEADER_DIRECTIVE.fullmatch(part)
        if found is None:
            raise FaultRuleError(f"X-Emulator-Fault: cannot read {part[:40]!r}: use a status (502), delay=MS, "
                                 "delay=LOW-HIGH, drop, html, truncate, before or after, separated by ';'")
        if found["status"]:
            respond["status"] = int(found["status"])
        elif found["low"]:
            low, high = int(found["low"]), found["high"]
            respond["delay_ms"] = [low, int(high)] if high else low
        elif found["word"] in ("before", "after"):
            when = found["word"]
        else:
            respond[found["word"]] = True
    return parse_rule({"respond": respond, "when": when, "times": 1}, "header")
