"""What wraps every vendor call, around the dialects' views.

``errors`` routes every error, from ours to Werkzeug's to a bug, to the vendor's shape; ``faults`` applies fault
rules before or after a view, or drops the connection; ``pauses`` is how an injected delay waits without holding
a server worker; ``journal`` records each call as its client received it.

May import: domain, harness, http, ofauth, onlyfansapi.
"""
