"""Add the people routes (user lists, subscribers and fans, accounts) of the workflow contracts to the specs.

Schemas are read from the YAML blocks of ``shared/vendor-docs/*-workflow.md``, as published. Where the sources
leave a choice, the emulator's is written here:
- OnlyFansAPI prices and spend sums are money, so numbers (Scribe typed them from integer examples).
- OnlyFansAPI ``listsStates[].id`` is a string for system lists and an integer for custom ones, as route 3 is.
- OFAuth A8 answers the first page of the members left; A9 lists per-list failures in ``errors``.
- OnlyFansAPI's add-users answer is ``anyOf`` its two shapes: as published they overlap, which ``oneOf`` refuses.
- ``/fans/expired`` is served with the ``/fans/active`` schema (the SDK's ``list_expired``).
- OFAuth B2 answers ``anyOf`` a profile and the vendor's bare object, written as the empty object it stands for:
  with any object allowed the check would never read a profile.
"""
from __future__ import annotations

import copy
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from specs_from_contracts import integer, operation, path, query

BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
OFAUTH_SECTION = re.compile(r"^###? ([A-G]\d|Shared components)", re.MULTILINE)
ONLYFANSAPI_SECTION = re.compile(r"^## (\d+|Shared components)", re.MULTILINE)
MONEY = ("price", "newPrice", "regularPrice", "subscribePrice", "tipsSumm", "subscribesSumm", "messagesSumm",
         "postsSumm", "streamsSumm", "totalSumm", "discount")


# The subscriber writes the SDK has (its models give the bodies' limits; the contract lists them as out of scope).
SUBSCRIBER_WRITES = (
    ("note", "setSubscriberNote", "Update subscriber note", {"notice": {"type": "string", "maxLength": 1000}}),
    ("discount", "setSubscriberDiscount", "Apply discount to subscriber",
     {"discount": {"type": "integer", "minimum": 5, "maximum": 60}, "period": {"type": "integer", "minimum": 1,
                                                                               "maximum": 12}}),
    ("custom-name", "setSubscriberCustomName", "Set custom name for subscriber",
     {"displayName": {"type": "string", "minLength": 1, "maxLength": 100}}),
)


def body(properties: dict[str, Any]) -> dict[str, Any]:
    """A required JSON request body with every one of ``properties`` required."""
    schema = {"type": "object", "required": list(properties), "properties": properties}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def sections(text: str, heading: re.Pattern[str]) -> dict[str, list[Any]]:
    """The YAML documents of each section of a contract, by its number (``A1``, ``12``, ``Shared components``)."""
    found: dict[str, list[Any]] = {}
    marks = [(match.start(), match.group(1)) for match in heading.finditer(text)] + [(len(text), "")]
    for (start, name), (end, _) in pairwise(marks):
        found[name] = [doc for block in BLOCK.findall(text[start:end]) for doc in yaml.safe_load_all(block)]
    return found


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def wrapped(data: dict[str, Any], paged: bool = False) -> dict[str, Any]:
    """OnlyFansAPI's envelope around ``data``."""
    properties = {"data": data, "_meta": ref("Meta")}
    if paged:
        properties["_pagination"] = ref("Pagination")
    return {"type": "object", "required": ["data", "_meta"], "properties": properties}


