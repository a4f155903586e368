"""Load request data with marshmallow schemas, and turn their nested error messages into flat
``field.path: [messages]`` maps.

A schema's load is a pure function of what it is given, and clients send the same small query strings and
bodies request after request; so what loaded cleanly into plain values (no list or object a route could change)
is remembered (at most ``REMEMBERED`` inputs of at most ``SMALL`` characters each, the oldest forgotten first)
and handed out as a new dict.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, missing

from ..domain.errors import ValidationFailed
from ..domain.kept import keep

SMALL = 1024  # characters (or bytes) of a query string or body whose loaded fields are remembered
REMEMBERED = 256  # inputs remembered: at most about 0.5 MB
PLAIN = (str, int, float, bool, type(None))
NAMED_SETS = 64  # per body schema: restrictions kept, one per set of fields bodies name; the first 64 sets stay,
# and a body naming another set gets marshmallow's full load (slower, never different)


class BodySchema(Schema):
    """A request body: unknown keys are dropped, as zod's default object and Laravel's validator drop them, and
    a body is loaded only through the fields it names.

    A body names few of its schema's fields (an update one, a create a handful of fifteen), and marshmallow walks
    every declared field on every load, asking each absent one for its default. So ``load`` runs the schema
    restricted (``only``) to the fields the body names and those it requires, a restriction built once per set
    of names, then adds the defaults of the absent fields, in the declared order. For a schema whose only hooks
    are schema-level validators and whose fields keep their names (no ``attribute``) that is the full load's
    result, or its errors (``tests/test_lean_loads.py`` checks both on generated bodies), provided those
    validators read a field that has a default with ``get``: they see it absent, not defaulted. Any other
    schema, or an instance given options (``exclude``, ``unknown``...), gets marshmallow's full load.
    """

    class Meta:
        unknown = EXCLUDE

    def load(self, data: Any, *, many: bool | None = None, partial: Any = None,  # type: ignore[override]
             unknown: str | None = None) -> Any:
        """``Schema.load``; a plain load of an object through the restriction to the fields it names."""
        lean = _lean(type(self))
        if (not lean.usable or many is not None or partial is not None or unknown is not None
                or not isinstance(data, dict) or self.only is not None or self.exclude or self.load_only
                or self.dump_only or self.many or self.partial or self.unknown != self.opts.unknown):
            return super().load(data, many=many, partial=partial, unknown=unknown)
        named = frozenset(lean.names[key] for key in data if key in lean.names)
        restricted = lean.restricted.get(named)
        if restricted is None:
            if len(lean.restricted) >= NAMED_SETS:
                return super().load(data)
            restricted = lean.restricted[named] = type(self)(only=[name for name in lean.order
                                                                   if name in named or name in lean.required])
        loaded: dict[str, Any] = Schema.load(restricted, data)  # marshmallow's own: it is restricted already
        if not lean.defaults or named.issuperset(lean.defaults):
            return loaded
        for name, default in lean.defaults.items():
            if name not in loaded:
                loaded[name] = default() if callable(default) else default
        return {name: loaded[name] for name in lean.order if name in loaded}


def hook_tags(cls: type[Schema]) -> set[str]:
    """The kinds of marshmallow hook ``cls`` declares (``pre_load``, ``validates``...), read from the mark
    marshmallow's decorators leave on a method (keyed by tag in marshmallow 4, by ``(tag, many)`` in 3)."""
    tags = set()
    for name in dir(cls):
        marks = getattr(getattr(cls, name, None), "__marshmallow_hook__", None) or {}
        tags.update(key[0] if isinstance(key, tuple) else key for key in marks)
    return tags


class _Lean:
    """What ``BodySchema.load`` needs of a schema class: whether the restriction can give the full load's result
    (``usable``), each field's key in a body, the declared order, the required fields, the defaults, and the
    restrictions built so far."""

    def __init__(self, schema: Schema) -> None:
        fields = schema.load_fields
        self.usable = hook_tags(type(schema)) <= {"validates_schema"} and not any(
            field.attribute for field in fields.values())
        self.names = {field.data_key or name: name for name, field in fields.items()}
        self.order = list(fields)
        self.required = {name for name, field in fields.items() if field.required}
        self.defaults = {name: field.load_default for name, field in fields.items()
                         if field.load_default is not missing}
        self.restricted: dict[frozenset[str], Schema] = {}


def _lean(cls: type[Schema]) -> _Lean:
    found = _LEAN.get(cls)
    if found is None:
        found = _LEAN[cls] = _Lean(cls())
    return found


_LEAN: dict[type[Schema], _Lean] = {}


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten ``{"a": {0: ["m"]}}`` into ``{"a.0": ["m"]}``; schema-level errors keep their field."""
    if isinstance(messages, list) and all(isinstance(message, str) for message in messages):
        return {prefix or "body": list(messages)}
    flat: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else enumerate(messages)
    for key, value in items:
        name = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        for path, found in flatten(value, name).items():
            flat.setdefault(path, []).extend(found)
    return flat


def load(schema: Schema, body: dict[str, Any]) -> dict[str, Any]:
    """Load ``body`` with ``schema`` or raise ValidationFailed with flat field paths."""
    try:
        return schema.load(body)
    except ValidationError as error:
        raise ValidationFailed(flatten(error.messages)) from error


def remembered(schema: Schema, given: Hashable, size: int, parse: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``schema.load(parse())``, remembered under ``given`` (the raw query or body) when it is at most ``SMALL``
    long (``size``) and loads into plain values; a new dict each time. Raises ValidationError as
    ``schema.load`` does, and what fails is never remembered."""
    if size > SMALL:
        return schema.load(parse())
    key = (schema, given)
    found = _LOADED.get(key)
    if found is not None:
        return dict(found)
    loaded: dict[str, Any] = schema.load(parse())
    if all(type(value) in PLAIN for value in loaded.values()):
        with _LOCK:
            keep(_LOADED, key, dict(loaded), REMEMBERED)
    return loaded


_LOADED: dict[tuple[Schema, Hashable], dict[str, Any]] = {}
_LOCK = threading.Lock()


def rename(error: ValidationFailed, names: dict[str, str]) -> ValidationFailed:
    """Rewrite the domain's field names (``media.2``) as a vendor's (``mediaItems.2``)."""
    renamed: dict[str, list[str]] = {}
    for path, messages in error.fields.items():
        head, _, rest = path.partition(".")
        vendor = names.get(head, head)
        renamed[f"{vendor}.{rest}" if rest else vendor] = messages
    return ValidationFailed(renamed, error.message)


def load_remembered(schema: Schema, given: Hashable, size: int, parse: Callable[[], dict[str, Any]],
                    failure: type[ValidationFailed] = ValidationFailed) -> dict[str, Any]:
    """``load(schema, parse())``, through ``remembered``; ``failure`` says what a refused input raises."""
    try:
        return remembered(schema, given, size, parse)
    except ValidationError as error:
        raise failure(flatten(error.messages)) from error

