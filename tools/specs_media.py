"""Add the vault, upload, queue and saved-for-later routes of the workflow contracts to both specs.

Schemas are read from the YAML blocks of ``shared/vendor-docs/*-workflow.md`` as published; components the specs
already hold (``Media``, ``Meta``, ``MediaFile``) are kept, and a ``oneOf`` of members that require nothing is
read as ``anyOf``. Where the contract gives a response only in prose
(OnlyFansAPI's 202 upload answer and publish's ``{success}``), the schema is written here from that prose. Every
operation gets the error responses its vendor's other operations have.
"""
from __future__ import annotations

import copy
import itertools
import re
from pathlib import Path
from typing import Any

import yaml
from specs_from_contracts import integer, path, query

BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
OFAUTH_SECTION = re.compile(r"^### ([A-Z]\d+)\. ", re.MULTILINE)
ONLYFANSAPI_SECTION = re.compile(r"^## (\d+)\. ", re.MULTILINE)


def sections(text: str, heading: re.Pattern[str]) -> dict[str, list[Any]]:
    """The YAML blocks of a workflow file by section ("shared" before the first), skipping unreadable ones."""
    found: dict[str, list[Any]] = {}
    starts = [(match.start(), match.group(1)) for match in heading.finditer(text)]
    bounds = [(0, "shared")] + starts + [(len(text), "")]
    for (start, name), (end, _) in itertools.pairwise(bounds):
        blocks = []
        for block in BLOCK.findall(text[start:end]):
            try:
                blocks.append(yaml.safe_load(block))
            except yaml.YAMLError:
                continue
        found[name] = blocks
    return found


def ok(schema: dict[str, Any], status: str = "200", content: str = "application/json") -> dict[str, Any]:
    """A success response with ``schema``."""
    return {status: {"description": "OK", "content": {content: {"schema": schema}}}}