def ofauth_people(contract: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """OFAuth's user-list, subscriber and account routes as ``(components, {path: {method: operation}})``."""
    found = sections(contract, OFAUTH_SECTION)
    shared = found["Shared components"][0]["components"]["schemas"]
    schemas = {name: shared[name] for name in ("ListUser", "UserList", "Connection")}
    listed = ref("UserList")
    page = query(limit=integer(1, 100), offset=integer(0))
    members = found["A6"][0]
    remaining = {"anyOf": [members, {"type": "object"}]}
    subscribers = query(type={"type": "string", "enum": ["all", "active", "expired", "latest"]},
                        limit=integer(1, 100), offset=integer(0), query={"type": "string"},
                        startDate={"type": "string"}, endDate={"type": "string"},
                        latestType={"type": "string", "enum": ["total", "new", "renewals"]},
                        filter={"type": "string"})
    connections = {"type": "object", "required": ["list", "hasMore"],
                   "properties": {"list": {"type": "array", "items": ref("Connection")}, "hasMore": {"type": "boolean"}}}
    lists, one, users = "/v2/access/users/lists", "/v2/access/users/lists/{listId}", "/v2/access/users/lists/{listId}/users"
    return schemas, {
        lists: {"get": operation("listUserLists", "List user lists", "lists:read",
                                 page + query(query={"type": "string"}), found["A1"][0]),
                "post": operation("createUserList", "Create user list", "lists:write", [], listed)},
        one: {"get": operation("getUserList", "Get user list", "lists:read", path("listId"), listed),
              "patch": operation("updateUserList", "Update user list", "lists:write", path("listId"), listed),
              "delete": operation("deleteUserList", "Delete user list", "lists:write", path("listId"),
                                  {"type": "object"})},
        users: {"get": operation("listUserListUsers", "List users in user list", "lists:read",
                                 path("listId") + page, members)},
        users + "/{userId}": {
            "post": operation("addUserToList", "Add user to list", "lists:write", path("listId", "userId"),
                              found["A7"][0]),
            "delete": operation("removeUserFromList", "Remove user from list", "lists:write",
                                path("listId", "userId"), remaining)},
        "/v2/access/users/{userId}/lists": {"post": operation(
            "addUserToLists", "Add user to multiple lists", "lists:write", path("userId"), found["A9"][0])},
        "/v2/access/subscribers": {"get": operation(
            "listSubscribers", "List subscribers", "subscribers:read", subscribers, found["B1"][0])},
        **{f"/v2/access/subscribers/{{userId}}/{name}": {"put": {**operation(
            operation_id, summary, "subscribers:write", path("userId"), {"type": "object"}),
            "requestBody": body(properties)}} for name, operation_id, summary, properties in SUBSCRIBER_WRITES},
        **profiles(found),
        "/v2/account/whoami": {"get": operation("whoami", "Who am I", None, [], found["E1"][0])},
        "/v2/account/connections": {"get": operation(
            "listConnections", "List connections", None,
            query(status={"type": "string", "enum": ["active", "expired", "awaiting_2fa"]},
                  imported={"type": "string", "enum": ["true", "false"]}, limit=integer(1), offset=integer(0)),
            connections)},
    }


def profiles(found: dict[str, list[Any]]) -> dict[str, dict[str, Any]]:
    """OFAuth's user lookups: the connection's creator (E3), one user (B2) and up to ten by id (B3)."""
    profile = ref("UserProfile")
    user_ids = {"in": "query", "name": "userIds", "required": True, "description": (
        "Repeated (`userIds=1&userIds=2`) or comma-separated (`userIds=1,2`); 1-10 ids"), "schema": {
        "type": "array", "items": integer(1), "minItems": 1, "maxItems": 10}}
    users = {"type": "object", "required": ["users"],
             "properties": {"users": {"type": "array", "items": profile}}}
    return {
        "/v2/access/self": {"get": operation("getSelf", "Get current user", "profile:read", [], found["E3"][0])},
        "/v2/access/users/list": {"get": operation(
            "listUsersByIds", "List users by IDs", "profile:read", [user_ids], users)},
        "/v2/access/users/{userId}": {"get": operation(
            "getUser", "Get user", "profile:read", path("userId"),
            {"anyOf": [profile, {"type": "object", "maxProperties": 0}]})},
    }


def money(node: Any) -> None:
    """Make every price and spend sum a number wherever it stands."""
    if isinstance(node, list):
        for item in node:
            money(item)
    elif isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            if name in MONEY and isinstance(value, dict) and value.get("type") == "integer":
                value["type"] = "number"
        for value in node.values():
            money(value)


def onlyfansapi_people(contract: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """OnlyFansAPI's account, user-list and fan routes as ``(components, {path: {method: operation}})``."""
    found = sections(contract, ONLYFANSAPI_SECTION)
    shared = found["Shared components"][0]["components"]["schemas"]
    schemas = {name: copy.deepcopy(shared[name]) for name in (
        "Pagination", "AvatarThumbs", "ListState", "Subscribe", "SubscribedOnData", "PromoOffer", "Fan", "UserList")}
    schemas["ListState"]["properties"]["id"] = {"type": ["string", "integer"]}
    money(schemas)
    account = path("account")
    one = account + path("userListId")
    listed = wrapped(ref("UserList"))
    members, added, removed = (copy.deepcopy(found[number][0]) for number in ("8", "9", "10"))
    members["properties"]["data"]["properties"]["list"]["items"] = ref("Fan")
    added = {"anyOf": added["oneOf"]}  # as published both shapes match {"data": {}}, which oneOf refuses
    active, latest = found["12"]
    fan_query = query(limit=integer(1, 20), offset=integer(0), query={"type": "string"},
                      type={"type": "string", "enum": ["active", "expired", "all"]}) + [
        {"in": "query", "name": f"filter[{name}]", "required": False, "schema": schema} for name, schema in (
            ("total_spent", integer(0)), ("max_total_spent", {"type": "number", "minimum": 0}),
            ("online", {"type": "integer", "enum": [0, 1]}), ("tips", integer(0)), ("duration", integer(0)))]
    fans = {kind: {"get": operation(f"list{kind.title()}Fans", f"List {kind} fans", None, account + fan_query,
                                    active)} for kind in ("active", "all", "expired")}
    base = "/api/{account}/user-lists"
    routes = {
        "/api/accounts": {"get": operation(
            "listAccounts", "List accounts", None, query(onlyfans_email={"type": "string"},
                                                          onlyfans_id={"type": "string"},
                                                          onlyfans_username={"type": "string"}), found["1"][0])},
        "/api/whoami": {"get": operation("whoami", "Who am I", None, [], found["2"][0])},
        base: {"get": operation("listUserLists", "List user lists", None,
                                account + query(limit=integer(10, 50), offset=integer(0),
                                                view={"type": "string", "enum": ["queue"]}), found["3"][0]),
               "post": operation("createUserList", "Create user list", None, account, listed)},
        base + "/{userListId}": {
            "get": operation("getUserList", "Get user list", None, one, listed),
            "put": operation("updateUserList", "Update user list", None, one, listed),
            "delete": operation("deleteUserList", "Delete user list", None, one, wrapped(
                {"type": "object", "properties": {"success": {"type": "boolean"}}}))},
        base + "/{userListId}/users": {
            "get": operation("listUserListUsers", "List users in user list", None,
                             one + query(limit=integer(1, 100), offset=integer(0)), members),
            "post": operation("addUsersToUserList", "Add users to user list", None, one, added),
            "delete": operation("clearUserList", "Remove all users from user list", None, one, listed)},
        base + "/{userListId}/users/{userId}": {"delete": operation(
            "removeUserFromUserList", "Remove user from user list", None, one + path("userId"), removed)},
        base + "/{userListId}/users/pinned": {"get": operation(
            "listPinnedUserListUsers", "List pinned users in user list", None,
            one + query(limit=integer(1, 100), offset=integer(0)), members)},
        base + "/{userListId}/users/{userId}/pin": {"post": operation(
            "pinUserInUserList", "Pin user in user list", None, one + path("userId"), wrapped(
                {"type": "object", "properties": {"success": {"type": "boolean"}}}))},
        "/api/{account}/fans/latest": {"get": operation(
            "listLatestFans", "List latest fans", None,
            account + query(start_date={"type": "string", "maxLength": 255}, end_date={"type": "string", "maxLength": 255},
                            type={"type": "string", "enum": ["total", "renew", "new"]}, limit=integer(1, 50),
                            offset=integer(0)), latest)},
    }
    routes.update({f"/api/{{account}}/fans/{kind}": operations for kind, operations in fans.items()})
    routes.update(fan_writes(account))
    return schemas, routes


def fan_writes(account: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """OnlyFansAPI's fan custom name and subscription history, typed from the SDK (the contract has neither)."""
    period = {"type": "object", "required": ["subscribeDate", "expireDate", "price"], "properties": {
        "subscribeDate": {"type": "string"}, "expireDate": {"type": "string"}, "price": {"type": "number"}}}
    history = {"type": "object", "required": ["list", "hasMore"], "properties": {
        "list": {"type": "array", "items": period}, "hasMore": {"type": "boolean"}}}
    named = {**operation("setFanCustomName", "Set fan custom name", None, account + path("fanId"), wrapped(ref("Fan"))),
             "requestBody": body({"custom_name": {"type": ["string", "null"], "maxLength": 100}})}
    return {
        "/api/{account}/fans/{fanId}/custom-name": {"put": named},
        "/api/{account}/fans/{userId}/subscriptions-history": {"get": operation(
            "getFanSubscriptionHistory", "Get fan subscription history", None, account + path("userId"),
            wrapped(history))},
    }


def extended(vendor: str, spec: dict[str, Any], contracts: Path) -> dict[str, Any]:
    """``spec`` with the vendor's people routes, each with the error responses its other routes declare."""
    if vendor == "ofauth":
        schemas, routes = ofauth_people((contracts / "ofauth-workflow.md").read_text(encoding="utf-8"))
        access = spec["paths"]["/v2/access/mass-messages"]["post"]
        sample, common = access, {"tags": ["People"], "security": access["security"]}
        account = {"tags": ["Account"], "security": [{name: [] for name in access["security"][0]
                                                     if name.lower().startswith("api")}]}
    else:
        schemas, routes = onlyfansapi_people((contracts / "onlyfansapi-workflow.md").read_text(encoding="utf-8"))
        sample = spec["paths"]["/api/{account}/mass-messaging"]["post"]
        common = account = {"tags": ["People"]}
    for name, schema in schemas.items():
        spec["components"]["schemas"].setdefault(name, schema)
    errors = {status: answer for status, answer in sample["responses"].items() if status != "200"}
    for route, operations in routes.items():
        for method, found in operations.items():
            extra = account if route.startswith(("/v2/account/", "/api/accounts", "/api/whoami")) else common
            found["responses"].update(copy.deepcopy(errors))
            spec["paths"].setdefault(route, {})[method] = copy.deepcopy({**extra, **found})
    return spec
