"""OFAuth's markdown (``isMarkdown``) turned into OnlyFans' editor HTML, as the text-formatting guide shows it."""
from __future__ import annotations

import html
import re

# Longest marker first, and only where whitespace or the text's edge stands outside it, so ``snake_case``,
# ``2*3*4`` and ``a**b**c`` stay literal ("Patterns must be surrounded by whitespace or at start/end of text").
INLINE = re.compile(r"(?<!\S)(\*\*\*|___|\*\*|__|\*|_|~~|~)(?=\S)(.+?)(?<=\S)\1(?!\S)")
STYLES = {
    "***": ('<span class="m-editor-fc__blue-1"><em><strong>', "</strong></em></span>"),
    "___": ('<span class="m-editor-fc__blue-1"><em><strong>', "</strong></em></span>"),
    "**": ("<strong>", "</strong>"),
    "__": ("<strong>", "</strong>"),
    "*": ("<em>", "</em>"),
    "_": ("<em>", "</em>"),
    "~~": ('<span class="m-editor-fc__blue-2">', "</span>"),
    "~": ('<span class="m-editor-fc__gray">', "</span>"),
}
HEADINGS = (("## ", "m-editor-fs__l"), ("# ", "m-editor-fs__lg"))


def _inline(match: re.Match[str]) -> str:
    opening, closing = STYLES[match.group(1)]
    return f"{opening}{match.group(2)}{closing}"


def _line(line: str) -> str:
    for marker, size in HEADINGS:
        if line.startswith(marker):
            return f'<span class="{size}">{INLINE.sub(_inline, line[len(marker):])}</span>'
    return INLINE.sub(_inline, line)


def markdown_to_html(text: str) -> str:
    """Convert a message's markdown: escape HTML, style the marked words, one ``<p>`` with ``<br>`` for lines."""
    lines = html.escape(text, quote=False).split("\n")
    return "<p>" + "<br>".join(_line(line) for line in lines) + "</p>"
