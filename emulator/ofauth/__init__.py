"""OFAuth's dialect: ``apiKey`` + ``x-connection-id`` auth, ``{error, type, requestId}`` errors.

Views split by resource (``mass_messages``, ``analytics``), each with its ``schemas`` (bodies),
``queries`` (query strings), ``fields``, ``errors``, ``auth`` and ``blueprint`` (the success envelope).

May import: domain, harness, http, render.
"""
