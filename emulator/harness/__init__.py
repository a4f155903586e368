"""What a test controls: sessions and what each holds besides its world. No HTTP.

A ``session`` is one world with its clock, fault rules, rate limits and journal; ``sessions`` is the registry
of named ones; ``faults`` holds fault rules as data and decides which fires; ``journal`` keeps what each request
got; ``snapshot`` exports, checks and restores a session's state. The pipeline applies the rules and feeds the
journal; the admin API shows and changes them.

May import: domain.
"""
