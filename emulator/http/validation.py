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

from marshmallow import Schema, ValidationError

from ..domain.errors import InvalidQuery, ValidationFailed
from ..domain.kept import keep

SMALL = 1024  # characters (or bytes) of a query string or body whose loaded fields are remembered
REMEMBERED = 256  # inputs remembered: at most about 0.5 MB
PLAIN = (str, int, float, bool, type(None))


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


def load_query(schema: Schema, query: str, args: Callable[[], dict[str, str]]) -> dict[str, Any]:
    """Load query parameters (``args()``, parsed from ``query``) with ``schema`` or raise InvalidQuery with each
    parameter's messages."""
    return load_remembered(schema, query, len(query), args, InvalidQuery)
