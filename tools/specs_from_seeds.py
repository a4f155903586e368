"""Rebuild openapi/*.yaml from the vendors' seed pages, written the OpenAPI 3.1 way.

Run from the repository root: python tools/specs_from_seeds.py ../shared/seeds
The vendors' schemas are kept as published; the emulator adds the error bodies
that UPSTREAM.md documents, so that every response the emulator gives has a
schema a validator can check.
"""
from __future__ import annotations

import copy
import datetime
import re
import sys
from pathlib import Path
from typing import Any

import yaml

FENCE = re.compile(r"````yaml[^\n]*\n(.*?)````", re.S)


def spec_blocks(seed_dir: Path) -> list[dict[str, Any]]:
    """Return the OpenAPI documents embedded in the seed pages, in file order."""
    docs = []
    for page in sorted(seed_dir.glob("*.txt")):
        match = FENCE.search(page.read_text(encoding="utf-8"))
        if match:
            docs.append(yaml.safe_load(match.group(1)))
    return docs


def modernise(node: Any) -> Any:
    """Rewrite 3.0 idioms (nullable, boolean exclusiveMinimum) as OpenAPI 3.1 says them."""
    if isinstance(node, list):
        return [modernise(item) for item in node]
    if isinstance(node, datetime.datetime):
        return node.isoformat()
    if not isinstance(node, dict):
        return node
    node = {key: modernise(value) for key, value in node.items()}
    if node.pop("nullable", False) and "type" in node:
        node["type"] = [node["type"], "null"]
    if node.get("exclusiveMinimum") is True:
        node["exclusiveMinimum"] = node.pop("minimum", 0)
    if "anyOf" in node:
        branches = [branch for branch in node["anyOf"] if branch]
        if len(branches) == 1:
            del node["anyOf"]
            node.update(branches[0])
        else:
            node["anyOf"] = branches
    return node


OFAUTH_ERROR = {
    "type": "object",
    "required": ["error", "type", "requestId"],
    "properties": {
        "error": {"type": "string"},
        "type": {
            "type": "string",
            "enum": [
                "BAD_REQUEST", "UNAUTHORIZED", "SESSION_NOT_PROVIDED", "SESSION_EXPIRED",
                "FORBIDDEN", "RESOURCE_NOT_FOUND", "ROUTE_NOT_FOUND", "PAYLOAD_TOO_LARGE",
                "RATE_LIMIT_EXCEEDED", "INTERNAL_SERVER_ERROR", "BAD_GATEWAY", "NETWORK_ERROR",
            ],
        },
        "requestId": {"type": "string", "pattern": "^req_"},
        "actionRequired": {"type": "string"},
        "details": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

OFAUTH_ERROR_STATUSES = {
    "400": "Bad Request", "401": "Unauthorized", "403": "Forbidden", "404": "Not Found",
    "413": "Payload Too Large", "429": "Rate Limit Exceeded", "500": "Internal Server Error",
    "502": "Bad Gateway", "503": "Service Unavailable",
}


def ofauth_spec(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge the OFAuth seed documents into one spec with the error envelope."""
    spec = copy.deepcopy(docs[0])
    spec["paths"] = {}
    for doc in docs:
        for path, operations in doc["paths"].items():
            path = path.replace(":massMessageId", "{massMessageId}")
            spec["paths"].setdefault(path, {}).update(operations)
    spec["components"]["schemas"] = {"Error": OFAUTH_ERROR}
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, description in OFAUTH_ERROR_STATUSES.items():
                operation["responses"][status] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
    delete = spec["paths"]["/v2/access/mass-messages/{massMessageId}"]["delete"]
    alias = copy.deepcopy(delete)
    alias["summary"] = "Delete scheduled mass message (the /scheduled/ form of the same route)"
    spec["paths"]["/v2/access/mass-messages/scheduled/{massMessageId}"] = {"delete": alias}
    return modernise(spec)


def laravel_error(required: list[str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the schema of a Laravel-style JSON error body."""
    properties = {"message": {"type": "string"}, **(extra or {})}
    return {"type": "object", "required": required, "properties": properties}


ONLYFANSAPI_ERRORS = {
    "400": ("Bad Request", laravel_error(["message"])),
    "401": ("Unauthenticated", laravel_error(["message"])),
    "402": ("Out of credits", laravel_error(["message"])),
    "403": ("Forbidden", laravel_error(["message"])),
    "404": ("Not Found", laravel_error(["message"], {"code": {"type": "string"}})),
    "405": ("Method Not Allowed", laravel_error(["message"])),
    "409": ("Conflict", laravel_error(["message"])),
    "413": ("Payload Too Large", laravel_error(["message"])),
    "415": ("Unsupported Media Type", laravel_error(["message"])),
    "422": ("Unprocessable Content", laravel_error(["message", "errors"], {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    })),
    "429": ("Too Many Attempts", laravel_error(["message"])),
    "500": ("Server Error", laravel_error(["message"])),
    "502": ("Bad Gateway", laravel_error(["message"])),
    "503": ("Service Unavailable", laravel_error(["message"])),
}


def onlyfansapi_spec(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the OnlyFansAPI spec with its Laravel-style error bodies added."""
    spec = copy.deepcopy(doc)
    for operations in spec["paths"].values():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, (description, schema) in ONLYFANSAPI_ERRORS.items():
                operation["responses"][status] = {
                    "description": description,
                    "content": {"application/json": {"schema": schema}},
                }
    return modernise(spec)


def main(seed_dir: str) -> None:
    """Write openapi/ofauth.yaml and openapi/onlyfansapi.yaml from the seeds."""
    docs = spec_blocks(Path(seed_dir))
    ofauth = [doc for doc in docs if doc["info"]["title"] == "OFAuth API"]
    onlyfansapi = [doc for doc in docs if doc["info"]["title"] == "OnlyFans API"]
    out = Path(__file__).resolve().parent.parent / "openapi"
    header = "# Generated by tools/specs_from_seeds.py from the vendors' documentation pages.\n"
    for name, spec in (("ofauth", ofauth_spec(ofauth)), ("onlyfansapi", onlyfansapi_spec(onlyfansapi[0]))):
        text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)
        (out / f"{name}.yaml").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
