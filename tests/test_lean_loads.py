"""A request body loads through only the fields it names (http/validation.BodySchema) into exactly what
marshmallow's full load gives: the same dict in the same order, or the same errors, for every body schema of
both vendors, on generated bodies; a schema or an instance the restriction could not serve gets the full load;
the restrictions are built once per set of names, and bounded."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validates,
)

import emulator.app  # noqa: F401  (imports every route module, so every body schema is defined)
from emulator.http import validation
from emulator.http.validation import NAMED_SETS, BodySchema
from emulator.ofauth.schemas import CreateMassMessage
from emulator.onlyfansapi.schemas import SendMassMessage


def body_schemas(cls: type[Schema] = BodySchema) -> list[type[Schema]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *body_schemas(sub)]
    return sorted(set(found), key=lambda schema: schema.__qualname__)


SCHEMAS = body_schemas()
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 300), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "fans", "Hello **world**", "2035-01-01T00:00:00Z", "2020-01-01", "not a date", "12",
                     "4100000001", "upload:0b8f3a52-6a3f-4c7e-9d71-2f5d0c1e8a44", "https://example.com/a.jpg",
                     "strict_ban", "x" * 70]),
    st.text(max_size=12))
NESTED = st.one_of(SCALARS, st.lists(st.integers(-2, 5), max_size=3))  # releaseForms' lists, vaultUpload's texts
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(st.sampled_from(
    ["users", "partners", "guests", "mode", "userId", "x"]), NESTED, max_size=3))


@pytest.fixture(autouse=True)
def no_restrictions():
    """Each test starts with no restriction built (the 64 a schema holds would otherwise fill up across tests,
    and every load after that would be a full load compared with itself)."""
    validation._LEAN.clear()
    yield
    validation._LEAN.clear()


def full_load(schema: Schema, body: dict[str, Any]) -> tuple[str, Any]:
    """marshmallow's own load over every declared field, or its errors."""
    try:
        loaded = Schema.load(schema, body)
    except ValidationError as error:
        return "errors", error.messages
    return "loaded", (loaded, list(loaded))


def lean_load(schema: Schema, body: dict[str, Any], served: bool = True) -> tuple[str, Any]:
    """``schema.load``, which for a schema the restriction serves (unless not ``served``: an instance given
    options) must have gone through it."""
    lean = validation._lean(type(schema))
    try:
        loaded = schema.load(body)
    except ValidationError as error:
        return "errors", error.messages
    finally:
        if served and lean.usable and len(lean.restricted) < NAMED_SETS:
            assert frozenset(lean.names[key] for key in body if key in lean.names) in lean.restricted
    return "loaded", (loaded, list(loaded))


@st.composite
def bodies(draw: Any, schema: Schema) -> dict[str, Any]:
    keys = [field.data_key or name for name, field in schema.load_fields.items()] + ["unknownKey"]
    named = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    return {key: draw(VALUES) for key in named}


@pytest.mark.parametrize("cls", SCHEMAS, ids=lambda cls: cls.__qualname__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_lean_load_is_the_full_load(cls, data):
    schema = cls()
    body = data.draw(bodies(schema))
    assert lean_load(schema, body) == full_load(schema, body)


def test_every_body_schema_is_covered():
    names = {cls.__qualname__ for cls in SCHEMAS}
    assert {"CreateMassMessage", "ReleaseForms", "UpdateMassMessage", "SendMassMessage", "InitUpload"} <= names
    served = {cls.__qualname__ for cls in SCHEMAS if validation._lean(cls).usable}
    assert {"CreateMassMessage", "SendMassMessage", "UpdateMassMessage", "ReleaseForms", "InitUpload"} <= served
    assert "ListBody" not in served  # a field-level @validates: the full load


class Renamed(BodySchema):  # a pre_load that renames a key: the names are the hook's, not the body's
    a = fields.Integer()

    @pre_load
    def rename(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {"a": data.get("b", 7)}


class Finished(BodySchema):  # a post_load that reads a defaulted field
    a = fields.Integer(load_default=1)
    b = fields.Integer()

    @post_load
    def total(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {**data, "total": data["a"] + data.get("b", 0)}


class Checked(BodySchema):  # a field-level check of a field whose default fails it
    a = fields.Integer(load_default=-1)
    b = fields.Integer()

    @validates("a")
    def positive(self, value: int, **kwargs: Any) -> None:
        if value < 0:
            raise ValidationError("negative")


class Stored(BodySchema):  # a field stored under another name
    a = fields.Integer(attribute="x")
    b = fields.Integer(load_default=2)


@pytest.mark.parametrize("schema, body", [
    (Renamed(), {"b": 3}), (Finished(), {"b": 3}), (Checked(), {"b": 3}), (Stored(), {"a": 1}),
    (CreateMassMessage(exclude=["price"]), {"text": "Hi", "price": 1}),
    (CreateMassMessage(unknown=RAISE), {"text": "Hi", "other": 1}),
    (CreateMassMessage(load_only=["text"]), {"text": "Hi"}),
])
def test_what_the_restriction_cannot_serve_gets_the_full_load(schema, body):
    assert lean_load(schema, body, served=False) == full_load(schema, body)
    assert validation._lean(type(schema)).restricted == {}


@pytest.mark.parametrize("cls, body", [
    (CreateMassMessage, {"text": "Hi", "userLists": ["fans"]}),  # defaults added for the 13 others, in order
    (CreateMassMessage, {"text": "Hi", "releaseForms": {"users": [1]}}),  # a nested body's defaults too
    (CreateMassMessage, {"previewMediaCount": 2, "mediaItems": [4100000001]}),  # a cross-field error
    (SendMassMessage, {"text": "Hi", "price": 9}),  # OnlyFansAPI: no defaults, a cross-field error
    (SendMassMessage, {"userLists": [1]}),  # a required field absent
])
def test_examples_of_each_kind(cls, body):
    schema = cls()
    assert lean_load(schema, body) == full_load(schema, body)


def test_a_restriction_is_built_once_per_set_of_names():
    schema = CreateMassMessage()
    lean = validation._lean(CreateMassMessage)
    lean.restricted.clear()
    schema.load({"text": "a", "price": 0})
    schema.load({"price": 5, "text": "b", "ignored": 1})
    assert list(lean.restricted) == [frozenset({"text", "price"})]
    assert set(lean.restricted[frozenset({"text", "price"})].fields) == {"text", "price"}


def test_the_restrictions_are_bounded():
    schema, lean = SendMassMessage(), validation._lean(SendMassMessage)
    lean.restricted.clear()
    names = [name for name in schema.load_fields if name != "text"]
    for first in names:
        for second in names:
            lean_load(schema, {"text": "Hi", first: None, second: None})
    assert len(lean.restricted) == NAMED_SETS  # past it, bodies naming a new set get marshmallow's full load
    body = {"text": "Hi", "rfTag": [1], "rfGuest": [2], "rfPartner": [3]}
    assert lean_load(schema, body) == full_load(schema, body)
    assert len(lean.restricted) == NAMED_SETS
