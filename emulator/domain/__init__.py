"""The domain: creators, their queue of mass messages, and how each message lives on the clock. No HTTP.

Models and the queue, the lifecycle that derives a message's progress from the clock, the queries both dialects
answer (``listing``, ``paging``, ``analytics``, ``buyers``, ``history``) and the indexes they read (``timeline``,
``sales``), the world a session builds from its fixtures, rate limits and credits, the errors every layer raises,
and the JSON gate that bounds what can be stored. Nothing here knows a request, a vendor's dialect or a server:
no Flask, Werkzeug, httptools, uvloop or waitress.

May import: nothing else in the package.
"""
