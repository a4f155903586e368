"""OnlyFansAPI's dialect: Bearer keys, ``acct_`` accounts, ``data`` + ``_meta``, Laravel errors.

Views split by resource (``mass_messaging``, ``engagement``), each with its ``schemas`` (bodies),
``queries`` (query strings), ``fields``, ``errors``, ``auth`` and ``blueprint`` (the success envelope).

May import: domain, harness, http, render.
"""
