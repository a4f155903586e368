"""Add the routes of the vendors' contract files (shared/vendor-docs/*.md) to the specs built from the seeds.

Response schemas and components are read from the YAML blocks of each contract section, as published. Where
the sources disagree, the emulator sends what keeps both SDKs working, and the schema says so:
- OFAuth chart: both key sets (docs-next ``messages``/``purchases`` and the SDK's ``group_messages``/...).
- OFAuth buyers: both cursors (``marker`` read by the SDK's iterator, ``nextMarker`` in its model).
- ``total``/``delta`` are optional because ``withTotal=false`` leaves them out.
- OnlyFansAPI ``_rate_limits``: the newer docs make the daily fields null (removed daily limits) and add ``notice``.
- OnlyFansAPI ``mediaTypes``: an object of counts per type (route 8 docs, OFAuth's queue), or null without media.
- OnlyFansAPI chart purchase ``total``: an amount of money, so a number (Scribe typed it from an integer example).
Parameters are transcribed from the contracts' tables; limits the contracts leave open are the emulator's.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
SECTION = re.compile(r"^## (\d+)\. ", re.M)


def sections(text: str) -> dict[str, list[Any]]:
    """The YAML blocks of a contract file by section number ("shared" before the first route)."""
    found: dict[str, list[Any]] = {}
    starts = [(match.start(), match.group(1)) for match in SECTION.finditer(text)]
    bounds = [(0, "shared")] + starts + [(len(text), "")]
    for (start, name), (end, _) in zip(bounds, bounds[1:]):
        found[name] = [yaml.safe_load(block) for block in BLOCK.findall(text[start:end])]
    return found


def components(found: dict[str, list[Any]]) -> dict[str, Any]:
    """Every schema the contract declares under ``components``, wherever it stands."""
    schemas: dict[str, Any] = {}
    for blocks in found.values():
        for block in blocks:
            if isinstance(block, dict) and "components" in block:
                schemas.update(block["components"]["schemas"])
    return schemas


def responses_of(found: dict[str, list[Any]], number: str) -> list[Any]:
    """The response schemas of a section (its blocks that are not components)."""
    return [block for block in found.get(number, []) if not (isinstance(block, dict) and "components" in block)]


def union(*schemas: dict[str, Any], required_from: int = -1) -> dict[str, Any]:
    """One object schema with every property of ``schemas``; ``required`` as the chosen one says."""
    merged: dict[str, Any] = {"type": "object", "properties": {}}
    for schema in schemas:
        merged["properties"].update(schema["properties"])
    if "required" in schemas[required_from]:
        merged["required"] = list(schemas[required_from]["required"])
    return merged


def integer(minimum: int | None = None, maximum: int | None = None) -> dict[str, Any]:
    """An integer query parameter's schema."""
    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def query(**parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """Optional query parameters, in the order given."""
    return [{"in": "query", "name": name, "required": False, "schema": schema} for name, schema in parameters.items()]


def path(*names: str) -> list[dict[str, Any]]:
    """Required string path parameters."""
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}} for name in names]


def operation(operation_id: str, summary: str, permission: str | None, parameters: list[dict[str, Any]],
              schema: dict[str, Any]) -> dict[str, Any]:
    """An operation answering ``schema`` on 200 (error responses are added by the vendor's builder)."""
    described = f"{summary}\n\n**Permission Required:** `{permission}`" if permission else summary
    return {"operationId": operation_id, "summary": summary, "description": described, "parameters": parameters,
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}}


