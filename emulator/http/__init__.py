"""The request and response basics the dialects and the admin API share.

``web`` reads bounded bodies through the JSON gate and builds JSON responses, ``validation`` turns marshmallow's
errors into flat field maps, and ``context`` gives a request its session from the registry.

May import: domain, harness.
"""
