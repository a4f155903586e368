"""Configuration: defaults, then environment variables, then what the caller passes."""
from __future__ import annotations

import os
from typing import Any

DEFAULT_SEED = 20_261_124

DEFAULTS: dict[str, Any] = {
    "seed": DEFAULT_SEED,
    "fixtures": None,
    "faults": None,
    "clock_start": None,
    "clock_frozen": False,
    "max_sessions": 64,
    "on_full": "evict",
    "journal_size": 10_000,
    "journal_bytes": 4 * 1024 * 1024,
    "journal_body_bytes": 16 * 1024,
    "journal_header_bytes": 4 * 1024,
    "state_file": None,
    "admin_token": None,
    "host": None,  # the address serve listens on: what the admin API's Host check allows (admin/guard)
    "allowed_hosts": (),
    "max_body": 1024 * 1024,
    "max_state_body": 64 * 1024 * 1024,
}

ENVIRONMENT = {"seed": ("EMULATOR_SEED", int), "fixtures": ("EMULATOR_FIXTURES", str),
               "clock_start": ("EMULATOR_CLOCK_START", str), "faults": ("EMULATOR_FAULTS", str),
               "admin_token": ("EMULATOR_ADMIN_TOKEN", str)}


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, ``EMULATOR_*`` environment variables and ``overrides``, in that order."""
    config = dict(DEFAULTS)
    for name, (variable, kind) in ENVIRONMENT.items():
        if os.environ.get(variable):
            try:
                config[name] = kind(os.environ[variable])
            except ValueError:
                raise ValueError(f"{variable}: not a {kind.__name__}: {os.environ[variable]!r:.40}") from None
    config.update({name: value for name, value in (overrides or {}).items() if value is not None})
    # Compared with a request's Host as the admin guard reads it: lower case, no trailing dot.
    config["allowed_hosts"] = tuple(name.strip().lower().rstrip(".") for name in config["allowed_hosts"] or ())
    return config


def server_body_limit(settings: dict[str, Any]) -> int:
    """The largest body any route reads: the WSGI server refuses longer ones before the app sees them."""
    return max(int(settings["max_body"]), int(settings["max_state_body"]))
