"""Serving the app over HTTP, and what only a server can do.

``granian_server`` embeds granian, with ``rsgi_wsgi`` bridging its RSGI interface to the WSGI app on the pool of
``workers``; ``waitress_server`` is the pure-Python alternative, with the errors it answers itself in ``errors``;
``drop`` closes a client's socket for a drop fault; ``access_log`` writes one line per request.

May import: domain, harness, http, pipeline.
"""