def ofauth_routes(contract: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """OFAuth's contract routes as ``(components, {path: {method: operation}})``."""
    found = sections(contract)
    schemas = components(found)
    schemas["ChartSeries"]["required"] = ["chart"]  # total and delta only with withTotal=true
    entry = {"$ref": "#/components/schemas/QueueItem"}
    queue_page = {"type": "object", "required": ["list", "hasMore"], "properties": {
        "list": {"type": "array", "items": entry}, "hasMore": {"type": "boolean"},
        "nextOffset": {"type": ["integer", "null"]}}}
    listed = union(responses_of(found, "2")[0], queue_page)
    page = query(limit=integer(1, 100), offset=integer(0))
    dates = {"startDate": {"type": "string"}, "endDate": {"type": "string"}}
    chart_doc, chart_sdk = responses_of(found, "4")
    buyers_doc, buyers_sdk = responses_of(found, "7")
    return schemas, {
        "/v2/access/mass-messages/scheduled": {"get": operation(
            "listScheduledMassMessages", "List scheduled mass messages", "messages:read", page, queue_page)},
        "/v2/access/mass-messages": {"get": operation(
            "listMassMessages", "List mass messages", "messages:read", page, listed)},
        "/v2/access/mass-messages/{massMessageId}": {"put": operation(
            "replaceMassMessage", "Update mass message", "messages:write", path("massMessageId"),
            responses_of(found, "3")[0])},
        "/v2/access/analytics/mass-messages/chart": {"get": operation(
            "massMessagesChart", "Mass messages chart", "analytics:read",
            query(**dates, withTotal={"type": "boolean"}), union(chart_doc, chart_sdk))},
        "/v2/access/analytics/mass-messages/sent": {"get": operation(
            "listSentMassMessages", "Sent mass messages", "analytics:read",
            query(**dates, limit=integer(1, 100)), responses_of(found, "5")[0])},
        "/v2/access/analytics/mass-messages/purchased": {"get": operation(
            "listPurchasedMassMessages", "Mass messages purchased", "analytics:read", page,
            responses_of(found, "6")[0])},
        "/v2/access/analytics/mass-messages/{massMessageId}/buyers": {"get": operation(
            "listMassMessageBuyers", "Mass message buyers", "analytics:read",
            path("massMessageId") + query(limit=integer(1, 20), offset=integer(0), marker=integer(0)),
            union(buyers_doc, buyers_sdk))},
    }


def onlyfansapi_routes(contract: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """OnlyFansAPI's contract routes as ``(components, {path: {method: operation}})``."""
    found = sections(contract)
    schemas = components(found)
    schemas["QueueSummary"]["properties"]["mediaTypes"] = {
        "type": ["object", "null"], "additionalProperties": {"type": "integer"}}
    chart = copy.deepcopy(responses_of(found, "7")[0])
    chart["properties"]["data"]["properties"]["group_messages_purchases"]["properties"]["total"] = {"type": "number"}
    search = query(startDate={"type": "string"}, endDate={"type": "string"}, limit=integer(1, 100),
                   query={"type": "string"})
    account = path("account")
    buyers = query(limit=integer(1, 100), marker=integer(0), offset=integer(0), skip_users={"type": "string"},
                   skip_users_dups=integer(0, 1))
    return schemas, {
        "/api/{account}/mass-messaging": {
            "post": operation("sendMassMessage", "Send mass message", None, account, responses_of(found, "1")[0]),
            "get": operation("listMassMessages", "List mass message queue", None, account,
                             responses_of(found, "2")[0])},
        "/api/{account}/mass-messaging/overview": {"get": operation(
            "getMassMessageOverview", "Mass message overview", None, account + search, responses_of(found, "5")[0])},
        "/api/{account}/mass-messaging/{id}": {
            "get": operation("getMassMessage", "Get mass message", None, [], responses_of(found, "3")[0]),
            "delete": operation("deleteMassMessage", "Unsend/delete mass message", None, [],
                                responses_of(found, "4")[0])},
        "/api/{account}/engagement/messages/mass-messages": {"get": operation(
            "listEngagementMassMessages", "Mass messages", None, account + search, responses_of(found, "6")[0])},
        "/api/{account}/engagement/messages/mass-messages/chart": {"get": operation(
            "massMessagesChart", "Mass messages chart", None,
            account + query(startDate={"type": "string"}, endDate={"type": "string"}, withTotal={"type": "boolean"}),
            chart)},
        "/api/{account}/engagement/messages/{message_id}/buyers": {"get": operation(
            "getMessageBuyers", "Message buyers", None, account + path("message_id") + buyers,
            responses_of(found, "9")[0])},
    }


def read(contracts: Path, name: str) -> str:
    """A contract file's text."""
    return (contracts / name).read_text(encoding="utf-8")
