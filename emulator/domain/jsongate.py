"""The one gate for JSON: every document is parsed (or checked) to limits the emulator can store and render.

The limits are those of orjson, which renders every response, the journal and the state export: integers of
at most 64 bits, finite numbers, valid Unicode (no lone surrogates), bounded nesting, and keys that are
strings. A document inside them can be stored anywhere and rendered at any time; one outside them is refused
whole, before anything is stored.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import BadRequest

MAX_INTEGER = 2**63 - 1
MAX_DEPTH = 32
OUTSIDE = "JSON outside the emulator's limits"
# A lone surrogate can only enter through a \uD800-\uDFFF escape: UTF-8 input cannot encode one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeJSON(BadRequest, ValueError):
    """A JSON document the emulator refuses: malformed, or outside the limits it can store and render."""


def _short(text: str) -> str:
    """Quote user text in a message: cut, and with surrogates escaped so the message itself renders."""
    cut = text if len(text) <= 24 else f"{text[:10]}…{text[-6:]} ({len(text)} characters)"
    return cut.encode("utf-8", "backslashreplace").decode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise UnsafeJSON(f"Malformed JSON body: the key {_short(key)!r} appears more than once.")
            seen.add(key)
    return document


def _constant(name: str) -> None:
    raise UnsafeJSON(f"Malformed JSON body: {name} is not valid JSON.")


# One decoder for every document: json.loads with hooks would build a new one (and its scanner) per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_constant)


def parse(raw: bytes) -> Any:
    """Parse a JSON document from ``raw`` bytes, or raise UnsafeJSON saying which rule it breaks."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnsafeJSON(f"Request body is not valid UTF-8 (byte {error.start}).") from error
    try:
        if text.startswith("\ufeff"):  # json.loads's own check, which the decoder leaves to it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        document = _DECODER.decode(text)
    except UnsafeJSON:
        raise
    except json.JSONDecodeError as error:
        raise UnsafeJSON(f"Malformed JSON body: {error.msg} at line {error.lineno} column {error.colno}.") from error
    except RecursionError as error:
        raise UnsafeJSON(f"{OUTSIDE}: it is nested too deeply (at most {MAX_DEPTH} levels).") from error
    except ValueError as error:  # an integer literal of more than 4,300 digits
        raise UnsafeJSON(f"{OUTSIDE}: a number is too large (integers must lie within ±{MAX_INTEGER}, "
                         "64 bits).") from error
    check(document, strings=_SURROGATE_ESCAPE.search(text) is not None)
    return document


def check(document: Any, strings: bool = True) -> None:
    """Raise UnsafeJSON unless ``document`` is JSON within the gate's limits (``strings``: scan text too).

    One iterative walk, scalars checked where they sit, so deep or long documents cost no recursion and
    little time; ``parse`` skips the text scan when the raw document holds no surrogate escape.
    """
    stack: list[tuple[Any, int]] = [((document,), -1)]  # wrapped, so a bare scalar is checked like any other
    while stack:
        container, depth = stack.pop()
        if depth >= MAX_DEPTH:
            raise UnsafeJSON(f"{OUTSIDE}: it is nested too deeply (at most {MAX_DEPTH} levels).")
        if type(container) is dict:
            items = container.values()
            for key in container:
                if type(key) is not str:
                    raise UnsafeJSON(f"{OUTSIDE}: the key {_short(repr(key))} is not a string.")
                if strings and _SURROGATE.search(key):
                    raise UnsafeJSON(_surrogate_message(key))
        else:
            items = container
        for value in items:
            kind = type(value)
            if kind is dict or kind is list or kind is tuple:
                stack.append((value, depth + 1))
            elif kind is int:
                if not -MAX_INTEGER <= value <= MAX_INTEGER:
                    raise UnsafeJSON(f"{OUTSIDE}: an integer of {value.bit_length()} bits is too large "
                                     f"(integers must lie within ±{MAX_INTEGER}, 64 bits).")
            elif kind is str:
                if strings and _SURROGATE.search(value):
                    raise UnsafeJSON(_surrogate_message(value))
            elif kind is float:
                if not (math.isfinite(value) and -MAX_INTEGER <= value <= MAX_INTEGER):
                    shown = "a number beyond the double range" if math.isinf(value) else f"the number {value!r}"
                    raise UnsafeJSON(f"{OUTSIDE}: {shown} is too large (numbers must be finite and lie within "
                                     f"±{MAX_INTEGER}).")
            elif value is not None and kind is not bool:
                raise UnsafeJSON(f"{OUTSIDE}: a {kind.__name__} is not a JSON value.")


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    code = f"\\u{ord(found.group()):04x}" if found else "?"
    return f"{OUTSIDE}: a string holds a lone surrogate ({code}), which is not valid Unicode."


def load_text(raw: bytes | None) -> Any:
    """Parse ``raw`` through the gate, or return it as text (invalid bytes replaced), or None when empty."""
    if not raw:
        return None
    try:
        return parse(raw)
    except UnsafeJSON:
        return raw.decode("utf-8", "replace")
