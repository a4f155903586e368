"""Rebuild openapi/*.yaml from the vendors' seed pages and contract files, written the OpenAPI 3.1 way.

Run: python tools/specs_from_seeds.py [SEEDS_DIR [CONTRACTS_DIR]] (by default the shared/seeds and
shared/vendor-docs folders beside the repository).
The vendors' schemas are kept as published (tools/specs_from_contracts.py lists the few places where the
sources disagree and what the spec says there); the emulator adds the error bodies that UPSTREAM.md
documents, so that every response the emulator gives has a schema a validator can check.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import re
import sys
from pathlib import Path
from typing import Any

import specs_people
import yaml
from specs_from_contracts import ofauth_routes, onlyfansapi_routes, read
from specs_media import add_media_routes

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
                "FORBIDDEN", "RULES_OUTDATED", "RESOURCE_NOT_FOUND", "ROUTE_NOT_FOUND", "PAYLOAD_TOO_LARGE",
                "RATE_LIMIT_EXCEEDED", "UPLOAD_ERROR", "UNKNOWN_ERROR",
            ],
        },
        "requestId": {"type": "string", "pattern": "^req_"},
        "actionRequired": {"type": "string",
                           "enum": ["relink_connection", "verify_identity", "refresh_rules", "try_again"]},
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
    "413": "Payload Too Large", "415": "Unsupported Media Type", "429": "Rate Limit Exceeded",
    "500": "Internal Server Error",
    "502": "Bad Gateway", "503": "Service Unavailable",
}


def add_routes(spec: dict[str, Any], routes: dict[str, dict[str, Any]], **common: Any) -> None:
    """Add contract operations to ``spec``'s paths, each with the ``common`` keys (tags, security)."""
    for path, operations in routes.items():
        for method, operation in operations.items():
            spec["paths"].setdefault(path, {})[method] = {**common, **operation}


def ofauth_spec(docs: list[dict[str, Any]], contract: str) -> dict[str, Any]:
    """Merge the OFAuth seed documents and contract routes into one spec with the error envelope."""
    spec = copy.deepcopy(docs[0])
    spec["paths"] = {}
    for doc in docs:
        for path, operations in doc["paths"].items():
            path = path.replace(":massMessageId", "{massMessageId}")
            spec["paths"].setdefault(path, {}).update(operations)
    schemas, routes = ofauth_routes(contract)
    spec["components"]["schemas"] = {"Error": OFAUTH_ERROR, **schemas}
    create = spec["paths"]["/v2/access/mass-messages"]["post"]
    routes["/v2/access/mass-messages/{massMessageId}"]["put"]["requestBody"] = copy.deepcopy(create["requestBody"])
    add_routes(spec, routes, tags=["Mass Messages"], security=create["security"])
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


SEND_FIELDS = {
    "excludedLists": {"type": "array", "items": {"type": "string"},
                      "description": "Array of user list IDs that the mass message will NOT be sent to."},
    "saveForLater": {"type": "boolean", "description": 'Add your message to the "Saved for later" queue.'},
    "subscribedWithinLastDays": {"type": "integer", "minimum": 1, "maximum": 30,
                                 "description": "Only send to fans who subscribed within the last N days."},
    "rfGuest": {"type": "string", "description": "Release Form Guest IDs to tag"},
    "rfPartner": {"type": "string", "description": "Release Form Partner IDs to tag"},
    "rfTag": {"type": "string", "description": "Creator User IDs to tag"},
    "blockBannedWords": {"type": "string", "enum": ["strict_ban", "risky", "replace_soften"]},
}
DAILY = {"limit_day": {"type": ["integer", "string", "null"]}, "remaining_day": {"type": ["integer", "string", "null"]},
         "notice": {"type": "string"}}


def nullable_daily_limits(node: Any) -> None:
    """Let every ``_rate_limits`` schema carry the newer docs' null daily limits and their notice."""
    if isinstance(node, list):
        for item in node:
            nullable_daily_limits(item)
    elif isinstance(node, dict):
        limits = node.get("properties", {}).get("_rate_limits")
        if isinstance(limits, dict) and "properties" in limits:
            limits["properties"].update(copy.deepcopy(DAILY))
        for value in node.values():
            nullable_daily_limits(value)


