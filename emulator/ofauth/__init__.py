"""OFAuth's dialect: ``apiKey`` + ``x-connection-id`` auth, ``{error, type, requestId}`` errors."""
