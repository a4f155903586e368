"""Serving the app over HTTP, and what only a server can do.

``loop_server`` listens and accepts; each ``connection`` parses HTTP/1.1 with httptools, bounds and times its
requests (a long body through ``body_stream``; ``framing`` reads a target and header names, writes an answer's
head), and ``wsgi_bridge`` runs the WSGI app on the loop or the pool of ``workers``, a long answer no faster
than ``backpressure`` allows; what the server answers itself is shaped by ``refusals``. ``waitress_server`` is
the pure-Python alternative, its own refusals in ``waitress_errors``; ``access_log`` writes one line per request;
``shutdown`` and ``log_writer`` keep the exit and the pipes prompt.

May import: domain, harness, http, pipeline.
"""
