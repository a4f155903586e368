"""OnlyFansAPI's dialect: Bearer keys, ``acct_`` accounts, ``data`` + ``_meta``, Laravel errors."""
