"""Turn marshmallow's nested error messages into flat ``field.path: [messages]`` maps."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError

from ..domain.errors import InvalidQuery, ValidationFailed


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


def rename(error: ValidationFailed, names: dict[str, str]) -> ValidationFailed:
    """Rewrite the domain's field names (``media.2``) as a vendor's (``mediaItems.2``)."""
    renamed: dict[str, list[str]] = {}
    for path, messages in error.fields.items():
        head, _, rest = path.partition(".")
        vendor = names.get(head, head)
        renamed[f"{vendor}.{rest}" if rest else vendor] = messages
    return ValidationFailed(renamed, error.message)


def load_query(schema: Schema, args: dict[str, str]) -> dict[str, Any]:
    """Load query parameters with ``schema`` or raise InvalidQuery with each parameter's messages."""
    try:
        return schema.load(args)
    except ValidationError as error:
        raise InvalidQuery(flatten(error.messages)) from error
