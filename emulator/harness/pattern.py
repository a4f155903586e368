"""Shell-style path patterns (``*``, ``?``, ``[seq]``, ``[!seq]``), as ``fnmatch`` reads them, matched without
backtracking: the pattern is cut at its stars and each piece is found leftmost, so a match costs at most the
path's length times the pattern's, where fnmatch's regular expression can take seconds (``*`` then 4,000 ``?``).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

Token = Callable[[str], bool]  # one character position: does this character fit?


def _any(char: str) -> bool:
    return True


def _literal(expected: str) -> Token:
    return lambda char: char == expected


def _charset(body: str) -> Token:
    negate = body[:1] == "!"
    body = body[1:] if negate else body
    ranges: list[tuple[str, str]] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            ranges.append((body[index], body[index + 2]))
            index += 3
        else:
            ranges.append((body[index], body[index]))
            index += 1
    return lambda char: any(low <= char <= high for low, high in ranges) != negate


def _tokens(pattern: str) -> list[Token | None]:
    """The pattern as tokens, None standing for a star (runs of stars count as one)."""
    tokens: list[Token | None] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            if not tokens or tokens[-1] is not None:
                tokens.append(None)
        elif char == "?":
            tokens.append(_any)
        elif char == "[":
            close = pattern.find("]", index + 1 if pattern[index:index + 1] in ("!", "]") else index)
            if pattern[index:index + 2] == "!]":
                close = pattern.find("]", index + 2)
            if close < 0:
                tokens.append(_literal("["))  # an unclosed bracket is a bracket, as in fnmatch
            else:
                tokens.append(_charset(pattern[index:close]))
                index = close + 1
        else:
            tokens.append(_literal(char))
    return tokens


def _fits(piece: list[Token], text: str, at: int) -> bool:
    return all(token(text[at + offset]) for offset, token in enumerate(piece))


@dataclass(frozen=True)
class PathPattern:
    """A compiled pattern; ``matches`` runs in time linear in the pattern for a given path."""

    head: list[Token]
    middle: list[list[Token]]
    tail: list[Token] | None  # None: no star at all, the head must cover the whole text

    @classmethod
    def compile(cls, pattern: str) -> PathPattern:
        """Read ``pattern`` once, to match any number of paths."""
        pieces: list[list[Token]] = [[]]
        for token in _tokens(pattern):
            if token is None:
                pieces.append([])
            else:
                pieces[-1].append(token)
        if len(pieces) == 1:
            return cls(pieces[0], [], None)
        return cls(pieces[0], pieces[1:-1], pieces[-1])

    def matches(self, text: str) -> bool:
        """Whether the whole of ``text`` fits the pattern."""
        if self.tail is None:
            return len(text) == len(self.head) and _fits(self.head, text, 0)
        end = len(text) - len(self.tail)
        if end < len(self.head) or not _fits(self.head, text, 0) or not _fits(self.tail, text, end):
            return False
        at = len(self.head)
        for piece in self.middle:  # leftmost placement leaves the most room for the pieces after it
            while at + len(piece) <= end and not _fits(piece, text, at):
                at += 1
            if at + len(piece) > end:
                return False
            at += len(piece)
        return True


@functools.lru_cache(maxsize=256)
def compiled(pattern: str) -> PathPattern:
    """``PathPattern.compile``, remembered for the patterns in use (fault rules match on every request)."""
    return PathPattern.compile(pattern)
