"""The speed issue's targets, each beside what a run of bench/run.py measured, and whether it was met."""
from __future__ import annotations

from typing import NamedTuple

from routes import catalog
from servers import PRISM_HINT

CPU_SHARE = 0.5  # of Prism's CPU per request on the same route
CPU_GET_PUT = 450  # µs: about half of Prism's on this project's 2-core machine
CPU_LIST = 1000  # µs, every list route at the default fixtures
THROUGHPUT = 2.0  # times Prism's requests per second, GET and PUT at 8 connections
P99 = 10.0  # ms at 8 connections


class Row(NamedTuple):
    """One route of one server at one concurrency: rps, p50, p99 (ms), cpu (µs per request), errors."""

    server: str
    vendor: str
    route: str
    connections: int
    figures: dict[str, float]


def verdict(met: bool, target: str) -> str:
    """``(target X: met)`` or ``(target X: NOT met)``."""
    return f"(target {target}: {'met' if met else 'NOT met'})"


def table(rows: list[Row]) -> str:
    """Every measurement: one line per server, route and concurrency."""
    lines = [(f"{'server':<22}{'vendor':<13}{'route':<18}{'conns':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
              f"{'CPU µs':>8}{'errors':>7}")]
    lines += [f"{row.server:<22}{row.vendor:<13}{row.route:<18}{row.connections:>6}{row.figures['rps']:>8.0f}"
              f"{row.figures['p50']:>8.2f}{row.figures['p99']:>8.2f}{row.figures['cpu']:>8.0f}"
              f"{row.figures['errors']:>7}" for row in rows]
    return "\n".join(lines)


def _find(rows: list[Row], server: str, vendor: str, route: str, connections: int) -> dict[str, float] | None:
    return next((row.figures for row in rows if (row.server, row.vendor, row.route, row.connections)
                 == (server, vendor, route, connections)), None)