def op(operation_id: str, summary: str, parameters: list[dict[str, Any]], responses: dict[str, Any],
       body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An operation; ``body`` is its request body's content map."""
    operation = {"operationId": operation_id, "summary": summary, "parameters": parameters, "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
    return operation


def ofauth_routes(found: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    """OFAuth's vault and upload operations."""
    media_page = found["C1"][0]
    paging = query(limit=integer(1, 40), offset=integer(0), query={"type": "string", "maxLength": 100})
    media_query = paging + query(sort={"type": "string"}, sortBy={"type": "string"},
                                 sortDirection={"type": "string"}, type={"type": "string"},
                                 mediaType={"type": "string"}, listId={"type": "string"})
    result = {"$ref": "#/components/schemas/UploadResult"}
    json_body = {"application/json": {"schema": {"type": "object"}}}
    raw = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
    return {
        "/v2/access/vault/media": {"get": op("listVaultMedia", "List vault media", media_query, ok(media_page))},
        "/v2/access/vault/lists": {"get": op("listVaultLists", "List vault folders", paging, ok(found["C2"][0]))},
        "/v2/access/vault/lists/{listId}/media": {"get": op(
            "listVaultListMedia", "List media in vault list", path("listId") + media_query, ok(media_page))},
        "/v2/access/uploads/init": {"post": op("initUpload", "Start an upload", [], ok(found["D1"][0]), json_body)},
        "/v2/access/uploads/{mediaUploadId}": {"put": op(
            "uploadSinglePart", "Upload single-part media and finalize", path("mediaUploadId"), ok(result), raw)},
        "/v2/access/uploads/{mediaUploadId}/parts/{partNumber}": {"put": op(
            "uploadPart", "Upload one part", path("mediaUploadId", "partNumber"), ok(found["D3"][0]), raw)},
        "/v2/access/uploads/complete": {"post": op("completeUpload", "Finalize media upload", [], ok(result),
                                                   json_body)},
        "/v2/access/uploads/check": {"post": op("checkUpload", "Check if media already exists in vault", [],
                                                ok(found["D5"][0]), json_body)},
    }


def any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """The contract's ``oneOf`` as ``anyOf``: its members require nothing, so a full answer matches several."""
    return {"anyOf": schema["oneOf"]}


def enveloped(data: dict[str, Any]) -> dict[str, Any]:
    """OnlyFansAPI's ``{data, _meta}`` around ``data``."""
    return {"type": "object", "properties": {"data": data, "_meta": {"$ref": "#/components/schemas/Meta"}}}


def onlyfansapi_routes(found: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    """OnlyFansAPI's vault, upload, queue and saved-for-later operations."""
    account = path("account")
    accepted = {"type": "object", "required": ["status", "prefixed_id", "polling_url"], "properties": {
        "status": {"type": "string"}, "prefixed_id": {"type": "string"}, "polling_url": {"type": "string"}}}
    dates = query(publishDateStart={"type": "string"}, publishDateEnd={"type": "string"},
                  timezone={"type": "string"})
    success = enveloped({"type": "object", "properties": {"success": {"type": "boolean"}}})
    upload_body = {"multipart/form-data": {"schema": {"type": "object"}},
                   "application/json": {"schema": {"type": "object"}}}
    return {
        "/api/{account}/media/vault": {"get": op(
            "listVaultMedia", "List vault media", account + query(
                field={"type": "string"}, sort={"type": "string"}, type={"type": "string"}, list=integer(1),
                query={"type": "string"}, limit=integer(10, 100), offset=integer(0)), ok(found["15"][0]))},
        "/api/{account}/media/vault/lists": {"get": op(
            "listVaultLists", "List vault lists", account + query(
                query={"type": "string"}, limit=integer(1, 100), offset=integer(0), lightweight={"type": "boolean"}),
            {**ok(any_of(found["16"][0])), "304": {"description": "Not Modified (If-None-Match matched the ETag)"}})},
        "/api/{account}/media/upload": {"post": op(
            "uploadMedia", "Upload media to the OnlyFans CDN", account,
            {**ok(found["17"][0]), **ok(accepted, "202")}, upload_body)},
        "/api/{account}/media/uploads/{upload}/status": {"get": op(
            "getUploadStatus", "Get upload status", account + path("upload"), ok(any_of(found["18"][0])))},
        "/api/{account}/queue": {"get": op(
            "listQueue", "List queue items", account + dates + query(limit=integer(1, 100), type={"type": "string"}),
            ok(found["19"][0]))},
        "/api/{account}/queue/counts": {"get": op("countQueue", "Count queue items", account + dates,
                                                  ok(found["20"][0]))},
        "/api/{account}/queue/{queue_id}/publish": {"put": op(
            "publishQueueItem", "Publish a queue or saved-for-later item", account + path("queue_id"), ok(success))},
        "/api/{account}/saved-for-later/messages": {"get": op(
            "listSavedForLaterMessages", "List saved-for-later messages",
            account + query(limit=integer(1, 100), offset=integer(0)), ok(found["22"][0]))},
    }


def merge(spec: dict[str, Any], found: dict[str, list[Any]], routes: dict[str, dict[str, Any]],
          like: tuple[str, str]) -> None:
    """Add the workflow's components (keeping the spec's own) and ``routes``, with the error responses and
    security of the operation ``like`` names."""
    schemas = spec["components"]["schemas"]
    for block in found["shared"]:
        for name, schema in block["components"]["schemas"].items():
            schemas.setdefault(name, copy.deepcopy(schema))
    model = spec["paths"][like[0]][like[1]]
    errors = {status: response for status, response in model["responses"].items() if status[0] in "45"}
    common = {key: model[key] for key in ("security", "tags") if key in model}
    for route, operations in routes.items():
        for method, operation in operations.items():
            operation["responses"].update(copy.deepcopy(errors))
            spec["paths"].setdefault(route, {})[method] = copy.deepcopy({**common, **operation})


def add_media_routes(ofauth: dict[str, Any], onlyfansapi: dict[str, Any], contracts: Path) -> None:
    """Add this module's routes to the two built specs."""
    found = sections((contracts / "ofauth-workflow.md").read_text(encoding="utf-8"), OFAUTH_SECTION)
    merge(ofauth, found, ofauth_routes(found), ("/v2/access/mass-messages", "post"))
    found = sections((contracts / "onlyfansapi-workflow.md").read_text(encoding="utf-8"), ONLYFANSAPI_SECTION)
    merge(onlyfansapi, found, onlyfansapi_routes(found), ("/api/{account}/mass-messaging", "post"))
    # One queue serves both vendors, and OFAuth prices have cents (9.99): Scribe typed it from an integer example.
    onlyfansapi["components"]["schemas"]["QueueEntity"]["properties"]["price"] = {"type": "number"}