def onlyfansapi_spec(doc: dict[str, Any], contract: str) -> dict[str, Any]:
    """Return the OnlyFansAPI spec with the contract routes and Laravel-style error bodies added."""
    spec = copy.deepcopy(doc)
    spec["openapi"] = "3.1.0"  # the seed says 3.0.3, but the contract's schemas (and nullability) are 3.1
    schemas, routes = onlyfansapi_routes(contract)
    spec.setdefault("components", {})["schemas"] = schemas
    update = spec["paths"]["/api/{account}/mass-messaging/{id}"]["put"]
    send = copy.deepcopy(update["requestBody"])
    send["content"]["application/json"]["schema"]["properties"].update(SEND_FIELDS)
    routes["/api/{account}/mass-messaging"]["post"]["requestBody"] = send
    add_routes(spec, routes, tags=["Mass Messaging"])
    nullable_daily_limits(spec)
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


ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ("ofauth-mass-messages.md", "onlyfansapi-mass-messaging.md", "ofauth-workflow.md",
             "onlyfansapi-workflow.md")
TITLES = ("OFAuth API", "OnlyFans API")


class MissingSources(Exception):
    """The seed pages or contract files are not where they were looked for."""


def main(seed_dir: str, contract_dir: str) -> None:
    """Write openapi/ofauth.yaml and openapi/onlyfansapi.yaml from the seeds and the contracts."""
    docs, contracts = sources(Path(seed_dir), Path(contract_dir))
    ofauth = [doc for doc in docs if doc["info"]["title"] == "OFAuth API"]
    onlyfansapi = [doc for doc in docs if doc["info"]["title"] == "OnlyFans API"]
    out = ROOT / "openapi"
    header = "# Generated by tools/specs_from_seeds.py from the vendors' documentation pages and contracts.\n"
    specs = (("ofauth", ofauth_spec(ofauth, read(contracts, CONTRACTS[0]))),
             ("onlyfansapi", onlyfansapi_spec(onlyfansapi[0], read(contracts, CONTRACTS[1]))))
    add_media_routes(specs[0][1], specs[1][1], contracts)
    specs = tuple((name, specs_people.extended(name, spec, contracts)) for name, spec in specs)
    for name, spec in specs:
        text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)
        (out / f"{name}.yaml").write_text(header + text, encoding="utf-8")


def sources(seed_dir: Path, contracts: Path) -> tuple[list[dict[str, Any]], Path]:
    """The seed pages' OpenAPI documents and the contracts folder, checked before anything is written."""
    if not seed_dir.is_dir():
        raise MissingSources(f"no seed pages: {seed_dir} is not a folder (the vendors' documentation pages, "
                             "*.txt, as in shared/seeds)")
    missing = [name for name in CONTRACTS if not (contracts / name).is_file()]
    if missing:
        raise MissingSources(f"no contract file {', '.join(missing)} in {contracts} (as in shared/vendor-docs)")
    docs = spec_blocks(seed_dir)
    titles = {doc.get("info", {}).get("title") for doc in docs if isinstance(doc, dict)}
    absent = [title for title in TITLES if title not in titles]
    if absent:
        raise MissingSources(f"no OpenAPI document titled {' or '.join(map(repr, absent))} in the seed pages "
                             f"of {seed_dir}")
    return docs, contracts


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The two source folders, defaulting to the shared folders beside the repository."""
    parser = argparse.ArgumentParser(prog="specs_from_seeds.py", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("seeds", nargs="?", default=str(ROOT.parent / "shared" / "seeds"), metavar="SEEDS_DIR",
                        help="the vendors' documentation pages, *.txt (default: %(default)s)")
    parser.add_argument("contracts", nargs="?", default=str(ROOT.parent / "shared" / "vendor-docs"),
                        metavar="CONTRACTS_DIR", help=f"holding {', '.join(CONTRACTS)} (default: %(default)s)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    try:
        main(arguments.seeds, arguments.contracts)
    except MissingSources as error:
        sys.exit(f"error: {error}; nothing written")