def _routes(rows: list[Row]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for row in rows:
        if row.server == "emulator" and row.vendor != "flask":
            seen[(row.vendor, row.route)] = None
    return list(seen)


KINDS = {(route.vendor, route.name): route.kind for route in catalog()}


def _kind(vendor: str, route: str) -> str:
    """The route's kind as the catalogue declares it: "get", "put", "list", or another verb."""
    return KINDS.get((vendor, route), "other")


def _cpu(rows: list[Row], server: str, vendor: str, route: str) -> tuple[float, float] | None:
    one, eight = _find(rows, server, vendor, route, 1), _find(rows, server, vendor, route, 8)
    return None if one is None or eight is None else (one["cpu"], eight["cpu"])


def comparison(rows: list[Row], prism: bool, before: bool) -> str:
    """CPU per request of every route at 1 / 8 connections: the emulator (and before), Prism, and the targets."""
    head = f"{'vendor':<13}{'route':<18}{'emulator µs':>14}"
    head += f"{'before µs':>14}" if before else ""
    head += f"{'Prism µs':>14}{'share':>7}  target" if prism else "  target"
    lines = ["CPU per request at 1 / 8 connections", head]
    for vendor, route in _routes(rows):
        mine = _cpu(rows, "emulator", vendor, route)
        if mine is None:
            continue
        line = f"{vendor:<13}{route:<18}{mine[0]:>7.0f} /{mine[1]:>5.0f}"
        old = _cpu(rows, "emulator, before", vendor, route)
        line += (f"{old[0]:>7.0f} /{old[1]:>5.0f}" if old else f"{'':>14}") if before else ""
        theirs = _cpu(rows, "Prism 5", vendor, route) if prism else None
        met = []
        if theirs:
            share = max(mine[0] / theirs[0], mine[1] / theirs[1])
            line += f"{theirs[0]:>7.0f} /{theirs[1]:>5.0f}{share:>7.2f}"
            met.append(verdict(share <= CPU_SHARE, f"<= {CPU_SHARE} of Prism's"))
        kind = _kind(vendor, route)
        if kind in ("get", "put"):
            met.append(verdict(max(mine) <= CPU_GET_PUT, f"<= {CPU_GET_PUT} µs"))
        elif kind == "list":
            met.append(verdict(max(mine) < CPU_LIST, f"< {CPU_LIST} µs"))
        lines.append(f"{line}  {' '.join(met)}")
    return "\n".join(lines)


def lines(rows: list[Row], prism: bool) -> list[str]:
    """The issue's targets, one line each, with the figures behind them."""
    out = []
    emulated = _routes(rows)
    if prism:
        shares = [(max(m / t for m, t in zip(mine, theirs)), vendor, route) for vendor, route in emulated
                  if (mine := _cpu(rows, "emulator", vendor, route)) and (theirs := _cpu(rows, "Prism 5", vendor, route))]
        worst = max(shares)
        out.append(f"CPU per request at most {CPU_SHARE} of Prism's on the same route: {sum(s <= CPU_SHARE for s, *_ in shares)}"
                   f" of {len(shares)} routes; the worst is {worst[1]} {worst[2]} at {worst[0]:.2f} "
                   f"{verdict(worst[0] <= CPU_SHARE, f'every route <= {CPU_SHARE}')}")
        for vendor, route in emulated:
            if _kind(vendor, route) not in ("get", "put"):
                continue
            mine, theirs = _find(rows, "emulator", vendor, route, 8), _find(rows, "Prism 5", vendor, route, 8)
            if mine and theirs:
                ratio = mine["rps"] / theirs["rps"]
                out.append(f"{vendor} {route} at 8 connections: {mine['rps']:.0f} req/s, {ratio:.1f}x Prism's "
                           f"{theirs['rps']:.0f}, p99 {mine['p99']:.1f} ms "
                           f"{verdict(ratio >= THROUGHPUT and mine['p99'] < P99, f'>= {THROUGHPUT}x, p99 < {P99} ms')}")
    else:
        out.append(PRISM_HINT)
    get_put = [(max(cpu), vendor, route) for vendor, route in emulated if _kind(vendor, route) in ("get", "put")
               and (cpu := _cpu(rows, "emulator", vendor, route))]
    if get_put:
        worst = max(get_put)
        out.append(f"GET and PUT CPU per request, worst of both vendors at 1 and 8 connections: {worst[0]:.0f} µs "
                   f"({worst[1]} {worst[2]}) {verdict(worst[0] <= CPU_GET_PUT, f'<= {CPU_GET_PUT} µs')}")
    lists = [(max(cpu), vendor, route) for vendor, route in emulated if _kind(vendor, route) == "list"
             and (cpu := _cpu(rows, "emulator", vendor, route))]
    if lists:
        worst = max(lists)
        out.append(f"list routes' CPU per request, worst: {worst[0]:.0f} µs ({worst[1]} {worst[2]}) "
                   f"{verdict(worst[0] < CPU_LIST, f'every list < {CPU_LIST} µs')}")
    p99 = max((row.figures["p99"], row.vendor, row.route) for row in rows
              if row.server == "emulator" and row.connections == 8)
    out.append(f"worst p99 at 8 connections, any route: {p99[0]:.2f} ms ({p99[1]} {p99[2]})")
    return out + [servers_line(rows)]


def servers_line(rows: list[Row]) -> str:
    """What each HTTP server itself costs a request: a bare Flask hello's CPU, GET and PUT (with a small body),
    at 1 / 8 connections; uvicorn shows only where it is installed."""
    costs = []
    for server, role in (("async", "serve's"), ("waitress", "--server waitress"), ("uvicorn", "not a dependency")):
        found = [(method, cpu) for method in ("GET", "PUT")
                 if (cpu := _cpu(rows, f"bare Flask, {server}", "flask", f"hello ({method})"))]
        shown = ", ".join(f"{method} {one:.0f} / {eight:.0f} µs" for method, (one, eight) in found)
        costs.append(f"{server} ({role}) {shown}" if found else f"{server}: not installed (pip install uvicorn httptools)")
    return "a bare Flask hello's CPU per request at 1 / 8 connections: " + "; ".join(costs)
