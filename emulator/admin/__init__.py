"""The emulator's own API under ``/_emulator/``: what a person or a test uses to watch and steer it.

``routes`` holds the admin API (sessions, clock, faults, journal, state), ``dashboard`` the page in ``ui/`` and
the queue routes it reads, and ``health`` the readiness probe.

May import: domain, harness, http, render.
"""
