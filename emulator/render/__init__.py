"""Render domain state as the JSON shapes OnlyFans and its two API vendors use; one function per shape.

May import: domain.
"""
